"""Password rules: length, three of four character classes, not the username, not a common password."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from touzi.audit.models import AuditRecord
from touzi.testing import PASSWORD, client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", ["short1A", "alllowercase1", "ALLUPPER12", "password123", "aaron-Secret9"])
def test_weak_passwords_are_refused(aaron, password) -> None:
    with pytest.raises(ValidationError):
        validate_password(password, user=aaron)


def test_a_good_password_passes(aaron) -> None:
    validate_password("Batter!y-Staple7", user=aaron)


def test_a_user_changes_their_password_and_it_is_audited(aaron) -> None:
    client = client_for(aaron)
    weak = client.post(reverse("password-change"), {"old_password": PASSWORD, "new_password1": "abcdefgh",
                                                    "new_password2": "abcdefgh"})
    assert weak.status_code == 200 and "至少3类" in weak.content.decode()
    ok = client.post(reverse("password-change"), {"old_password": PASSWORD, "new_password1": "Batter!y-Staple7",
                                                  "new_password2": "Batter!y-Staple7"})
    assert ok.status_code == 302
    aaron.refresh_from_db()
    assert aaron.check_password("Batter!y-Staple7")
    assert AuditRecord.objects.filter(object_type="accounts.user", object_id=str(aaron.pk), message="修改密码").exists()


def _change(client, old: str, new: str):
    return client.post(reverse("password-change"), {"old_password": old, "new_password1": new, "new_password2": new})


@pytest.fixture
def fast_hashing(settings):
    """Argon2 is slow by design; history checks hash many times, so these tests hash with MD5."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 "django.contrib.auth.hashers.Argon2PasswordHasher"]


def test_none_of_the_last_five_passwords_is_used_again(fast_hashing, aaron) -> None:
    client = client_for(aaron)
    passwords = [PASSWORD, "Batter!y-Staple1", "Batter!y-Staple2", "Batter!y-Staple3", "Batter!y-Staple4"]
    for old, new in itertools.pairwise(passwords):
        assert _change(client, old, new).status_code == 302
    # The first one is the fifth last now: still refused.
    refused = _change(client, passwords[-1], PASSWORD)
    assert refused.status_code == 200 and "不能使用最近5次用过的密码" in refused.content.decode()
    assert _change(client, passwords[-1], "Batter!y-Staple5").status_code == 302
    # Six passwords later the first may come back.
    assert _change(client, "Batter!y-Staple5", PASSWORD).status_code == 302


def test_the_history_keeps_only_the_last_five_hashes(fast_hashing, aaron) -> None:
    from touzi.accounts.models import PasswordHistory

    for n in range(7):
        aaron.set_password(f"Batter!y-Staple{n}")
        aaron.save()
    hashes = list(PasswordHistory.objects.filter(user=aaron).values_list("password", flat=True))
    assert len(hashes) == 5 and hashes[0] == aaron.password
    assert all(not h.startswith("Batter") for h in hashes)


@pytest.mark.parametrize("password", ["Admin@123", "P@ssw0rd!", "Touzi#2021demo", "1qaz@WSX3edc"])
def test_common_passwords_that_pass_the_class_rule_are_refused(aaron, password) -> None:
    with pytest.raises(ValidationError, match="过于常见"):
        validate_password(password, user=aaron)


def test_setting_a_password_stamps_its_date(aaron) -> None:
    import datetime as dt

    from django.utils import timezone

    type(aaron).objects.filter(pk=aaron.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=100))
    aaron.refresh_from_db()
    aaron.set_password("Batter!y-Staple7")
    aaron.save(update_fields=["password"])
    aaron.refresh_from_db()
    assert timezone.now() - aaron.password_changed_at < dt.timedelta(minutes=1)


def _age(user, days: int) -> None:
    import datetime as dt

    from django.utils import timezone

    type(user).objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=days))


def test_an_expired_password_leads_every_page_to_the_change_page(aaron) -> None:
    _age(aaron, 91)
    client = client_for(aaron)
    home = client.get("/")
    assert home.status_code == 302 and home["Location"].startswith(reverse("password-change"))
    page = client.get(reverse("password-change")).content.decode()
    assert "密码已过期" in page
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and "修改密码" in api.json()["detail"]
    assert _change(client, PASSWORD, "Batter!y-Staple7")["Location"] == reverse("home")
    assert client.get("/api/v1/me").status_code == 200


def test_a_password_younger_than_the_limit_is_not_forced(aaron) -> None:
    _age(aaron, 89)
    assert client_for(aaron).get("/api/v1/me").status_code == 200


def test_expiry_can_be_turned_off(aaron, settings) -> None:
    settings.PASSWORD_MAX_AGE_DAYS = 0
    _age(aaron, 400)
    assert client_for(aaron).get("/api/v1/me").status_code == 200
