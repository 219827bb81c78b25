"""The data version: the newest audit record of a change, which moves with every committed business act.

Every business act writes its audit record in the same transaction as the change, and audit writers are
serialised, so the largest committed id grows with every commit that could change a figure. Caches of
computed pages (the dashboard, the project list: touzi.core.scoped_cache) put it in their keys and are
never stale after a commit, with no invalidation code anywhere else.
"""

from __future__ import annotations

from touzi.audit.choices import Event
from touzi.audit.models import AuditRecord

# Audit events that change no figure: signing in and out must not empty the cache (20 people signing in
# one after another would otherwise rebuild every dashboard 20 times). Any other event, including ones
# added later, counts as a change.
NOT_CHANGES = (Event.SIGN_IN, Event.SIGN_IN_FAILED, Event.SIGN_OUT, Event.LOCKOUT, Event.UNLOCK, Event.TOKEN,
               Event.EXPORT)


def data_version() -> str:
    """The newest audit record of a change (one indexed lookup).

    Its hash goes with its id, so a rolled-back transaction whose id is reused (SQLite) or a restored
    backup never passes for the version it replaced.
    """
    newest = (AuditRecord.objects.exclude(event__in=NOT_CHANGES).order_by("-id").values_list("id", "hash")
              .first())
    return f"{newest[0]}:{newest[1]}" if newest else "0"
