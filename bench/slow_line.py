"""Benchmark of the participant's side on a poor line (issue 15): Debian's Chromium, throttled through the DevTools
protocol like a poor 3G link (400 kbit/s each way, 400 ms round trip), against gunicorn in production mode (DEBUG
off, collectstatic, whitenoise). Prints the bytes on the wire and the seconds of a first visit to a personal link,
a repeat visit (the browser's cache kept) and a submit up to the loaded thank-you page, beside the aims.

    .venv/bin/python bench/slow_line.py          # BENCH_ROUNDS=3 rounds, each in a fresh browser profile

Bytes are the `encodedDataLength` of every response the page received (headers and compressed bodies, as they
travel); seconds are wall-clock from the start of the navigation (or the click) to the page's load event;
requests include those the browser's cache answered without the line. The load average is printed before and
after: the machine is shared, and a busy one slows the server's side.

DevTools adds the latency to each request, not to opening a connection: on a real line, a TLS proxy that keeps
connections open (as the production setup has) spares most of those round trips, the first one excepted.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.questionnaire import django_env, free_port

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# A poor 3G line: 400 kbit/s each way is 50,000 bytes/s; the latency is added to every request's round trip.
LINE = {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
AIMS = {"first visit": (20_000, 1.5), "repeat visit": (8_000, None), "submit": (None, 1.5)}

SEED = """
import datetime as dt, sys
import django
django.setup()
from django.utils import timezone
from workshops.models import MemberAdministration, Participant, Workshop
workshop = Workshop.objects.create(
    code="SLOW", title="WCO Regional Workshop on Risk Management and Post-Clearance Audit", scope="regional",
    start_date=dt.date(2025, 1, 6), end_date=dt.date(2025, 1, 9), venue="Vientiane, Lao PDR",
    due_date_override=timezone.localdate() + dt.timedelta(days=10),
)
administration = MemberAdministration.objects.get(code="LA")
for n in range(int(sys.argv[1])):
    participant = Participant.objects.create(workshop=workshop, name=f"Khamphet Vongsa {n}",
        email=f"p{n}@customs.example.org", administration=administration)
    print(participant.token)
"""


@dataclass
class Wire:
    """Bytes received by one page, counted from the DevTools protocol's events."""

    received: int = 0
    requests: int = 0
    pending: set[str] = field(default_factory=set)

    def reset(self) -> None:
        self.received = self.requests = 0

    def sent(self, event: dict) -> None:
        redirect = event.get("redirectResponse")
        if redirect:  # the same request goes on after a redirect: count the redirect's response here
            self.received += redirect.get("encodedDataLength", 0)
        self.requests += 1
        self.pending.add(event["requestId"])

    def done(self, event: dict) -> None:
        self.received += event.get("encodedDataLength", 0)
        self.pending.discard(event["requestId"])

    def settle(self, page: Page) -> None:
        """The protocol's events may arrive after the load event: wait for every request's last one."""
        deadline = time.monotonic() + 10
        while self.pending and time.monotonic() < deadline:
            page.wait_for_timeout(20)


def throttled_page(context: BrowserContext) -> tuple[Page, Wire]:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    wire = Wire()
    cdp.on("Network.requestWillBeSent", wire.sent)
    cdp.on("Network.loadingFinished", wire.done)
    cdp.on("Network.loadingFailed", wire.done)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", LINE)
    return page, wire


def answer(page: Page) -> None:
    page.get_by_role("checkbox", name="Submitted a mission report to superiors").check()
    page.get_by_label("How are the lessons learned at the Workshop being utilized").fill(
        "Risk profiles are now reviewed every week with the frontline teams. ການຄຸ້ມຄອງຄວາມສ່ຽງ"
    )
    for name in ("q3_direct_effects", "q4_contributed", "q5_new_project"):
        page.locator(f"#id_{name}_0").check()


