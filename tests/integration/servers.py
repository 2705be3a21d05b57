"""Real servers for the integration tests and the benchmark, on 127.0.0.1 and free ports: redis-server, an
aiosmtpd SMTP server that collects what it accepts (and fails on demand), Celery worker and beat processes."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent.parent
MESSAGE_ID = re.compile(r"<rocbap-message-(\d+)@")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Redis:
    def __init__(self, folder: Path):
        self.port = free_port()
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=folder,
            stdout=subprocess.DEVNULL,
        )
        wait_for(self._ready, 10, "redis-server")

    def _ready(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


class Collector:
    """aiosmtpd handler: keeps accepted messages; answers 550 for `refuse`, 451 while `tempfail` is set,
    and holds DATA replies while `hold` is set (to kill a worker at a known point)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list = []
        self.refuse: set[str] = set()
        self.tempfail = False
        self.tempfailed = 0
        self.hold = threading.Event()
        self.held = 0
        self.drop_held = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        if self.tempfail:
            with self.lock:
                self.tempfailed += 1
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        if self.hold.is_set():
            with self.lock:
                self.held += 1
            while self.hold.is_set():
                await asyncio.sleep(0.05)
            if self.drop_held:
                return "421 4.3.2 Shutting down"
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted"

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def deliveries(self) -> Counter:
        """(recipient, message row id) -> times delivered."""
        with self.lock:
            return Counter((m["To"], int(MESSAGE_ID.match(m["Message-ID"]).group(1))) for m in self.messages)


class SMTPServer:
    def __init__(self) -> None:
        self.handler = Collector()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.handler.hold.clear()
        self.controller.stop()


class CeleryProcess:
    """`celery -A rocbap worker|beat` in its own process group (so kill -9 takes its children too)."""

    def __init__(self, kind: str, env: dict[str, str], folder: Path, concurrency: int = 2) -> None:
        args = [sys.executable, "-m", "celery", "-A", "rocbap", kind, "--loglevel", "WARNING"]
        if kind == "worker":
            args += ["--concurrency", str(concurrency), "--pool", "prefork", "--without-gossip", "--without-mingle"]
            args += ["--hostname", f"rocbap-test-{os.getpid()}-{free_port()}@127.0.0.1"]
        else:
            args += ["--schedule", str(folder / f"beat-{free_port()}")]
        self.log = open(folder / f"{kind}-{free_port()}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            args, cwd=ROOT, env={**os.environ, **env}, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()
