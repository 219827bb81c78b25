"""三员分立 in the pages and the services: the system administrator keeps accounts, the security administrator
gives roles and unlocks; nobody else reaches those pages, and nobody changes their own role."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from touzi.accounts.choices import Role
from touzi.accounts.models import User
from touzi.accounts.services import create_user, set_role
from touzi.audit.models import AuditRecord
from touzi.lib.errors import Forbidden
from touzi.testing import client_for
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Initial-Pass-42"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _urls(user: User) -> dict[str, list[tuple[str, str]]]:
    return {
        "system_admin": [("get", reverse("account-list")), ("get", reverse("account-create")),
                         ("get", reverse("account-detail", args=[user.pk])),
                         ("post", reverse("account-disable", args=[user.pk])),
                         ("post", reverse("account-enable", args=[user.pk])),
                         ("post", reverse("account-reset-password", args=[user.pk]))],
        "security_admin": [("get", reverse("role-list")), ("get", reverse("role-edit", args=[user.pk])),
                           ("post", reverse("account-unlock"))],
    }


def test_every_admin_page_sends_the_anonymous_to_sign_in(aaron) -> None:
    for urls in _urls(aaron).values():
        for method, url in urls:
            response = getattr(Client(), method)(url)
            assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_every_admin_page_refuses_other_roles(aaron, olive, sam, secadmin, ada) -> None:
    others = {"system_admin": [olive, aaron, secadmin, ada], "security_admin": [olive, aaron, sam, ada]}
    for role, urls in _urls(aaron).items():
        for user in others[role]:
            client = client_for(user)
            for method, url in urls:
                assert getattr(client, method)(url).status_code == 403, (user.username, url)


def test_the_right_administrator_gets_each_page(aaron, sam, secadmin) -> None:
    assert all(client_for(sam).get(url).status_code == 200
               for method, url in _urls(aaron)["system_admin"] if method == "get")
    assert all(client_for(secadmin).get(url).status_code == 200
               for method, url in _urls(aaron)["security_admin"] if method == "get")


def test_the_nav_links_to_each_administrators_area(sam, secadmin, aaron) -> None:
    assert reverse("account-list") in client_for(sam).get(reverse("profile")).content.decode()
    assert reverse("role-list") in client_for(secadmin).get(reverse("profile")).content.decode()
    page = client_for(aaron).get(reverse("profile")).content.decode()
    assert reverse("account-list") not in page and reverse("role-list") not in page


def test_the_system_administrator_finds_users(sam, aaron, bella) -> None:
    page = client_for(sam).get(reverse("account-list"), {"q": "aar"}).content.decode()
    assert 'data-user="aaron"' in page and 'data-user="bella"' not in page


def test_the_system_administrator_creates_an_account_without_a_role(sam) -> None:
    client = client_for(sam)
    response = client.post(reverse("account-create"), {
        "username": "newbie", "display_name": "新同事", "unit": Unit.objects.get(key="county-a").pk,
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    newbie = User.objects.get(username="newbie")
    assert (newbie.role, newbie.unit.key, newbie.must_change_password) == (Role.UNASSIGNED, "county-a", True)
    created = AuditRecord.objects.get(event="create", object_type="accounts.user", object_id=str(newbie.pk))
    assert created.actor_name == "sam" and created.after["role"] == "unassigned"


def test_an_initial_password_follows_the_rules(sam) -> None:
    page = client_for(sam).post(reverse("account-create"), {
        "username": "newbie", "password1": "abcdefgh", "password2": "abcdefgh"}).content.decode()
    assert "至少3类" in page and not User.objects.filter(username="newbie").exists()


def test_a_new_account_sees_nothing_and_changes_its_initial_password_first(sam, mini_plan) -> None:
    unit = Unit.objects.get(key="county-a")
    newbie = create_user("newbie", NEW_PASSWORD, role=Role.UNASSIGNED, unit=unit, actor=sam)
    client = Client()
    client.post(reverse("login"), {"username": "newbie", "password": NEW_PASSWORD})
    response = client.get(reverse("plan-targets"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("password-change"))
    assert "初始密码" in client.get(reverse("password-change")).content.decode()
    client.post(reverse("password-change"), {"old_password": NEW_PASSWORD, "new_password1": "Fresh-Start-77",
                                             "new_password2": "Fresh-Start-77"})
    newbie.refresh_from_db()
    assert not newbie.must_change_password
    # No role yet: no business data, even with a unit.
    assert client.get(reverse("plan-targets")).status_code == 403


def test_the_system_administrator_edits_disables_and_enables(sam, aaron) -> None:
    client = client_for(sam)
    client.post(reverse("account-detail", args=[aaron.pk]), {"display_name": "阿伦",
                                                             "unit": Unit.objects.get(key="county-a").pk})
    aaron.refresh_from_db()
    assert aaron.display_name == "阿伦"
    assert AuditRecord.objects.get(event="update", object_type="accounts.user", object_id=str(aaron.pk), message="修改账号信息").after == {
        "display_name": "阿伦"}
    page = client.post(reverse("account-disable", args=[aaron.pk]), follow=True).content.decode()
    aaron.refresh_from_db()
    assert not aaron.is_active and "接口令牌同时失效" in page
    client.post(reverse("account-enable", args=[aaron.pk]))
    aaron.refresh_from_db()
    assert aaron.is_active


def test_the_system_administrator_resets_a_password_to_a_new_initial_one(sam, aaron) -> None:
    client_for(sam).post(reverse("account-reset-password", args=[aaron.pk]),
                         {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    aaron.refresh_from_db()
    assert aaron.check_password(NEW_PASSWORD) and aaron.must_change_password


def test_the_system_administrator_gives_no_roles(sam, aaron) -> None:
    with pytest.raises(Forbidden):
        set_role(aaron, Role.PLAN_OFFICE, actor=sam)
    with pytest.raises(Forbidden):
        create_user("x", NEW_PASSWORD, role=Role.PLAN_OFFICE, unit=Unit.objects.get(key="drc"), actor=sam)


def test_the_security_administrator_creates_no_accounts(secadmin) -> None:
    with pytest.raises(Forbidden):
        create_user("x", NEW_PASSWORD, role=Role.UNASSIGNED, actor=secadmin)
    assert not User.objects.filter(username="x").exists()


def test_the_security_administrator_assigns_the_one_role_and_it_is_audited(secadmin, aaron) -> None:
    client = client_for(secadmin)
    client.post(reverse("role-edit", args=[aaron.pk]), {"role": Role.OWNER})
    aaron.refresh_from_db()
    assert aaron.role == Role.OWNER
    assert list(aaron.groups.values_list("name", flat=True)) == ["role:owner"]
    record = AuditRecord.objects.get(event="permission", object_type="accounts.user", object_id=str(aaron.pk))
    assert (record.actor_name, record.before, record.after) == ("sue", {"role": "county"}, {"role": "owner"})


def test_a_role_needing_a_unit_is_refused_for_an_account_without_one(secadmin, sam) -> None:
    newbie = create_user("newbie", NEW_PASSWORD, role=Role.UNASSIGNED, actor=sam)
    page = client_for(secadmin).post(reverse("role-edit", args=[newbie.pk]), {"role": Role.COUNTY})
    assert "该角色必须指定所在单位" in page.content.decode()
    newbie.refresh_from_db()
    assert newbie.role == Role.UNASSIGNED


def test_nobody_changes_their_own_role(secadmin) -> None:
    with pytest.raises(Forbidden):
        set_role(secadmin, Role.SYSTEM_ADMIN, actor=secadmin)
    client_for(secadmin).post(reverse("role-edit", args=[secadmin.pk]), {"role": Role.AUDIT_ADMIN})
    secadmin.refresh_from_db()
    assert secadmin.role == Role.SECURITY_ADMIN


def test_an_administrator_is_never_turned_into_another_administrator(secadmin, sam, ada) -> None:
    for account, role in ((sam, Role.AUDIT_ADMIN), (ada, Role.SYSTEM_ADMIN)):
        with pytest.raises(Forbidden, match="三员不得由同一账号兼任"):
            set_role(account, role, actor=secadmin)


def test_other_roles_cannot_change_roles(olive, aaron) -> None:
    with pytest.raises(Forbidden):
        set_role(aaron, Role.PLAN_OFFICE, actor=olive)
