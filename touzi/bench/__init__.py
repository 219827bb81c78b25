"""Benchmarks: measurements, never tests (docs/performance.md).

`touzi bench` imports `touzi.bench.runner`; each module also runs on its own as
`python -m touzi.bench.<module> …`. The package ships in the wheel and finds everything by import,
never by a path into a source checkout: child processes run this interpreter (`sys.executable`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# A source checkout (editable install) keeps its benchmark data beside the development database in var/.
_SOURCE = Path(__file__).resolve().parents[2]


def work_dir() -> Path:
    """Where the benchmarks keep their databases and files: $TOUZI_DATA_DIR/bench; else var/bench of the
    source checkout when Touzi runs from one; else var/bench under the current directory (an installed wheel)."""
    if os.environ.get("TOUZI_DATA_DIR"):
        return Path(os.environ["TOUZI_DATA_DIR"]).resolve() / "bench"
    base = _SOURCE if (_SOURCE / "pyproject.toml").is_file() else Path.cwd()
    return base / "var" / "bench"


def touzi_command(*args: str) -> list[str]:
    """`touzi …` run by this interpreter: the same installation whatever the PATH or the virtualenv's folder."""
    return [sys.executable, "-m", "touzi.cli", *args]
