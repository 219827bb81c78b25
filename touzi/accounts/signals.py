"""Sign-in bookkeeping: session stamps and the user → session map, forgiving one's own failures after a
success, and an audit record for every lockout (sign-ins, failures and sign-outs are audited in touzi.audit)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext as _

from touzi.accounts import sessions
from touzi.audit.choices import Event
from touzi.audit.services import record

if TYPE_CHECKING:
    from touzi.accounts.models import User


@receiver(user_logged_in, dispatch_uid="touzi-accounts-signed-in")
def _signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None:
        return
    sessions.start(request, user)
    # The account's own earlier failures from this address are forgiven; other accounts' failures from the
    # same address are not (else one valid account would reset the counter of every account it attacks).
    from axes.models import AccessAttempt

    from touzi.audit.middleware import client_ip

    AccessAttempt.objects.filter(username=user.get_username(), ip_address=client_ip(request)).delete()


@receiver(user_logged_out, dispatch_uid="touzi-accounts-signed-out")
def _signed_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        sessions.forget(session.session_key)


@receiver(user_locked_out, dispatch_uid="touzi-accounts-locked-out")
def _locked_out(sender: Any, request: HttpRequest | None = None, username: str | None = None, ip_address: str | None = None,
                **kwargs: Any) -> None:
    # Axes also sends this for every attempt made while already locked: those are audited as refused
    # sign-ins (touzi.audit.signals), only the moment of locking is a lockout.
    if request is not None and getattr(request, "axes_failures_since_start", None) is None:
        return
    from touzi.accounts.lockout import lock_of

    what = []
    if username and lock_of(username=username).locked:
        what.append(_("账号"))
    if ip_address and lock_of(ip_address=ip_address).locked:
        what.append(_("地址") + f" {ip_address}")
    with transaction.atomic():
        record(Event.LOCKOUT, success=False, actor_name=str(username or "")[:150], object_type="accounts.user",
               object_repr=str(username or ""),
               after={"username": username, "ip": ip_address, "locked": what, "minutes": settings.LOCKOUT_MINUTES},
               message=_("连续%(n)s次登录失败,锁定%(what)s %(minutes)s分钟") % {
                   "n": settings.LOCKOUT_FAILURES, "what": "、".join(what) or _("账号或地址"),
                   "minutes": settings.LOCKOUT_MINUTES})
