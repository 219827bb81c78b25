"""Roles are real permissions; accounts and tokens are created through audited services."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from touzi.accounts.choices import Role
from touzi.accounts.models import ApiToken, User
from touzi.accounts.roles import ROLE_PERMISSIONS, group_name
from touzi.accounts.services import create_user, set_role
from touzi.audit.models import AuditRecord
from touzi.core.actor import System
from touzi.testing import client_for

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_with_its_permissions(mini_plan) -> None:
    from django.contrib.auth.models import Group

    for role, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=group_name(role))
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(perms), role


def test_only_the_plan_office_may_load_plans(olive, aaron, stan, sam) -> None:
    assert olive.has_perm("plans.load_plan")
    assert not any(u.has_perm("plans.load_plan") for u in (aaron, stan, sam))


def test_passwords_are_hashed_with_argon2(olive) -> None:
    assert olive.password.startswith("argon2")


def test_a_county_account_needs_its_unit(mini_plan) -> None:
    with pytest.raises(ValidationError):
        create_user("nobody", "Correct-Horse-9", role=Role.COUNTY, actor=System("test"))
    assert not User.objects.filter(username="nobody").exists()


def test_changing_a_role_is_audited_as_a_permission_change(aaron, secadmin) -> None:
    from touzi.units.models import Unit

    set_role(aaron, Role.LEAD_UNIT, unit=Unit.objects.get(key="industry"), actor=secadmin)
    record = AuditRecord.objects.filter(event="permission", object_type="accounts.user", object_id=str(aaron.pk)).get()
    assert record.before["role"] == "county" and record.after["role"] == "lead_unit"
    assert record.actor_name == "sue"
    assert list(aaron.groups.values_list("name", flat=True)) == [group_name(Role.LEAD_UNIT)]


def test_a_user_creates_and_revokes_a_token_from_the_account_page(aaron) -> None:
    client = client_for(aaron)
    client.post(reverse("token-create"), {"name": "报表系统"})
    page = client.get(reverse("profile")).content.decode()
    token = ApiToken.objects.get(user=aaron)
    assert 'id="new-token"' in page and token.key_prefix in page
    assert 'id="new-token"' not in client.get(reverse("profile")).content.decode()  # shown once
    client.post(reverse("token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_revokes_another_users_token(aaron, bella) -> None:
    client_for(aaron).post(reverse("token-create"), {"name": "x"})
    token = ApiToken.objects.get(user=aaron)
    assert client_for(bella).post(reverse("token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_sign_in_and_failures_are_audited(aaron) -> None:
    from django.test import Client

    client = Client()
    assert not client.login(username="aaron", password="wrong")
    assert client.login(username="aaron", password="Correct-Horse-9")
    events = list(AuditRecord.objects.filter(event__in=["sign_in", "sign_in_failed"])
                  .order_by("id").values_list("event", "actor_name", "success"))
    assert events == [("sign_in_failed", "aaron", False), ("sign_in", "aaron", True)]


def test_the_login_page_is_chinese_and_says_so_on_bad_credentials(aaron) -> None:
    response = client_for(None).post(reverse("login"), {"username": "aaron", "password": "bad"})
    assert "用户名或密码不正确" in response.content.decode()


def test_the_audit_trail_is_read_by_exactly_the_roles_given_its_permission() -> None:
    # audit's scoping rule lists its readers itself (audit sits below accounts); the role table must agree.
    from touzi.accounts.roles import ROLE_PERMISSIONS
    from touzi.audit.scoping import AUDIT_READERS

    holders = {role for role, perms in ROLE_PERMISSIONS.items() if "audit.view_auditrecord" in perms}
    assert holders == set(AUDIT_READERS)
