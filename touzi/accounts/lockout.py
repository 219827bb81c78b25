"""Sign-in lockout (django-axes): what is locked, until when, the page that says so, and unlocking.

Axes counts failures per account and per address separately (AXES_LOCKOUT_PARAMETERS): five wrong
passwords for one account from many addresses lock the account; five from one address lock the address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def cool_off() -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOCKOUT_MINUTES)


@dataclass(frozen=True)
class Lock:
    failures: int
    until: dt.datetime | None

    @property
    def locked(self) -> bool:
        return self.failures >= settings.LOCKOUT_FAILURES


def lock_of(**match: Any) -> Lock:
    """Failures counted for one account (username=…) or one address (ip_address=…) within the lockout window."""
    from axes.models import AccessAttempt

    found = (AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off(), **match)
             .aggregate(total=Sum("failures_since_start"), last=Max("attempt_time")))
    total = found["total"] or 0
    return Lock(total, found["last"] + cool_off() if found["last"] else None)


def locked_accounts() -> dict[str, dt.datetime]:
    """Usernames locked now, with the time each lock ends (one query, for the security administrator's list)."""
    from axes.models import AccessAttempt

    rows = (AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off())
            .values("username").annotate(total=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(total__gte=settings.LOCKOUT_FAILURES))
    return {row["username"]: row["last"] + cool_off() for row in rows if row["username"]}


def locked_addresses() -> dict[str, dt.datetime]:
    from axes.models import AccessAttempt

    rows = (AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off())
            .values("ip_address").annotate(total=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(total__gte=settings.LOCKOUT_FAILURES))
    return {row["ip_address"]: row["last"] + cool_off() for row in rows if row["ip_address"]}


def lockout_message(username: str | None, ip: str | None) -> str:
    """Says what is locked, for how long and until when (in the server's time zone)."""
    account = lock_of(username=username) if username else Lock(0, None)
    address = lock_of(ip_address=ip) if ip else Lock(0, None)
    ends = [lock.until for lock in (account, address) if lock.locked and lock.until]
    until = timezone.localtime(max(ends)) if ends else timezone.localtime(timezone.now() + cool_off())
    if account.locked:
        what = _("该账号")
    elif address.locked:
        what = _("您所在的地址")
    else:
        what = _("该账号或地址")
    return _("登录失败次数过多,%(what)s已被锁定%(minutes)s分钟,请于%(until)s后再试,或联系安全管理员解锁。") % {
        "what": what, "minutes": settings.LOCKOUT_MINUTES, "until": until.strftime("%H:%M")}


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict | None = None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the sign-in page again, saying what is locked and until when (429)."""
    from axes.helpers import get_client_username

    from touzi.accounts.forms import SignInForm
    from touzi.audit.middleware import client_ip

    username = get_client_username(request, credentials) if credentials else None
    message = lockout_message(username or request.POST.get("username"), client_ip(request))
    form = SignInForm(request, initial={"username": username or ""})
    return render(request, "accounts/login.html", {"form": form, "locked_message": message, "next": ""},
                  status=429)
