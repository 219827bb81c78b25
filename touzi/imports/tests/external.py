"""A real installation beside the test run: its own database, `touzi` commands and a gunicorn server.

The pytest database lives in memory (SQLite) or in a transaction (PostgreSQL), out of reach of another
process. Tests that must run the CLI or a web server as separate processes get a site of their own: a
migrated SQLite file in a temporary directory, or a fresh PostgreSQL database on the server the suite
uses (created and dropped here), with the mini plan and one plan-office account.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests

from touzi.lib.env import database_from_url

MINI_PLAN = Path(__file__).resolve().parents[2] / "plans" / "tests" / "fixtures" / "mini.yaml"
USERNAME, PASSWORD = "office-hostile", "Corpus#2024check"
_CREATE_USER = (
    "from touzi.accounts.services import create_user; from touzi.accounts.roles import Role; "
    "from touzi.units.models import Unit; from touzi.core.actor import System; "
    f"create_user({USERNAME!r}, {PASSWORD!r}, role=Role.PLAN_OFFICE, unit=Unit.objects.get(key='drc'), "
    "actor=System(\"test\"))"
)


@dataclass
class Site:
    env: dict[str, str]
    data_dir: Path
    servers: list[subprocess.Popen] = field(default_factory=list)

    def touzi(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "touzi.cli", *args], env=self.env, capture_output=True,
                              text=True, timeout=timeout, check=False)

    def touzi_measured(self, *args: str) -> tuple[int, str, str, int]:
        """Exit code, stdout, stderr and peak RSS (bytes) of the command and of the children it waited for."""
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            process = subprocess.Popen([sys.executable, "-m", "touzi.cli", *args], env=self.env, text=True,
                                       stdout=out, stderr=err)
            _, status, usage = os.wait4(process.pid, 0)  # not Popen.wait: its rusage is what is measured
            process.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            return process.returncode, out.read(), err.read(), usage.ru_maxrss * 1024


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@contextlib.contextmanager
def _database(data_dir: Path) -> Iterator[dict[str, str]]:
    """Environment pointing at a new, empty database (SQLite file, or a PostgreSQL database dropped after)."""
    url = _postgres_url()
    if url is None:
        yield {"TOUZI_DATA_DIR": str(data_dir)}
        return
    db = database_from_url(url)
    name = f"touzi_site_{uuid.uuid4().hex[:10]}"
    admin = dict(dbname="postgres", user=db["USER"] or None, password=db["PASSWORD"] or None,
                 host=db["HOST"] or None, port=db["PORT"] or None, autocommit=True)
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {"TOUZI_DATA_DIR": str(data_dir), "DATABASE_URL": re.sub(r"/[^/]*$", f"/{name}", url)}
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


@contextlib.contextmanager
def site(data_dir: Path, **settings: str) -> Iterator[Site]:
    """A migrated installation with the mini plan and a plan-office account; servers stopped on exit."""
    base = {key: value for key, value in os.environ.items()
            if not key.startswith(("TOUZI_", "DJANGO_", "DATABASE_URL", "PYTEST"))}
    with _database(data_dir) as database:
        env = {**base, **database, "DJANGO_SETTINGS_MODULE": "touzi.settings", "TOUZI_DB_CONN_MAX_AGE": "0",
               **settings}
        built = Site(env=env, data_dir=data_dir)
        for step in (("migrate", "-v0"), ("plan", "load", str(MINI_PLAN)), ("shell", "-c", _CREATE_USER)):
            result = built.touzi(*step)
            assert result.returncode == 0, f"{step}: {result.stdout}{result.stderr}"
        try:
            yield built
        finally:
            for server in built.servers:
                server.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    server.wait(timeout=10)
                server.kill()


@dataclass
class Gunicorn:
    process: subprocess.Popen
    base_url: str

    def workers(self) -> set[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return {int(pid) for pid in children}

    def signed_in(self) -> requests.Session:
        session = requests.Session()
        session.get(f"{self.base_url}/accounts/login/", timeout=30)
        answer = session.post(f"{self.base_url}/accounts/login/", timeout=30, allow_redirects=False, data={
            "username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]})
        assert answer.status_code == 302, answer.text[:500]
        return session


def peak_memory(pid: int) -> int:
    """VmHWM of a process, in bytes: the most resident memory it has held."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise LookupError(pid)


def gunicorn(built: Site, *, threads: int = 2) -> Gunicorn:
    """One gunicorn worker (threaded, as in production) serving the site; stopped with the site."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "touzi.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--threads", str(threads), "--timeout", "120", "--log-level", "warning"],
        env=built.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    built.servers.append(process)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {process.stderr.read() if process.stderr else ''}")
        with contextlib.suppress(requests.ConnectionError):
            if requests.get(f"{base_url}/accounts/login/", timeout=5).status_code == 200:
                return Gunicorn(process, base_url)
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 60 s")
