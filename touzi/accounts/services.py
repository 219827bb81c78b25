"""Account acts: create a user, give a role, issue and revoke API tokens. Each is atomic and audited."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from touzi.accounts.choices import Role
from touzi.accounts.models import ApiToken, User
from touzi.accounts.roles import group_name
from touzi.audit.choices import Event
from touzi.audit.services import diff, record, snapshot

_ROLE_FIELDS = ["role", "unit_id", "work_group_id", "is_active"]


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
    acting_user: User | None,
) -> User:
    user = User(username=username, role=Role(role), unit=unit, work_group=work_group, display_name=display_name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    _apply_role_group(user)
    record(Event.CREATE, actor=acting_user, obj=user, after=snapshot(user, ["username", *_ROLE_FIELDS]))
    return user


@transaction.atomic
def set_role(user: User, role: str, *, unit=None, work_group=None, acting_user: User | None) -> User:
    before = snapshot(user, _ROLE_FIELDS)
    user.role, user.unit, user.work_group = Role(role), unit, work_group
    user.full_clean(exclude=["password"])
    user.save(update_fields=["role", "unit", "work_group"])
    _apply_role_group(user)
    old, new = diff(before, snapshot(user, _ROLE_FIELDS))
    if new:
        record(Event.PERMISSION, actor=acting_user, obj=user, before=old, after=new)
    return user


@transaction.atomic
def issue_token(user: User, name: str, *, acting_user: User | None) -> tuple[ApiToken, str]:
    """Create a token; the secret is returned once and only its hash is kept."""
    raw = ApiToken.new_secret()
    token = ApiToken.objects.create(user=user, name=name[:64], key_prefix=raw[:10], key_hash=ApiToken.hash_of(raw))
    record(Event.TOKEN, actor=acting_user, obj=token, after={"user": user.username, "name": token.name,
                                                             "prefix": token.key_prefix})
    return token, raw


@transaction.atomic
def revoke_token(token: ApiToken, *, acting_user: User | None) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(Event.TOKEN, actor=acting_user, obj=token, before={"revoked_at": None},
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
