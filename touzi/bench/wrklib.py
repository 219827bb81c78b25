"""Load from wrk (C, one epoll thread per connection) instead of Python threads, for the web benchmarks.

The Python virtual users of loadlib cost CPU on the same cores as the server (and their own GIL adds to the
latency they measure). wrk costs almost none. Sessions are still made by the Python users, through the real
sign-in page; wrk then runs one thread with one connection per user (`-t N -c N`), so each connection keeps
its user's cookie. The Lua script cycles the pages like touzi/bench/p4_web.py's Python users (a page, then the
static file) and, as wrk gives no per-request latency to Lua, times each answer itself (clock_gettime through
LuaJIT's ffi, between writing the request and the complete answer: with one connection per thread and no
pipelining wrk calls request() right before writing and response() when the answer is complete). Each thread
writes `label<TAB>status<TAB>started<TAB>seconds` lines to a file of its own; they are read back into a
Recorder, so both clients report the same figures.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import TypedDict

from touzi.bench.loadlib import Recorder, Sample

LUA = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef long time_t;
typedef struct timespec { time_t tv_sec; long tv_nsec; } timespec;
int clock_gettime(int clk_id, timespec *tp);
]]
local ts = ffi.new("timespec[1]")
local function now()  -- CLOCK_REALTIME: wall time, comparable with Python's time.time()
  ffi.C.clock_gettime(0, ts)
  return tonumber(ts[0].tv_sec) + tonumber(ts[0].tv_nsec) / 1e9
end

local users = %(users)s
local pages = %(pages)s
local static = %(static)s
local out_dir = %(out_dir)s
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

local cookie, out, started, label, step, filtered

function init(args)
  cookie = users[id]
  out = io.open(out_dir .. "/samples-" .. id .. ".tsv", "w")
  out:setvbuf("line")
  math.randomseed(id)
  step = 0
end

function request()
  step = step + 1
  local path
  if step %% 2 == 0 then
    label, path = "static file", static
  else
    -- the same mix as the Python users: dashboard twice, the first page once, a filtered page once
    local pick = math.random(4)
    if pick <= 2 then label, path = pages[1][1], pages[1][2]
    elseif pick == 3 then label, path = pages[2][1], pages[2][2]
    else
      local f = pages[2 + math.random(#pages - 2)]
      label, path = f[1], f[2]
    end
  end
  started = now()
  return wrk.format("GET", path, {["Cookie"] = cookie, ["Accept-Language"] = "zh-hans"})
end

function response(status, headers, body)
  local t = now()
  out:write(label, "\t", status, "\t", string.format("%%.6f", started), "\t",
            string.format("%%.6f", t - started), "\n")
end
"""


def _lua(value: object) -> str:
    """A Python list/str as a Lua literal (JSON strings are valid Lua strings for our ASCII-escaped text)."""
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "{" + ", ".join(_lua(v) for v in value) + "}"
    raise TypeError(value)


class WrkRun(TypedDict):
    """How wrk ended: its exit code, its report and its errors."""

    returncode: int
    output: str
    stderr: str


def run_wrk(port: int, cookies: list[str], pages: list[tuple[str, str]], static: str, seconds: float,
            recorder: Recorder) -> WrkRun:
    """Run wrk with one connection per cookie for `seconds`; every answer goes into `recorder`."""
    with tempfile.TemporaryDirectory(prefix="touzi-wrk-") as tmp:
        script = Path(tmp) / "p4.lua"
        script.write_text(LUA % {"users": _lua(cookies), "pages": _lua([list(p) for p in pages]),
                                 "static": _lua(static), "out_dir": _lua(tmp)})
        n = len(cookies)
        done = subprocess.run(["wrk", "-t", str(n), "-c", str(n), "-d", f"{seconds:.0f}s", "--timeout", "60s",
                               "-s", str(script), f"http://127.0.0.1:{port}"],
                              capture_output=True, text=True, check=False)
        for path in Path(tmp).glob("samples-*.tsv"):
            for line in path.read_text().splitlines():
                label, status, started, took = line.split("\t")
                recorder.add(Sample(label, int(status), float(took), float(started)))
    return {"returncode": done.returncode, "output": done.stdout.strip(), "stderr": done.stderr.strip()}
