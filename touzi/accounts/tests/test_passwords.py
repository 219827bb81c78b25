"""Password rules: length, three of four character classes, not the username, not a common password."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from touzi.audit.models import AuditRecord
from touzi.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", ["short1A", "alllowercase1", "ALLUPPER12", "password123", "aaron-Secret9"])
def test_weak_passwords_are_refused(aaron, password) -> None:
    with pytest.raises(ValidationError):
        validate_password(password, user=aaron)


def test_a_good_password_passes(aaron) -> None:
    validate_password("Correct-Horse-9", user=aaron)


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
    assert AuditRecord.objects.filter(object_id=str(aaron.pk), message="修改密码").exists()
