"""The `touzi` console command: Django's management commands under one name.

`touzi demo`, `touzi serve`, `touzi plan load FILE`, `touzi migrate` … are all
management commands; this wrapper picks the settings module and ends quietly
when the reader of its output goes away (`touzi warnings … | head`).
"""

from __future__ import annotations

import os
import sys

# What a shell reports for a program ended by SIGPIPE (128 + 13), as `yes | head` does: the pipeline's reader
# stopped early, the command did not finish (a command that was writing rolled its transaction back), and
# `set -o pipefail` scripts already know to expect it.
CLOSED_PIPE_STATUS = 141


def _run(args: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "touzi.settings")
    if args[:1] == ["demo"]:
        # The demo shows the demo banner and accepts the demo accounts.
        os.environ.setdefault("TOUZI_DEMO", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["touzi", *args])


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    try:
        _run(args)
        # Flush here, inside the try: buffered output that fails at interpreter exit would print
        # "Exception ignored … BrokenPipeError" instead.
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader closed the pipe (`| head`): not an error worth a traceback. As the Python documentation
        # advises (library/signal, "Note on SIGPIPE"), point stdout at /dev/null so the final flush at exit
        # cannot fail again, then leave.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(CLOSED_PIPE_STATUS)


if __name__ == "__main__":
    main()
