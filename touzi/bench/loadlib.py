"""What the web load benchmarks share: a gunicorn server in a child process, virtual users that sign in
through the real sign-in page and keep their session, and latency figures.

Virtual users are threads with their own HTTP connection and cookies (http.client, no dependencies);
the server is a separate process, so the client's time is only its own share of the CPUs.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

PASSWORD = "Bench#2026load"


def setup_django(database_url: str) -> None:
    """Django in this process, on the benchmark's database (to build data and check it afterwards)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "touzi.settings")
    os.environ.setdefault("TOUZI_DB_CONN_MAX_AGE", "0")
    import django

    django.setup()


def recreate_postgres(database_url: str) -> None:
    """Drop and create the PostgreSQL database the URL names (the benchmark's own, never a shared one)."""
    name = database_url.rsplit("/", 1)[1].split("?")[0]
    base = database_url.rsplit("/", 1)[0]
    host = re.sub(r"^postgres(ql)?://", "", base)
    user, _, hostport = host.rpartition("@")
    hostname, _, port = hostport.partition(":")
    args = ["-h", hostname, "-p", port or "5432", "-U", user or "postgres"]
    subprocess.run(["dropdb", *args, "--if-exists", "--force", name], check=True)
    subprocess.run(["createdb", *args, name], check=True)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


@dataclass
class Server:
    """gunicorn serving the project on 127.0.0.1:port with the given environment."""

    port: int
    database_url: str
    workers: int = 4
    threads: int = 4
    cache_url: str = ""
    log: Path = field(default_factory=lambda: Path("/tmp/touzi-bench-gunicorn.log"))
    process: subprocess.Popen | None = None

    def start(self) -> Server:
        env = {**os.environ, "DATABASE_URL": self.database_url, "TOUZI_ALLOWED_HOSTS": "127.0.0.1,localhost",
               "TOUZI_DB_CONN_MAX_AGE": os.environ.get("TOUZI_DB_CONN_MAX_AGE_SERVER", "60"),
               "TOUZI_CACHE_URL": self.cache_url, "TOUZI_LOG_LEVEL": "WARNING"}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "touzi.wsgi", "-w", str(self.workers), "--threads",
             str(self.threads), "-b", f"127.0.0.1:{self.port}", "--timeout", "600", "--keep-alive", "300"],
            env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/accounts/login/")
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


@dataclass
class Sample:
    label: str
    status: int
    seconds: float
    at: float


class Recorder:
    """Every request's label, status and latency, from every virtual user (thread-safe)."""

    def __init__(self) -> None:
        self.samples: list[Sample] = []
        self._lock = threading.Lock()

    def add(self, sample: Sample) -> None:
        with self._lock:
            self.samples.append(sample)

    def summary(self, label: str | None = None, since: float = 0.0) -> dict[str, Any]:
        rows = [s for s in self.samples if (label is None or s.label == label) and s.at >= since]
        times = [s.seconds * 1000 for s in rows]
        span = (max(s.at + s.seconds for s in rows) - min(s.at for s in rows)) if rows else 0
        statuses = Counter(s.status for s in rows)
        return {"requests": len(rows), "per_second": round(len(rows) / span, 1) if span else 0,
                "p50_ms": round(percentile(times, 50), 1), "p95_ms": round(percentile(times, 95), 1),
                "p99_ms": round(percentile(times, 99), 1), "max_ms": round(max(times), 1) if times else 0,
                "statuses": dict(sorted(statuses.items())),
                "errors": sum(n for status, n in statuses.items() if status >= 500 or status == 0)}


class VirtualUser:
    """One person at a browser: one connection, their cookies, signed in once through the sign-in page."""

    def __init__(self, port: int, recorder: Recorder) -> None:
        self.port = port
        self.recorder = recorder
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "zh-hans"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        headers.update(extra or {})
        return headers

    def request(self, method: str, path: str, *, label: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
        started = time.perf_counter()
        wall = time.time()
        try:
            self.conn.request(method, path, body=body, headers=self._headers(headers))
            response = self.conn.getresponse()
            data = response.read()
            status = response.status
            for value in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(value)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
            got = {k.lower(): v for k, v in response.headers.items()}
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
            status, data, got = 0, b"", {}
        self.recorder.add(Sample(label, status, time.perf_counter() - started, wall))
        return status, data, got

    def get(self, path: str, *, label: str) -> tuple[int, bytes]:
        status, data, _ = self.request("GET", path, label=label)
        return status, data

    def json(self, method: str, path: str, payload: Any = None, *, label: str,
             headers: dict[str, str] | None = None) -> tuple[int, Any]:
        body = None if payload is None else json.dumps(payload).encode()
        extra = {"Content-Type": "application/json", **(headers or {})}
        status, data, _ = self.request(method, path, label=label, body=body, headers=extra)
        try:
            return status, json.loads(data) if data else None
        except ValueError:
            return status, None

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        status, _ = self.get("/accounts/login/", label="sign-in page")
        form = urlencode({"username": username, "password": password,
                          "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}).encode()
        status, data, _ = self.request("POST", "/accounts/login/", label="sign in", body=form,
                                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{username} could not sign in: {status} {data[:300]!r}")
