"""Account acts, each atomic and audited, with the rules of 三员分立 enforced here whoever calls them:

- the system administrator (系统管理员) creates accounts, edits their name and unit, disables, enables and
  resets passwords — but gives no roles: an account it creates waits for one (待分配角色);
- the security administrator (安全管理员) gives each account its one role and unlocks locked accounts — but
  creates no accounts;
- nobody changes their own role, and an administrator account is never turned into another administrator.

A `System` actor (touzi.core.actor: the demo, commands, tests) is the platform itself and is held to the data
rules only.
"""

from __future__ import annotations

from typing import Any, TypeGuard

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.accounts import sessions
from touzi.accounts.choices import ADMINISTRATORS, Role
from touzi.accounts.models import ApiToken, User
from touzi.accounts.roles import group_name
from touzi.audit.choices import Event
from touzi.audit.services import diff, record, snapshot
from touzi.core.actor import Actor, is_user
from touzi.lib.errors import Forbidden

_ROLE_FIELDS = ["role", "unit_id", "work_group_id", "is_active"]
_ACCOUNT_FIELDS = ["display_name", "unit_id", "work_group_id"]
_KEEP: Any = object()


def _person(actor: Actor) -> TypeGuard[User]:
    """A signed-in person, as opposed to the platform acting for itself."""
    return is_user(actor)


def _require_role(actor: Actor, role: Role, message: str) -> None:
    if _person(actor) and actor.role != role:
        raise Forbidden(message)


def _apply_role_group(user: User) -> None:
    """An account is in exactly the group of its one role."""
    user.groups.set([Group.objects.get_or_create(name=group_name(user.role))[0]])


@transaction.atomic
def create_user(
    username: str,
    password: str | None,
    *,
    role: str,
    unit=None,
    work_group=None,
    display_name: str = "",
    must_change_password: bool = False,
    actor: Actor,
) -> User:
    """A new account. A person creating it must be the system administrator, gives no role (待分配角色), and
    the initial password follows the password rules and must be changed at first sign-in."""
    if _person(actor):
        _require_role(actor, Role.SYSTEM_ADMIN, _("只有系统管理员可以创建账号"))
        if role != Role.UNASSIGNED:
            raise Forbidden(_("系统管理员不能分配角色,新账号的角色由安全管理员分配"))
        must_change_password = True
    user = User(username=username, role=Role(role), unit=unit, work_group=work_group, display_name=display_name,
                must_change_password=must_change_password)
    if password:
        if _person(actor):
            validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    _apply_role_group(user)
    record(Event.CREATE, actor=actor, obj=user,
           after=snapshot(user, ["username", "display_name", *_ROLE_FIELDS, "must_change_password"]))
    return user


@transaction.atomic
def set_role(user: User, role: str, *, unit=_KEEP, work_group=_KEEP, actor: Actor) -> User:
    """Give the account its one role (and, when given, the unit or work group that scopes it)."""
    if _person(actor):
        _require_role(actor, Role.SECURITY_ADMIN, _("只有安全管理员可以分配角色"))
        if actor.pk == user.pk:
            raise Forbidden(_("不能修改自己的角色"))
    role = Role(role)
    if user.role in ADMINISTRATORS and role in ADMINISTRATORS and role != user.role:
        raise Forbidden(_("三员不得由同一账号兼任:请为该管理员职责另建账号"))
    before = snapshot(user, _ROLE_FIELDS)
    user.role = role
    if unit is not _KEEP:
        user.unit = unit
    if work_group is not _KEEP:
        user.work_group = work_group
    user.full_clean(exclude=["password"])
    user.save(update_fields=["role", "unit", "work_group"])
    _apply_role_group(user)
    old, new = diff(before, snapshot(user, _ROLE_FIELDS))
    if new:
        record(Event.PERMISSION, actor=actor, obj=user, before=old, after=new)
    return user


@transaction.atomic
def update_account(user: User, *, display_name: str, unit=None, work_group=None, actor: Actor) -> User:
    """The system administrator corrects an account's name, unit or work group."""
    _require_role(actor, Role.SYSTEM_ADMIN, _("只有系统管理员可以修改账号信息"))
    before = snapshot(user, _ACCOUNT_FIELDS)
    user.display_name, user.unit, user.work_group = display_name, unit, work_group
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "unit", "work_group"])
    old, new = diff(before, snapshot(user, _ACCOUNT_FIELDS))
    if new:
        record(Event.UPDATE, actor=actor, obj=user, before=old, after=new, message=_("修改账号信息"))
    return user


