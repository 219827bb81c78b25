"""Who acts: an account (`User`) or the platform itself (`System`), one type passed to every service.

A service checks permissions for a User and skips them for a System, which it records in the audit trail
with its reason ("system:demo", "system:command: touzi import"). There is no third spelling: `None` is not
an actor, so a caller that forgot to say who acts fails loudly instead of silently skipping every check.

The platform acts explicitly and says why — `System("demo")`, `System("command: touzi import")` — so a
record written without an account still tells which path wrote it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, TypeAlias, TypeGuard

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from touzi.accounts.models import User

# The audit records' actor_name of a System: "system:<reason>" (touzi.audit.presenters shows it in words).
SYSTEM_PREFIX = "system:"


@dataclass(frozen=True)
class System:
    """The platform acting on its own (the demo, a command run without --user, a scheduled job): sees everything."""

    reason: str

    # Read where a user would be (scoping, `getattr(actor, "pk", None)`): an authenticated non-account.
    is_authenticated: ClassVar[bool] = True
    is_active: ClassVar[bool] = True
    pk: ClassVar[None] = None

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("System needs a reason: which path acts (e.g. System('demo'))")

    def __str__(self) -> str:
        return f"{SYSTEM_PREFIX}{self.reason}"


Actor: TypeAlias = "User | System"

# Whom a read is for: an actor, or a visitor who is not signed in (scoping shows them nothing). The scoping
# functions take it; selectors and services take an Actor.
Viewer: TypeAlias = "User | System | AnonymousUser"


def is_system(actor: Actor) -> TypeGuard[System]:
    """True for the platform; a User is False; anything else (None above all) is a caller's mistake."""
    if isinstance(actor, System):
        return True
    if actor is None or not hasattr(actor, "get_username"):
        raise TypeError(f"an actor is a User or System(reason), not {actor!r}")
    return False


def is_user(actor: Actor) -> TypeGuard[User]:
    """True for an account, False for the platform (and the same TypeError as `is_system` for a non-actor)."""
    return not is_system(actor)


def user_of(actor: Actor) -> User | None:
    """The account behind the act (for `submitted_by`, `uploaded_by` …), None for the platform."""
    return actor if is_user(actor) else None


def allowed(actor: Actor, check: Callable[[User], bool]) -> bool:
    """Whether the actor may: the platform always, a user when `check(user)` says so."""
    return check(actor) if is_user(actor) else True


def to_ref(actor: Actor) -> int | str:
    """The actor in a form that survives JSON (a job's arguments): a user's id, or "system:<reason>"."""
    return actor.pk if is_user(actor) else str(actor)


def from_ref(ref: int | str) -> Actor:
    """The actor `to_ref` wrote, read back in the worker."""
    if isinstance(ref, str):
        if not ref.startswith(SYSTEM_PREFIX):
            raise ValueError(f"not an actor reference: {ref!r}")
        return System(ref[len(SYSTEM_PREFIX):])
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=ref)
