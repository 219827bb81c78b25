"""Deploy check: the parsing sandbox's memory ceiling really holds on this machine.

Uploaded workbooks are parsed in a child process under an address-space limit (touzi/lib/sandbox.py). In
a container that forbids setrlimit, or on a kernel without pidfd, that protection would silently vanish;
`touzi check --deploy` runs a probe that allocates past the ceiling and says so if it was not stopped.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from touzi.lib import sandbox
from touzi.lib.xlsx import MIB


@checks.register(checks.Tags.security, deploy=True)
def parsing_sandbox_holds(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    ceiling = sandbox.Ceiling(memory_bytes=settings.IMPORT_PARSE_MEMORY_MB * MIB,
                              cpu_seconds=settings.IMPORT_PARSE_CPU_SECONDS)
    try:
        holds = sandbox.ceiling_holds(ceiling)
    except OSError as exc:
        holds, why = False, str(exc)
    else:
        why = "a probe allocating past the ceiling was not stopped"
    if holds:
        return []
    return [checks.Error(
        f"The parsing sandbox does not hold on this machine: {why}",
        hint="Uploaded workbooks would be parsed without a memory ceiling. Allow setrlimit(RLIMIT_AS) and fork "
             "for the server's account (Linux ≥ 5.3); see docs/security.md.",
        id="touzi.E010",
    )]