@transaction.atomic
def disable_user(user: User, *, actor: Actor) -> int:
    """Disable an account and end every session it has at once; its API tokens stop working too
    (user_for_token refuses an inactive user). Returns the number of sessions ended."""
    _require_role(actor, Role.SYSTEM_ADMIN, _("只有系统管理员可以停用账号"))
    if _person(actor) and actor.pk == user.pk:
        raise Forbidden(_("不能停用自己的账号"))
    was_active = user.is_active
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = sessions.end_all(user)
    if was_active or ended:
        record(Event.UPDATE, actor=actor, obj=user, before={"is_active": was_active},
               after={"is_active": False, "sessions_ended": ended},
               message=_("停用账号,结束会话%(n)s个,接口令牌同时失效") % {"n": ended})
    return ended


@transaction.atomic
def enable_user(user: User, *, actor: Actor) -> User:
    _require_role(actor, Role.SYSTEM_ADMIN, _("只有系统管理员可以启用账号"))
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        record(Event.UPDATE, actor=actor, obj=user, before={"is_active": False}, after={"is_active": True},
               message=_("启用账号"))
    return user


@transaction.atomic
def reset_password(user: User, password: str, *, actor: Actor) -> User:
    """The system administrator gives a new initial password, to be changed at the next sign-in."""
    _require_role(actor, Role.SYSTEM_ADMIN, _("只有系统管理员可以重置密码"))
    if _person(actor) and actor.pk == user.pk:
        raise Forbidden(_("请在“我的账号”中修改自己的密码"))
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save()
    sessions.end_all(user)
    record(Event.UPDATE, actor=actor, obj=user, after={"password": "reset", "must_change_password": True},
           message=_("重置密码(须在下次登录时修改)"))
    return user


@transaction.atomic
def unlock(*, username: str = "", ip: str = "", actor: Actor) -> int:
    """The security administrator lifts the sign-in lock of an account or an address. Returns rows cleared."""
    from axes.handlers.proxy import AxesProxyHandler

    _require_role(actor, Role.SECURITY_ADMIN, _("只有安全管理员可以解除锁定"))
    if not username and not ip:
        raise Forbidden(_("请指定要解锁的账号或地址"))
    cleared = AxesProxyHandler.reset_attempts(username=username or None, ip_address=ip or None)
    user = User.objects.filter(username=username).first() if username else None
    record(Event.UNLOCK, actor=actor, obj=user, object_type="accounts.user" if username else "address",
           object_repr=username or ip, before={"username": username or None, "ip": ip or None, "failures": cleared},
           after={"locked": False}, message=_("解除登录锁定"))
    return cleared


@transaction.atomic
def confirm_totp(user: User, device: Any, *, actor: Actor) -> None:
    """The user's first correct code confirms their TOTP device; any other device of theirs is removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    record(Event.UPDATE, actor=actor, obj=user, before={"otp": False}, after={"otp": True},
           message=_("启用动态口令(双因素认证)"))


@transaction.atomic
def disable_totp(user: User, *, actor: Actor) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from touzi.accounts.policy import otp_required

    if otp_required(user):
        raise Forbidden(_("管理员账号必须使用动态口令,不能停用"))
    TOTPDevice.objects.filter(user=user).delete()
    record(Event.UPDATE, actor=actor, obj=user, before={"otp": True}, after={"otp": False},
           message=_("停用动态口令(双因素认证)"))


@transaction.atomic
def issue_token(user: User, name: str, *, actor: Actor) -> tuple[ApiToken, str]:
    """Create a token; the secret is returned once and only its hash is kept."""
    raw = ApiToken.new_secret()
    token = ApiToken.objects.create(user=user, name=name[:64], key_prefix=raw[:10], key_hash=ApiToken.hash_of(raw))
    record(Event.TOKEN, actor=actor, obj=token, after={"user": user.username, "name": token.name,
                                                             "prefix": token.key_prefix})
    return token, raw


@transaction.atomic
def revoke_token(token: ApiToken, *, actor: Actor) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(Event.TOKEN, actor=actor, obj=token, before={"revoked_at": None},
               after={"revoked_at": token.revoked_at})


def user_for_token(raw: str) -> User | None:
    """The active user behind a bearer token, or None."""
    if not raw.startswith(ApiToken.PREFIX):
        return None
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=ApiToken.hash_of(raw), revoked_at__isnull=True).first())
    if token is None or not token.user.is_active:
        return None
    # Touch at most once a minute: a hot token must not turn every read into a write.
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
