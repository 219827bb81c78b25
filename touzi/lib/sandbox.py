"""Run a parser of untrusted input in a child process with a memory and CPU ceiling.

A bug in a native parser (python-calamine is Rust) can abort the whole process: a workbook that
declares four billion shared strings makes it reserve 96 GB and abort, another makes it panic.
In the web server that is a dead worker per upload. Here the parser runs in a child process with
its own ceiling (address space, CPU seconds, no file writes, no core dump); whatever it does, the
caller gets the items it produced or a :class:`SandboxError`, and goes on.

How: each process that needs the sandbox starts one small **sandbox server** (``python -m
touzi.lib.sandbox``, single-threaded, no database, the parsers already imported) and talks to it
over a Unix socket. For each job it makes a socket pair and passes one end to the server, which
forks a *supervisor*, which forks the *worker*: the worker sets its limits, reads the job (the
input bytes and arguments) from the socket, runs the registered work function and writes what it
yields back as JSON lines; the supervisor waits for the worker (killing it if the caller hangs
up), then writes the worker's exit status and peak memory as the last line. Forking the small
server costs about a millisecond, where forking the web process (hundreds of MB, several threads)
would cost 10–20 ms and copy a threaded process; a new interpreter per job would cost ~60 ms and
re-import the parsers.

Work functions are registered by name (:func:`register`), and the server imports only the
modules in :data:`PRELOAD`: a job names a function, it cannot make the server import anything.
Items travel as JSON, never pickles, so a worker that a parser bug has taken over can send nothing
the caller would execute; dates, times and durations are carried as tagged objects.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import json
import os
import resource
import select
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

PRELOAD = ("touzi.lib.xlsx", "touzi.lib.photos")
"""Modules the server imports at start; they register the work functions."""

_ITEM = b"I"  # one JSON value follows
_DONE = b"D"  # the work function returned
_REFUSED = b"F"  # the work function raised SandboxRefusal: its message follows (JSON)
_CRASHED = b"X"  # any other exception in the worker (its type name follows)
_STATUS = b"S"  # from the supervisor, last: the worker's wait status and peak memory (JSON)
_EXIT_MEMORY = 3  # the worker's Python ran out of memory under the ceiling
_FD_ENV = "TOUZI_SANDBOX_FD"

Work = Callable[..., Iterator[Any]]
_registry: dict[str, Work] = {}


class SandboxError(Exception):
    """The worker could not finish: `reason` is "memory", "cpu", "crash" or "refused"."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class SandboxRefusal(Exception):  # a refusal, not an error of the sandbox
    """Raised by a work function to refuse its input with a message the caller passes on."""


@dataclass(frozen=True)
class Ceiling:
    memory_bytes: int  # address space the worker may add to what it has when it starts
    cpu_seconds: int


@dataclass
class Usage:
    """What the last worker of this process used, for tests and benchmarks."""

    max_rss_bytes: int = 0
    exit_status: int = 0


last_usage = Usage()


def register(name: str) -> Callable[[Work], Work]:
    """Make `work(blob: bytes, *args)` runnable in the sandbox under `name`."""

    def decorate(work: Work) -> Work:
        _registry[name] = work
        return work

    return decorate


# ---------------------------------------------------------------------------
# The caller's side
# ---------------------------------------------------------------------------


def run(name: str, blob: bytes, *args: Any, ceiling: Ceiling) -> Channel:
    """Start the work registered as `name` on `blob` and `args`; iterate the channel for what it yields.

    Close the channel (or leave its `with` block) to stop early: the worker is killed. Iterating
    raises SandboxError when the worker dies, runs out of memory or CPU time, or the work raises
    SandboxRefusal (reason "refused", the message in `detail`).
    """
    if name not in _registry:
        raise KeyError(f"no sandbox work registered as {name!r}")
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        _server().submit(theirs)
    except BaseException:
        ours.close()
        raise
    finally:
        theirs.close()
    header = {"work": name, "args": list(args), "size": len(blob),
              "ceiling": [ceiling.memory_bytes, ceiling.cpu_seconds]}
    channel = Channel(ours)
    with contextlib.suppress(OSError):  # a worker that died early stops reading: its status says why
        ours.sendall(json.dumps(header).encode() + b"\n")
        ours.sendall(blob)
    return channel


