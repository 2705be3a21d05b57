"""The proxy of the compose stack (deploy/nginx.conf.template) in front of gunicorn (deploy/gunicorn.conf.py), run
here with Debian's nginx on 127.0.0.1: slow request bodies no longer hold the site.

The attack: a few clients send a POST's headers and then its body a byte a second. Straight to gunicorn, each holds a
sync worker until the timeout and /healthz waits behind them (the control below shows it does). Through the proxy,
which reads whole bodies before it passes a request on, /healthz answers at once.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import ROOT
from tests.integration.servers import free_port, wait_for

pytestmark = pytest.mark.integration

TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
WORKERS = 2
TRICKLERS = 4
CSRF_SECRET = b"abcdefghijklmnopqrstuvwxyzABCDEF"  # a CSRF cookie's shape: 32 letters


def render_template(values: dict[str, str]) -> str:
    """Fill in ${NAME} as the nginx image does (only the names given; nginx's own $variables stay)."""
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    return text


def test_the_template_names_only_what_compose_gives_it():
    compose = (ROOT / "docker-compose.yml").read_text()
    names = set(re.findall(r"\$\{(\w+)\}", TEMPLATE.read_text()))
    assert names == {
        "ROCBAP_UPSTREAM",
        "PROXY_HTTP_PORT",
        "PROXY_HTTPS_PORT",
        "SITE_HOST",
        "TLS_CERTIFICATE",
        "TLS_CERTIFICATE_KEY",
    }
    for name in names:
        assert f"      {name}:" in compose, name
    assert "deploy/nginx.conf.template:/etc/nginx/templates/default.conf.template" in compose


def test_the_proxys_limits_match_the_apps():
    from django.conf import settings

    text = TEMPLATE.read_text()
    body = re.search(r"client_max_body_size (\d+)m;", text)
    assert body
    # A workbook at the limit passes (with room for the form around it), and not much more.
    assert settings.WORKBOOK_MAX_BYTES < int(body[1]) * 2**20 <= settings.WORKBOOK_MAX_BYTES + 2 * 2**20
    read_timeout = re.search(r"proxy_read_timeout (\d+)s;", text)
    gunicorn = re.search(r"^timeout = (\d+)", (ROOT / "deploy" / "gunicorn.conf.py").read_text(), re.MULTILINE)
    assert read_timeout and gunicorn
    assert int(gunicorn[1]) < int(read_timeout[1]) <= int(gunicorn[1]) + 10
    assert "proxy_request_buffering on;" in text
    assert re.search(r"client_body_timeout (\d+)s;", text)


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[dict]:
    """gunicorn with the repository's config (2 sync workers) and nginx with the repository's template."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "bin/test installs nginx"
    folder = tmp_path_factory.mktemp("proxy")
    env = {
        **os.environ,
        "VAR_DIR": str(folder / "var"),
        "STATIC_ROOT": str(folder / "static"),
        "DEBUG": "false",
        "HTTPS": "true",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=120)

    app_port, http_port, https_port = free_port(), free_port(), free_port()
    processes: list[subprocess.Popen] = []
    logs = []
    try:
        log = (folder / "gunicorn.log").open("w")
        logs.append(log)
        gunicorn = [sys.executable, "-m", "gunicorn", "rocbap.wsgi", "-c", "deploy/gunicorn.conf.py"]
        gunicorn += ["--bind", f"127.0.0.1:{app_port}", "--workers", str(WORKERS)]
        processes.append(subprocess.Popen(gunicorn, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
             "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        site = render_template(
            {
                "ROCBAP_UPSTREAM": f"127.0.0.1:{app_port}",
                "PROXY_HTTP_PORT": f"127.0.0.1:{http_port}",
                "PROXY_HTTPS_PORT": f"127.0.0.1:{https_port}",
                "SITE_HOST": "127.0.0.1",
                "TLS_CERTIFICATE": str(folder / "fullchain.pem"),
                "TLS_CERTIFICATE_KEY": str(folder / "privkey.pem"),
            }
        )
        assert "${" not in site
        (folder / "rocbap.conf").write_text(site)
        for temporary in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (folder / temporary).mkdir()
        # As the image's nginx.conf does, the site's file inside http {}; here with every path in the test's folder.
        user = "user root root;" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(
            f"""{user}
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/nginx-access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/rocbap.conf;
}}
"""
        )
        checked = subprocess.run(
            [nginx, "-t", "-c", str(folder / "nginx.conf"), "-p", str(folder)], capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stderr
        processes.append(
            subprocess.Popen([nginx, "-c", str(folder / "nginx.conf"), "-p", str(folder)], stderr=subprocess.DEVNULL)
        )
        stack = {"app": app_port, "http": http_port, "https": https_port}
        wait_for(lambda: _healthz(f"http://127.0.0.1:{app_port}", 2) == 200, 60, "gunicorn")
        wait_for(lambda: _healthz(f"https://127.0.0.1:{https_port}", 2) == 200, 30, "nginx")
        yield stack
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        for log in logs:
            log.close()


def _context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
    return context


def _healthz(base: str, timeout: float) -> int | None:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=timeout, context=_context()) as answer:
            return answer.status
    except OSError:
        return None


def _trickle(port: int, tls: bool, stop: threading.Event) -> None:
    """A POST whose body comes a byte a second, until stopped."""
    try:
        raw = socket.create_connection(("127.0.0.1", port), timeout=30)
        connection = _context().wrap_socket(raw, server_hostname="127.0.0.1") if tls else raw
        with connection:
            # What a browser's login form sends (behind TLS, with its CSRF cookie and referer), so that Django gets
            # as far as reading the body: the https redirect and the CSRF check would answer before it otherwise.
            connection.sendall(
                b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
                b"Referer: https://127.0.0.1/admin/login/\r\nCookie: csrftoken=" + CSRF_SECRET + b"\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
            )
            while not stop.wait(1):
                connection.sendall(b"a")
    except OSError:
        pass  # the server gave up on us: that is allowed


def _healthz_under_attack(port: int, base: str, tls: bool) -> list[int | None]:
    stop = threading.Event()
    threads = [threading.Thread(target=_trickle, args=(port, tls, stop), daemon=True) for _ in range(TRICKLERS)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.5)  # every trickler has sent its headers and is inside its body
        answers = []
        for _ in range(3):
            answers.append(_healthz(base, timeout=3))
            time.sleep(0.5)
        return answers
    finally:
        stop.set()
        for thread in threads:
            thread.join(10)


def test_slow_bodies_straight_to_gunicorn_hold_the_site(stack):
    # The control: the attack does block gunicorn alone, so the test below would see it if the proxy let it through.
    assert _healthz_under_attack(stack["app"], f"http://127.0.0.1:{stack['app']}", tls=False) == [None, None, None]
    # gunicorn recovers once the tricklers go (their workers time out or their bodies end).
    wait_for(lambda: _healthz(f"http://127.0.0.1:{stack['app']}", 2) == 200, 90, "gunicorn to recover")


def test_slow_bodies_through_the_proxy_do_not_block_healthz(stack):
    base = f"https://127.0.0.1:{stack['https']}"
    assert _healthz_under_attack(stack["https"], base, tls=True) == [200, 200, 200]


def test_plain_http_is_sent_to_https(stack):
    request = urllib.request.Request(f"http://127.0.0.1:{stack['http']}/staff/")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(request, timeout=5)
    assert answer.value.code == 301
    assert answer.value.headers["Location"] == "https://127.0.0.1/staff/"


def test_a_body_past_the_limit_is_refused_by_the_proxy(stack):
    body = b"a" * (22 * 2**20)
    request = urllib.request.Request(f"https://127.0.0.1:{stack['https']}/admin/login/", data=body, method="POST")
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=30, context=_context())
    assert answer.value.code == 413
