"""Lockout (django-axes): 5 failures lock the account, or the address, for 30 minutes; audited; unlocked by the
security administrator."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from touzi.audit.models import AuditRecord
from touzi.testing import PASSWORD, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _login(username: str, password: str, ip: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=ip).post(reverse("login"), {"username": username, "password": password})


def test_five_failures_from_many_addresses_lock_the_account(aaron) -> None:
    for n in range(4):
        assert _login("aaron", "wrong", f"10.0.1.{n}").status_code == 200
    locked = _login("aaron", "wrong", "10.0.1.9")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "该账号已被锁定30分钟" in page and "安全管理员" in page
    # Even the right password from a new address is refused now.
    refused = _login("aaron", PASSWORD, "10.0.2.1")
    assert refused.status_code == 429 and "_auth_user_id" not in refused.client.session
    assert not Client().login(username="aaron", password=PASSWORD)


def test_five_failures_from_one_address_lock_that_address_not_the_accounts(aaron, bella) -> None:
    for name in ("x1", "x2", "x3", "x4"):
        _login(name, "wrong", "10.9.9.9")
    assert "您所在的地址已被锁定" in _login("x5", "wrong", "10.9.9.9").content.decode()
    assert _login("bella", PASSWORD, "10.9.9.9").status_code == 429
    assert _login("bella", PASSWORD, "10.9.9.8").status_code == 302


def test_four_failures_do_not_lock_and_a_success_forgives_them(aaron) -> None:
    for _ in range(4):
        _login("aaron", "wrong")
    assert _login("aaron", PASSWORD).status_code == 302
    for _ in range(4):
        _login("aaron", "wrong")
    assert _login("aaron", PASSWORD).status_code == 302


def test_the_limit_and_duration_come_from_the_settings(aaron, settings) -> None:
    settings.LOCKOUT_FAILURES = settings.AXES_FAILURE_LIMIT = 2
    settings.LOCKOUT_MINUTES = 10
    import datetime as dt

    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=10)
    _login("aaron", "wrong")
    assert "锁定10分钟" in _login("aaron", "wrong").content.decode()


def test_a_lock_ends_after_its_minutes(aaron) -> None:
    import datetime as dt

    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(5):
        _login("aaron", "wrong")
    assert _login("aaron", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))
    assert _login("aaron", PASSWORD).status_code == 302


def test_sign_ins_failures_and_the_lockout_are_audited_with_address_and_outcome(aaron) -> None:
    assert _login("aaron", PASSWORD, "10.1.1.1").status_code == 302
    for _ in range(5):
        _login("aaron", "wrong", "10.1.1.2")
    _login("aaron", PASSWORD, "10.1.1.3")
    rows = list(AuditRecord.objects.filter(event__in=["sign_in", "sign_in_failed", "lockout"]).order_by("id")
                .values_list("event", "ip", "success", "source", "message"))
    assert rows[0][:4] == ("sign_in", "10.1.1.1", True, "web")
    assert [r[0] for r in rows[1:6]] == ["sign_in_failed"] * 5
    assert rows[6][:3] == ("lockout", "10.1.1.2", False) and "锁定账号" in rows[6][4]
    assert rows[7][:3] == ("sign_in_failed", "10.1.1.3", False) and "锁定" in rows[7][4]
    assert len(rows) == 8


def test_signing_out_is_audited(aaron) -> None:
    client = Client(REMOTE_ADDR="10.2.2.2")
    client.post(reverse("login"), {"username": "aaron", "password": PASSWORD})
    client.post(reverse("logout"))
    out = AuditRecord.objects.get(event="sign_out")
    assert (out.actor_name, out.ip, out.success) == ("aaron", "10.2.2.2", True)


def test_the_security_administrator_unlocks_an_account_and_it_is_audited(aaron, secadmin) -> None:
    for _ in range(5):
        _login("aaron", "wrong")
    admin = client_for(secadmin)
    page = admin.get(reverse("role-list")).content.decode()
    assert 'data-locked="aaron"' in page and "已锁定至" in page
    admin.post(reverse("account-unlock"), {"username": "aaron"})
    assert _login("aaron", PASSWORD).status_code == 302
    unlock = AuditRecord.objects.get(event="unlock")
    assert unlock.actor_name == "sue" and unlock.object_repr == "aaron" and unlock.before["failures"] >= 1


def test_the_security_administrator_unlocks_an_address(aaron, secadmin) -> None:
    for name in ("x1", "x2", "x3", "x4", "x5"):
        _login(name, "wrong", "10.7.7.7")
    admin = client_for(secadmin)
    assert 'data-locked-ip="10.7.7.7"' in admin.get(reverse("role-list")).content.decode()
    admin.post(reverse("account-unlock"), {"ip": "10.7.7.7"})
    assert _login("aaron", PASSWORD, "10.7.7.7").status_code == 302


def test_only_the_security_administrator_unlocks(aaron, sam) -> None:
    from touzi.accounts.services import unlock
    from touzi.lib.errors import Forbidden

    with pytest.raises(Forbidden):
        unlock(username="aaron", actor=sam)
    assert client_for(sam).post(reverse("account-unlock"), {"username": "aaron"}).status_code == 403


def test_behind_the_proxy_the_address_locked_is_the_one_the_proxy_saw_not_the_proxys_nor_a_claimed_one(
        aaron, bella, settings) -> None:
    """docs/configuration.md: with TOUZI_BEHIND_PROXY the last X-Forwarded-For entry counts, not REMOTE_ADDR
    (the proxy, shared by everyone) nor the entries before it (whatever the client wrote)."""
    settings.BEHIND_PROXY = True

    def via_proxy(username: str, password: str, claimed: str, seen: str):
        client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"{claimed}, {seen}")
        return client.post(reverse("login"), {"username": username, "password": password})

    for n in range(4):
        via_proxy(f"x{n}", "wrong", f"10.7.7.{n}", "203.0.113.7")  # a new claimed address each time
    assert "您所在的地址已被锁定" in via_proxy("x9", "wrong", "10.7.7.9", "203.0.113.7").content.decode()
    assert via_proxy("bella", PASSWORD, "203.0.113.8", "203.0.113.8").status_code == 302  # same proxy, other client