def one_round(browser, url: str) -> dict[str, tuple[int, float, int]]:
    """(bytes, seconds, requests) of a first visit, a repeat visit and a submit, in a fresh profile."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        results = {}
        for name in ("first visit", "repeat visit"):
            # Each visit in a tab of its own, as a link opened again from the e-mail: only the profile's cache
            # is shared, not the previous page's memory.
            page, wire = throttled_page(context)
            start = time.perf_counter()
            page.goto(url, wait_until="load")
            seconds = time.perf_counter() - start
            wire.settle(page)
            results[name] = (wire.received, seconds, wire.requests)
            if name == "first visit":
                page.close()
        answer(page)
        wire.settle(page)
        wire.reset()
        start = time.perf_counter()
        with page.expect_navigation(url="**/thanks/", wait_until="load"):
            page.get_by_role("button", name="Submit").click()
        seconds = time.perf_counter() - start
        wire.settle(page)
        results["submit"] = (wire.received, seconds, wire.requests)
        assert page.get_by_role("heading", name="Thank you for your reply").is_visible()
        return results
    finally:
        context.close()


def static_headers(base: str, page_url: str) -> list[str]:
    """How the page's static files are served: what makes a repeat visit cheap (hashed names cached for good) and
    a first one small (compressed)."""
    request = urllib.request.Request(page_url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=5) as response:
        html = gzip.decompress(response.read()).decode()
    lines = []
    for path in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
        head = urllib.request.Request(base + path, method="HEAD", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(head, timeout=5) as response:
            lines.append(
                f"  {path}: {response.headers.get('Content-Length')} bytes, "
                f"{response.headers.get('Content-Encoding', 'not compressed')}, {response.headers.get('Cache-Control')}"
            )
    return lines


def verdict(value: float, aim: float | None) -> str:
    if aim is None:
        return ""
    return "ok" if value <= aim else "OVER"


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="rocbap-slow-line-"))
    env = django_env(work / "var")
    env.update(HOME=str(work), XDG_CONFIG_HOME=str(work / "config"), XDG_CACHE_HOME=str(work / "cache"))
    os.environ.update(XDG_CONFIG_HOME=env["XDG_CONFIG_HOME"], XDG_CACHE_HOME=env["XDG_CACHE_HOME"])
    python = sys.executable
    server = None
    try:
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        seed = subprocess.run(
            [python, "-c", SEED, str(ROUNDS)], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        tokens = seed.stdout.split()
        port = free_port()
        server = subprocess.Popen(
            [python, "-m", "gunicorn", "rocbap.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
             "--no-control-socket", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                # Warm the server up (imports, templates): a cold start is not what a participant meets.
                for _warm in range(3):
                    urllib.request.urlopen(f"{base}/r/{tokens[0]}/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)

        served = static_headers(base, f"{base}/r/{tokens[0]}/")
        load_before = os.getloadavg()
        rounds = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                      "--disable-component-update", "--disable-sync"],
            )  # fmt: skip
            try:
                for token in tokens:
                    rounds.append(one_round(browser, f"{base}/r/{token}/"))
            finally:
                browser.close()
        load_after = os.getloadavg()

        print(
            f"\nSlow line: Chromium throttled to {LINE['downloadThroughput'] * 8 // 1000} kbit/s each way, "
            f"{LINE['latency']} ms round trip; gunicorn 2 sync workers, DEBUG off, whitenoise; {ROUNDS} rounds"
        )
        print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min; {os.cpu_count()} cores)")
        print(
            f"{'what':<14}{'bytes':>9}{'aim':>9}{'':>6}{'seconds':>9}{'aim':>6}{'':>6}{'requests':>10}   each round (s)"
        )
        for name, (byte_aim, second_aim) in AIMS.items():
            received = statistics.median(r[name][0] for r in rounds)
            seconds = statistics.median(r[name][1] for r in rounds)
            requests = statistics.median(r[name][2] for r in rounds)
            each = " ".join(f"{r[name][1]:.2f}" for r in rounds)
            print(
                f"{name:<14}{received:>9.0f}{byte_aim or '':>9}{verdict(received, byte_aim):>6}"
                f"{seconds:>9.2f}{second_aim or '':>6}{verdict(seconds, second_aim):>6}{requests:>10.0f}   {each}"
            )
        print("static files of the questionnaire:", *served, sep="\n")
        return 0
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
