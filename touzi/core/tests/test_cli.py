"""The `touzi` command ends quietly when the reader of its output goes away (`touzi warnings … | head`).

The reader's end of the pipe is closed before the command writes anything, so the very first write fails:
whether a pipe buffer would have absorbed the output (as it does for a short `touzi plan show | head -1`) makes
no difference to the test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from touzi.cli import CLOSED_PIPE_STATUS

SERIES = Path(__file__).resolve().parents[2] / "monitoring" / "data" / "china_fai_monthly_2011_2018.csv"


def _env(tmp_path: Path) -> dict[str, str]:
    # A throwaway SQLite database, not the test run's own: these commands read no data but the system checks
    # open the database.
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TOUZI_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))}
    return {**env, "TOUZI_DATA_DIR": str(tmp_path)}


def _into_closed_pipe(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    reader, writer = os.pipe()
    os.close(reader)  # like `| head` after it has read its line
    try:
        return subprocess.run([sys.executable, "-m", "touzi.cli", *args], stdout=writer, stderr=subprocess.PIPE,
                              env=_env(tmp_path), text=True, timeout=300, check=False)
    finally:
        os.close(writer)


def test_a_touzi_command_piped_into_a_closed_reader_ends_without_a_traceback(tmp_path) -> None:
    result = _into_closed_pipe(tmp_path, "forecast", "backtest", "--series", str(SERIES))
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr, result.stderr
    assert result.stderr == ""
    assert result.returncode == CLOSED_PIPE_STATUS


def test_django_output_flushed_at_exit_into_a_closed_reader_ends_without_a_traceback(tmp_path) -> None:
    """`touzi help` prints through sys.stdout, whose buffer is written at exit: no "Exception ignored" then."""
    result = _into_closed_pipe(tmp_path, "help")
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
    assert result.returncode == CLOSED_PIPE_STATUS


def test_a_command_read_to_the_end_still_succeeds(tmp_path) -> None:
    result = subprocess.run([sys.executable, "-m", "touzi.cli", "forecast", "backtest", "--series", str(SERIES)],
                            capture_output=True, env=_env(tmp_path), text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
