"""Benchmark of the questionnaire: GET of the page and POST of a submitted reply, side by side with a bare
Django view on the same gunicorn server (production settings, DEBUG off), measured with wrk.

    .venv/bin/python bench/questionnaire.py          # BENCH_SECONDS=20 by default, 16 and 64 connections

Every POST submits a complete reply for a participant who has not replied yet (a real write: the reply is
created, validated and stored); the participants are created beforehand, enough for the whole run.

Besides the rates, each line gives the CPU time the server's workers spent per request (from /proc): on a shared
machine the rates follow the other processes' load, the CPU a request costs much less so. The load average is
printed before and after.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "16,64").split(",")]
PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "60000"))

ANSWERS = {
    "contact_email": "bench@customs.example.org",
    "q1_shared_materials": "on",
    "q1_shared_with": "12",
    "q1_submitted_report": "on",
    "q1bis_colleagues_learned": "8",
    "q2_utilization": "Risk profiles are now shared every week with the frontline teams. ການຄຸ້ມຄອງຄວາມສ່ຽງ",
    "q3_direct_effects": "yes",
    "q3_text": "Two seizures of precursor chemicals.",
    "q4_contributed": "yes",
    "q4_text": "Faster clearance.",
    "q5_new_project": "no",
    "revision": "0",
    "submit": "1",
}

LUA = r"""
local tokens = {}
local body = "%(body)s"
local cookie = "%(cookie)s"
local mode = "%(mode)s"
for line in io.lines("%(tokens)s") do tokens[#tokens + 1] = line end
local counter = 0
local step = 1
local offset = 0
local thread_count = 0
function setup(thread)
  thread:set("offset", thread_count)
  thread_count = thread_count + 1
  thread:set("step", %(threads)d)
end
function init(args)
  offset = tonumber(wrk.thread:get("offset")) or 0
  step = tonumber(wrk.thread:get("step")) or 1
  counter = offset
end
function request()
  local token = tokens[(counter %% #tokens) + 1]
  counter = counter + step
  if mode == "get" then
    return wrk.format("GET", "/r/" .. token .. "/")
  end
  return wrk.format("POST", "/r/" .. token .. "/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. cookie,
  }, body)
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def django_env(var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="false",
        VAR_DIR=str(var_dir),
        ALLOWED_HOSTS="127.0.0.1",
        PYTHONPATH=str(ROOT),
    )
    return env


SEED = """
import datetime as dt, secrets, sys
import django
django.setup()
from django.utils import timezone
from workshops.models import MemberAdministration, Participant, Workshop
count = int(sys.argv[1])
workshop = Workshop.objects.create(code="BENCH", title="WCO Regional Workshop on Risk Management", scope="regional",
    start_date=dt.date(2025, 1, 6), end_date=dt.date(2025, 1, 9), venue="Bangkok, Thailand",
    due_date_override=timezone.localdate() + dt.timedelta(days=10))
administrations = list(MemberAdministration.objects.all())
Participant.objects.bulk_create(
    [Participant(workshop=workshop, name=f"Participant {n}", email=f"p{n}@example.org",
                 administration=administrations[n % len(administrations)], token=secrets.token_urlsafe(32))
     for n in range(count)], batch_size=2000)
for token in Participant.objects.order_by("pk").values_list("token", flat=True):
    print(token)
"""


def load_average() -> str:
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def cpu_seconds(server: subprocess.Popen) -> float:
    """User and system CPU time of the server's workers (the master's children) so far."""
    ticks = 0
    for process in Path("/proc").iterdir():
        if not process.name.isdigit():
            continue
        try:
            # The fields after the command's name: state, parent, ... utime and stime are the 14th and 15th of all.
            fields = (process / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):  # ended meanwhile
            continue
        if fields[1] == str(server.pid):
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def wrk(url: str, connections: int, script: Path | None, server: subprocess.Popen) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{SECONDS}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    cpu_before = cpu_seconds(server)
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(server) - cpu_before
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def millis(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "cpu": cpu * 1000 / requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": millis("50%"),
        "p99": millis("99%"),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is not installed", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="rocbap-bench-"))
    var_dir = work / "var"
    env = django_env(var_dir)
    python = sys.executable
    server = None
    try:
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        seed = subprocess.run(
            [python, "-c", SEED, str(PARTICIPANTS)], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        tokens = seed.stdout.split()
        get_tokens, post_tokens = tokens[:1000], tokens[1000:]
        (work / "get-tokens").write_text("\n".join(get_tokens) + "\n")

        port = free_port()
        server = subprocess.Popen(
            [python, "-m", "gunicorn", "rocbap.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
             "--no-control-socket", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/bench/bare/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)

        # A CSRF cookie and a form token that goes with it, as a browser would have them.
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(f"{base}/r/{get_tokens[0]}/").read().decode()
        form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        cookie = next(c.value for c in jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**ANSWERS, "csrfmiddlewaretoken": form_token})

        load_before = load_average()
        results: dict[tuple[str, int], dict[str, float]] = {}
        for connections in CONNECTIONS:
            for mode in ("bare", "get", "post"):
                script = None
                if mode != "bare":
                    # Each connection level gets its own unused participants for the POSTs.
                    chunk = len(post_tokens) // len(CONNECTIONS)
                    index = CONNECTIONS.index(connections)
                    token_file = work / f"{mode}-{connections}-tokens"
                    token_file.write_text(
                        "\n".join(post_tokens[index * chunk : (index + 1) * chunk])
                        if mode == "post"
                        else "\n".join(get_tokens)
                    )
                    script = work / f"{mode}-{connections}.lua"
                    script.write_text(
                        LUA % {"body": body, "cookie": cookie, "mode": mode, "tokens": token_file, "threads": 2}
                    )
                url = base + ("/bench/bare/" if mode == "bare" else "/")
                results[(mode, connections)] = wrk(url, connections, script, server)

        print(f"\nQuestionnaire benchmark: gunicorn 2 sync workers, DEBUG off, wrk -t2 {SECONDS} s per line")
        print(f"load average before: {load_before}, after: {load_average()}")
        print(
            f"{'what':<22}{'conns':>6}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'vs bare':>9}{'errors':>8}"
            f"{'CPU ms/req':>12}"
        )
        for connections in CONNECTIONS:
            bare = results[("bare", connections)]["rps"]
            for mode, label in (("bare", "bare Django view"), ("get", "questionnaire GET"), ("post", "submit POST")):
                r = results[(mode, connections)]
                print(
                    f"{label:<22}{connections:>6}{r['rps']:>10.0f}{r['p50']:>9.1f}{r['p99']:>9.1f}"
                    f"{r['rps'] / bare:>8.0%}{r['errors']:>8}{r['cpu']:>12.2f}"
                )
        submitted = subprocess.run(
            [python, "-c", "import django; django.setup(); from surveys.models import Response; "
             "print(Response.objects.replies().count())"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        print(f"replies stored by the POST runs: {submitted}")
        return 0
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
