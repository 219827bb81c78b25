"""Sign-in, sign-in failure and sign-out are security events: audit each one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest

from touzi.audit.choices import Event
from touzi.audit.services import record

if TYPE_CHECKING:
    from touzi.accounts.models import User


def _note(request: HttpRequest | None, default: str = "") -> str:
    """Why, when the code that signed in, out or refused said so on the request (e.g. 动态口令错误, 空闲超时)."""
    return str(getattr(request, "touzi_audit_message", "") or default)


@receiver(user_logged_in)
def _signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    with transaction.atomic():
        record(Event.SIGN_IN, actor=user, obj=user, message=_note(request))


@receiver(user_logged_out)
def _signed_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        with transaction.atomic():
            record(Event.SIGN_OUT, actor=user, obj=user, message=_note(request))


@receiver(user_login_failed)
def _sign_in_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    with transaction.atomic():
        record(Event.SIGN_IN_FAILED, success=False, actor_name=username,
               object_type="accounts.user", object_repr=username,
               message=_note(request, "用户名或密码错误"))
