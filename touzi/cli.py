"""The `touzi` console command: Django's management commands under one name.

`touzi demo`, `touzi serve`, `touzi plan load FILE`, `touzi migrate` … are all
management commands; this wrapper only picks the settings module.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "touzi.settings")
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["demo"]:
        # The demo shows the demo banner and accepts the demo accounts.
        os.environ.setdefault("TOUZI_DEMO", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["touzi", *args])


if __name__ == "__main__":
    main()
