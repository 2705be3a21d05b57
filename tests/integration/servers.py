"""Real servers for the integration tests and the benchmarks, on 127.0.0.1 and free ports: redis-server, an
aiosmtpd SMTP server that collects what it accepts (and fails on demand), Celery worker and beat processes, a
throwaway PostgreSQL cluster the caller owns (so it may restart it), and gunicorn serving the product."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from email import message_from_bytes
from pathlib import Path

import psycopg
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
        self.folder = folder
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
        )
        wait_for(self._ready, 10, "redis-server")

    def restart(self) -> None:
        """Stop and start again on the same port, empty (no persistence): what a crashed broker comes back as."""
        self.stop()
        self.start()

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
    holds DATA replies while `hold` is set (to kill a worker at a known point), and takes `delay` seconds over
    each message (a slow server, to keep a worker busy through a fault)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list = []
        self.envelopes: list[tuple[str, bytes]] = []  # (envelope sender, the message as received)
        self.refuse: set[str] = set()
        self.tempfail = False
        self.tempfailed = 0
        self.hold = threading.Event()
        self.held = 0
        self.drop_held = False
        self.delay = 0.0

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

        if self.delay:
            await asyncio.sleep(self.delay)
        if self.hold.is_set():
            with self.lock:
                self.held += 1
            while self.hold.is_set():
                await asyncio.sleep(0.05)
            if self.drop_held:
                return "421 4.3.2 Shutting down"
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content))
            self.envelopes.append((envelope.mail_from, envelope.content))
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

    def stop(self, graceful: bool = True) -> None:
        """SIGTERM and wait for the warm shutdown (about 3 s for a worker); graceful=False kills at once, for when
        nothing is left to wait for."""
        if self.process.poll() is None:
            if not graceful:
                self.kill()
            else:
                os.killpg(self.process.pid, signal.SIGTERM)
                try:
                    self.process.wait(15)
                except subprocess.TimeoutExpired:
                    self.kill()
        self.log.close()


def postgresql_bin() -> Path:
    """Debian's newest PostgreSQL server programs (initdb, pg_ctl), as bin/test finds them."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name))
    if not versions:
        raise AssertionError("PostgreSQL's server programs are not installed (bin/test installs them)")
    return versions[-1]


class PostgreSQL:
    """A throwaway cluster (initdb) owned by the caller, on a free port, so a test may restart it at will.
    As root, the server runs as the postgres user (PostgreSQL refuses to run as root)."""

    def __init__(self, name: str = "rocbap") -> None:
        self.port = free_port()
        self.name = name
        # Its own folder outside pytest's tmp_path: the postgres user must be able to reach it.
        self.folder = Path(tempfile.mkdtemp(prefix="rocbap-pg-"))
        self.folder.chmod(0o755)
        self.data = self.folder / "data"
        self.data.mkdir()
        self.as_owner: list[str] = []
        if os.getuid() == 0:
            shutil.chown(self.data, "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def _run(self, program: str, *args: str) -> None:
        subprocess.run([*self.as_owner, str(postgresql_bin() / program), *args], check=True, capture_output=True)

    def _ctl(self, action: str, *args: str) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
        log = str(self.data / "log")
        self._run("pg_ctl", action, "-D", str(self.data), "-l", log, "-w", "-m", "fast", "-o", options, *args)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.name}"

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> None:
        """pg_ctl restart -m fast: every open connection is cut, the server is back after about a second."""
        self._ctl("restart")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._ctl("stop")
        shutil.rmtree(self.folder, ignore_errors=True)


class Gunicorn:
    """The product under gunicorn (sync workers, production settings, DEBUG off), serving the static files collected
    in `static_root`, or else collected into `folder` first, as the image does at build."""

    def __init__(self, env: dict[str, str], folder: Path, workers: int = 2, static_root: Path | None = None) -> None:
        self.port = free_port()
        self.workers = workers
        self.env = {
            **os.environ,
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_ROOT": str(static_root or folder / "static"),
            "PYTHONDONTWRITEBYTECODE": "1",
            **env,
        }
        python = sys.executable
        if static_root is None:
            collect = [python, "manage.py", "collectstatic", "--noinput", "-v0"]
            subprocess.run(collect, cwd=ROOT, env=self.env, check=True)
        self.log = open(folder / f"gunicorn-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [python, "-m", "gunicorn", "rocbap.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
             "--no-control-socket", "--log-level", "warning", "--timeout", "60"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for(self._ready, 30, "gunicorn")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {self.process.returncode}")
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2) as answer:
                return answer.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.log.close()