class Channel:
    """The worker's output, read lazily."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock: socket.socket | None = sock
        self._reader = sock.makefile("rb", buffering=1 << 16)

    def __iter__(self) -> Iterator[Any]:
        try:
            yield from self._items()
        finally:
            self.close()

    def __enter__(self) -> Channel:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _items(self) -> Iterator[Any]:
        outcome: SandboxError | None = None
        done = False
        for line in self._reader:
            tag, body = line[:1], line[1:]
            if tag == _ITEM and not (done or outcome):
                yield json.loads(body, object_hook=_decode_tagged)
            elif tag == _DONE:
                done = True
            elif tag == _REFUSED:
                outcome = SandboxError("refused", json.loads(body))
            elif tag == _CRASHED:
                outcome = SandboxError("crash", body.decode("ascii", "replace").strip())
            elif tag == _STATUS:
                status = json.loads(body)
                last_usage.max_rss_bytes = status["maxrss"]
                last_usage.exit_status = status["status"]
                if outcome is None and not done:
                    outcome = SandboxError(*_death_reason(status["status"]))
                break
            else:
                outcome = outcome or SandboxError("crash", "garbled output")
        else:
            outcome = outcome or (None if done else SandboxError("crash", "the sandbox server went away"))
        if outcome is not None:
            raise outcome

    def close(self) -> None:
        if self._sock is None:
            return
        self._reader.close()
        self._sock.close()  # the supervisor sees the hang-up and kills the worker
        self._sock = None


def _death_reason(status: int) -> tuple[str, str]:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        name = signal.Signals(number).name
        if number == signal.SIGXCPU:
            return "cpu", name
        # Rust aborts (SIGABRT) when an allocation fails; SIGSEGV/SIGBUS/SIGKILL are crashes.
        return ("memory" if number == signal.SIGABRT else "crash"), name
    code = os.waitstatus_to_exitcode(status)
    return ("memory" if code == _EXIT_MEMORY else "crash"), f"exit {code}"


class _Server:
    """One sandbox server process per caller process (started on first use, again after a fork)."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        env = {**os.environ, _FD_ENV: str(theirs.fileno())}
        self.process = subprocess.Popen([sys.executable, "-m", "touzi.lib.sandbox"], env=env,
                                        pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
        theirs.close()
        self.sock = ours
        self.owner = os.getpid()
        self.lock = threading.Lock()

    def usable(self) -> bool:
        return self.owner == os.getpid() and self.process.poll() is None

    def submit(self, job: socket.socket) -> None:
        with self.lock:
            socket.send_fds(self.sock, [b"J"], [job.fileno()])

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        if self.owner == os.getpid():
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
            self.process.kill()


_current: _Server | None = None
_current_lock = threading.Lock()


def _server() -> _Server:
    global _current
    with _current_lock:
        if _current is None or not _current.usable():
            if _current is not None and _current.owner == os.getpid():
                _current.stop()
            _current = _Server()
        return _current


def stop_server() -> None:
    """Stop this process's sandbox server (it also stops by itself when this process exits)."""
    global _current
    with _current_lock:
        if _current is not None:
            _current.stop()
            _current = None


# ---------------------------------------------------------------------------
# The server, its supervisors and workers
# ---------------------------------------------------------------------------


def serve(control_fd: int) -> None:  # pragma: no cover - runs in the server process
    for module in PRELOAD:
        importlib.import_module(module)
    control = socket.socket(fileno=control_fd)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # supervisors are reaped by the kernel
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C in a terminal reaches the whole group: the caller decides
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 16, 1)
        except OSError:
            return
        if not message:  # the caller's process is gone
            return
        for job_fd in fds:
            if os.fork() == 0:
                control.close()
                _supervise(job_fd)
            os.close(job_fd)


def _supervise(job_fd: int) -> None:  # pragma: no cover - runs in a supervisor process
    code = 0
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        worker = os.fork()
        if worker == 0:
            _work(job_fd)
        pidfd = os.pidfd_open(worker)
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        poller.register(job_fd, select.POLLRDHUP)
        while True:
            ready = {fd for fd, _ in poller.poll()}
            if pidfd in ready:
                break
            if job_fd in ready:  # the caller hung up: nobody reads what the worker makes
                os.kill(worker, signal.SIGKILL)
                poller.unregister(job_fd)
        _, status, usage = os.wait4(worker, 0)
        report = json.dumps({"status": status, "maxrss": usage.ru_maxrss * 1024}).encode()
        with contextlib.suppress(OSError):
            os.write(job_fd, _STATUS + report + b"\n")
    except BaseException:  # whatever happens, this process ends here
        code = 1
    os._exit(code)


