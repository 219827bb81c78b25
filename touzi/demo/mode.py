"""Whether this installation is a demo: the demo banner shows and the demo accounts (public password) sign in.

TOUZI_DEMO=true or false decides when set. Unset, a database that `touzi demo` built is a demo (it records so
in `DemoDatabase`), so the README's commands work on it with nothing else set; any other database is not, and
keeps refusing the demo accounts. Production never takes demo mode from the database: a production server
that really is a public demo says TOUZI_DEMO=true.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import HttpRequest

from touzi.audit.choices import Event
from touzi.audit.context import current
from touzi.audit.services import record
from touzi.core.actor import Actor, user_of
from touzi.core.models import DemoDatabase

_ON_REQUEST = "_touzi_demo_mode"


def demo_database() -> bool:
    """True when `touzi demo` built this database."""
    try:
        # One plain query, no savepoint: pages ask it on every request. The table is missing only before
        # `touzi migrate` (its system checks ask, outside any transaction).
        return DemoDatabase.objects.exists()
    except DatabaseError:
        return False  # not migrated yet: not a demo


def demo_mode(request: HttpRequest | None = None) -> bool:
    """Demo mode for this call; worked out once per request (the banner and the sign-in both ask)."""
    if settings.DEMO_MODE is not None:
        return bool(settings.DEMO_MODE)
    if settings.PRODUCTION:
        return False
    if request is None:
        return demo_database()
    cached = getattr(request, _ON_REQUEST, None)
    if cached is None:
        cached = demo_database()
        setattr(request, _ON_REQUEST, cached)
    return cached


def mark_demo_database(*, actor: Actor) -> bool:
    """Record that `touzi demo` built this database (audited); True when it was not recorded before."""
    with transaction.atomic():
        if DemoDatabase.objects.exists():
            return False
        user = user_of(actor)
        built_by = user.get_username() if user is not None and user.pk else current().actor_name
        marker = DemoDatabase.objects.create(built_by=built_by)
        record(Event.CREATE, actor=actor, obj=marker, object_repr=str(marker),
               after={"built_by": marker.built_by, "built_at": marker.built_at})
    return True