class Dovecot:
    """A throwaway Dovecot IMAP server (Debian's dovecot-imapd) with one user whose INBOX is the bounce mailbox.
    It runs as root with a configuration of its own (no system service); mail is kept as Maildir under `folder`."""

    user, password = "bounces", "secret"

    def __init__(self) -> None:
        if not shutil.which("dovecot"):
            raise AssertionError("Dovecot is not installed (bin/test installs dovecot-imapd)")
        self.port = free_port()
        # Its own folder outside pytest's tmp_path: Dovecot's users (dovecot, nobody) must be able to reach it.
        self.folder = Path(tempfile.mkdtemp(prefix="rocbap-dovecot-"))
        self.folder.chmod(0o755)
        home = self.folder / "home"
        home.mkdir()
        shutil.chown(home, "nobody", "nogroup")
        (self.folder / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        self.config = self.folder / "dovecot.conf"
        self.config.write_text(
            f"""protocols = imap
listen = 127.0.0.1
base_dir = {self.folder}/run
state_dir = {self.folder}/state
log_path = {self.folder}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {self.folder}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={home}/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""
        )
        subprocess.run(["dovecot", "-c", str(self.config)], check=True)
        wait_for(self._ready, 10, "dovecot")

    def _ready(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                return conn.recv(64).startswith(b"* OK")
        except OSError:
            return False

    @property
    def url(self) -> str:
        return f"imap://{self.user}:{self.password}@127.0.0.1:{self.port}/INBOX"

    def imap(self):
        import imaplib

        connection = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        connection.login(self.user, self.password)
        connection.select("INBOX")
        return connection

    def append(self, reports: list[bytes]) -> None:
        """Deliver reports into INBOX, as the mail server that receives bounces would."""
        connection = self.imap()
        try:
            for report in reports:
                status, data = connection.append("INBOX", None, None, report)
                assert status == "OK", data
        finally:
            connection.logout()

    def file(self, reports: list[bytes]) -> None:
        """Deliver reports straight into INBOX's Maildir, as a delivery agent files them: for many reports at once
        (an IMAP APPEND each is some fifty times slower)."""
        new = self.folder / "home" / self.user / "Maildir" / "new"
        if not new.is_dir():
            self.imap().logout()  # Dovecot makes the Maildir at the first login
        for number, report in enumerate(reports):
            path = new / f"{time.time_ns()}.rocbap{number}.localhost"
            path.write_bytes(report)
            shutil.chown(path, "nobody", "nogroup")

    def inbox(self) -> list[bytes]:
        """Every report still in INBOX (read without marking it seen)."""
        connection = self.imap()
        try:
            _, data = connection.uid("SEARCH", "ALL")
            uids = data[0].split()
            if not uids:
                return []
            _, data = connection.uid("FETCH", b",".join(uids).decode(), "(BODY.PEEK[])")
            return [item[1] for item in data if isinstance(item, tuple)]
        finally:
            connection.logout()

    def stop(self) -> None:
        pid_file = self.folder / "run" / "master.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().strip())
            os.kill(pid, signal.SIGTERM)
            wait_for(lambda: not _alive(pid), 10, "dovecot to stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


# What the whole-stack fault tests share: the processes' environment and the database read from outside.
def stack_env(database, redis, smtp, tmp_path) -> dict[str, str]:
    return {
        "DATABASE_URL": database.url,
        "REDIS_URL": redis.url,
        "EMAIL_URL": smtp.url + "?timeout=5",
        "SITE_URL": "http://127.0.0.1:8000",
        "SECRET_KEY": "whole-stack-faults-" + "k" * 40,
        "VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "rocbap.settings",
        "LOG_LEVEL": "WARNING",
        "SURVEY_DISPATCH_EVERY_SECONDS": "1",
        "SURVEY_CLAIM_SECONDS": "6",
        "SURVEY_RETRY_SECONDS": "1",
        "SURVEY_BATCH_SIZE": "10",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def query(database, sql: str) -> list[tuple]:
    # A fresh connection each time: the cluster restarts during the test.
    with psycopg.connect(database.url, connect_timeout=5) as connection:
        return connection.execute(sql).fetchall()


def pending(database) -> int:
    try:
        return query(database, "SELECT count(*) FROM surveys_message WHERE status = 'pending'")[0][0]
    except psycopg.OperationalError:
        return -1