def _work(job_fd: int) -> None:  # pragma: no cover - runs in a worker process
    code = 0
    try:
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # the caller stopped reading: just die
        # A Rust panic prints to stderr; the caller's terminal or server log is not the place for it.
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        os.close(quiet)
        reader = os.fdopen(os.dup(job_fd), "rb", buffering=1 << 16)
        out = os.fdopen(job_fd, "wb", buffering=1 << 16)
        header = json.loads(reader.readline())
        memory, seconds = header["ceiling"]
        _confine(memory, seconds)
        blob = reader.read(header["size"])
        work = _registry[header["work"]]
        try:
            for item in work(blob, *header["args"]):
                text = json.dumps(item, ensure_ascii=False, separators=(",", ":"), default=_encode_tagged)
                out.write(_ITEM + text.encode() + b"\n")
            out.write(_DONE + b"\n")
        except SandboxRefusal as exc:
            out.write(_REFUSED + json.dumps(str(exc), ensure_ascii=False).encode() + b"\n")
        except MemoryError:
            code = _EXIT_MEMORY
        except BaseException as exc:  # a parser panic (pyo3's PanicException) is a BaseException
            out.write(_CRASHED + type(exc).__name__.encode("ascii", "replace") + b"\n")
        out.flush()
    except MemoryError:
        code = _EXIT_MEMORY
    except BaseException:  # the caller reads a missing end marker as a crash
        code = 4
    os._exit(code)


def _confine(memory_bytes: int, cpu_seconds: int) -> None:  # pragma: no cover - runs in a worker
    limit = _address_space() + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _address_space() -> int:
    """Virtual memory this process holds now (bytes): the ceiling is counted on top of it."""
    with open("/proc/self/statm", "rb") as handle:
        pages = int(handle.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


# ---------------------------------------------------------------------------
# Dates and times over JSON (the encoder calls this only for what JSON cannot hold)
# ---------------------------------------------------------------------------


def _encode_tagged(value: object) -> object:
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$t": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"$td": value.total_seconds()}
    raise TypeError(f"cannot send {type(value).__name__} from the sandbox")


def _decode_tagged(value: dict[str, Any]) -> object:
    if len(value) == 1:
        ((tag, text),) = value.items()
        if tag == "$dt":
            return dt.datetime.fromisoformat(text)
        if tag == "$d":
            return dt.date.fromisoformat(text)
        if tag == "$t":
            return dt.time.fromisoformat(text)
        if tag == "$td":
            return dt.timedelta(seconds=text)
    return value


# ---------------------------------------------------------------------------
# A probe of the ceiling itself (used by the deploy check and the tests)
# ---------------------------------------------------------------------------


class ProbePanic(BaseException):
    """What pyo3's PanicException is: a BaseException that `except Exception` would miss."""


@register("sandbox.probe")
def probe(blob: bytes, behaviour: str) -> Iterator[Any]:
    """Misbehave as asked, so that a caller can see the ceiling hold on this machine."""
    yield behaviour
    if behaviour == "echo":
        yield [blob.decode(), dt.date(2023, 3, 1), dt.datetime(2023, 3, 1, 8, 30), dt.time(8, 30),
               dt.timedelta(hours=36), 1.5, True, None, {"$d": "not a tag", "x": 1}]
    elif behaviour == "count":
        yield from range(1, 1 << 40)
    elif behaviour == "abort":
        os.abort()
    elif behaviour == "allocate":
        yield len(bytearray(64 * 1024**3))
    elif behaviour == "spin":
        while True:
            pass
    elif behaviour == "panic":
        raise ProbePanic("index out of bounds")
    elif behaviour == "refuse":
        raise SandboxRefusal("拒绝")


def ceiling_holds(ceiling: Ceiling) -> bool:
    """Whether a worker that allocates past `ceiling` is stopped here (rlimits may not apply in some containers)."""
    try:
        list(run("sandbox.probe", b"", "allocate", ceiling=ceiling))
    except SandboxError as exc:
        return exc.reason == "memory"
    return False


if __name__ == "__main__":  # pragma: no cover - the server process
    # Run the module's own copy (the one PRELOAD's modules register into), not this __main__ copy.
    from touzi.lib import sandbox as _module

    _module.serve(int(os.environ[_FD_ENV]))
