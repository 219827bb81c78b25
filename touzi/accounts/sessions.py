"""Sessions of a user: sign-in time and last activity (idle and absolute limits), and the user → session map
that lets disabling an account end every session it has."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.contrib.sessions.models import Session
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

if TYPE_CHECKING:
    from touzi.accounts.models import User

SIGNED_IN_AT = "touzi_signed_in_at"
LAST_SEEN = "touzi_last_seen"
# Last activity is written at most this often, so that reading pages does not write the session every time.
SEEN_RESOLUTION = 60


def start(request: HttpRequest, user: User) -> None:
    """On sign-in: stamp the session and remember that it is this user's."""
    from touzi.accounts.models import UserSession

    session = getattr(request, "session", None)
    if session is None:
        return
    now = time.time()
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN] = now
    if session.session_key is None:
        session.save()
    remember(user, session.session_key)
    # Forget the rows of sessions that have ended (expired or signed out elsewhere).
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    UserSession.objects.filter(user=user).exclude(Q(session_key__in=live) | Q(session_key=session.session_key)).delete()


def remember(user: User, key: str | None) -> None:
    from touzi.accounts.models import UserSession

    if key:
        UserSession.objects.update_or_create(session_key=key, defaults={"user": user})


def forget(key: str | None) -> None:
    from touzi.accounts.models import UserSession

    if key:
        UserSession.objects.filter(session_key=key).delete()


def end_all(user: User) -> int:
    """Delete every session of the user; the next request of any of them is anonymous. Returns how many."""
    from touzi.accounts.models import UserSession

    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    ended, _ = Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return ended
