"""TOTP two-factor sign-in: a code after the password for users with a device; required for administrators."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from touzi.audit.models import AuditRecord
from touzi.testing import PASSWORD, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def code(device: TOTPDevice) -> str:
    """What the user's authenticator app shows now."""
    device.refresh_from_db()
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def _sign_in(username: str, ip: str = "10.3.3.3") -> Client:
    client = Client(REMOTE_ADDR=ip)
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_user_enrols_from_the_profile_with_a_qr_code_and_a_first_code(aaron) -> None:
    client = _sign_in("aaron")
    page = client.get(reverse("otp-setup")).content.decode()
    assert "<svg" in page and 'id="otp-secret"' in page
    assert "<script" not in page.split('id="otp-qr"')[1].split("</figure>")[0]
    assert " style=" not in page
    device = TOTPDevice.objects.get(user=aaron)
    assert not device.confirmed
    wrong = client.post(reverse("otp-setup"), {"code": "000000" if code(device) != "000000" else "111111"})
    assert "动态口令不正确" in wrong.content.decode()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    assert client.post(reverse("otp-setup"), {"code": code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditRecord.objects.filter(event="update", object_type="accounts.user", object_id=str(aaron.pk), after={"otp": True}).exists()


def test_with_a_device_the_password_alone_is_not_enough(aaron) -> None:
    device = TOTPDevice.objects.create(user=aaron, name="totp", confirmed=True)
    client = _sign_in("aaron")
    home = client.get("/")
    assert home.status_code == 302 and home["Location"].startswith(reverse("otp-verify"))
    assert client.get("/api/v1/me").status_code == 403
    done = client.post(reverse("otp-verify"), {"code": code(device), "next": "/units/"})
    assert done.status_code == 302 and done["Location"] == "/units/"
    assert client.get("/api/v1/me").status_code == 200
    steps = list(AuditRecord.objects.filter(event="sign_in").order_by("id").values_list("message", flat=True))
    assert steps == ["密码验证通过,待输入动态口令", "动态口令验证通过"]


def test_a_wrong_code_is_an_audited_failure_that_counts_toward_the_lockout(aaron, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the device's own back-off would hide the count
    device = TOTPDevice.objects.create(user=aaron, name="totp", confirmed=True)
    client = _sign_in("aaron")
    bad = "000000" if code(device) != "000000" else "111111"
    for _ in range(4):
        page = client.post(reverse("otp-verify"), {"code": bad})
        assert page.status_code == 200 and "动态口令不正确" in page.content.decode()
    locked = client.post(reverse("otp-verify"), {"code": bad})
    assert locked.status_code == 429 and "该账号已被锁定" in locked.content.decode()
    failures = AuditRecord.objects.filter(event="sign_in_failed", message="动态口令错误")
    assert failures.count() == 5 and AuditRecord.objects.filter(event="lockout").exists()
    assert "_auth_user_id" not in client.session  # the half-signed-in session is ended
    assert Client(REMOTE_ADDR="10.4.4.4").post(reverse("login"), {"username": "aaron", "password": PASSWORD}
                                               ).status_code == 429


def test_an_administrator_must_enrol_at_first_sign_in(sam) -> None:
    client = _sign_in("sam")
    for path in ("/", reverse("account-list"), reverse("profile")):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(reverse("otp-setup"))
    assert client.get("/api/v1/me").status_code == 403
    page = client.get(reverse("otp-setup")).content.decode()
    assert "管理员账号必须使用动态口令" in page and "<svg" in page
    device = TOTPDevice.objects.get(user=sam)
    client.post(reverse("otp-setup"), {"code": code(device)})
    assert client.get(reverse("account-list")).status_code == 200


def test_the_required_roles_are_configurable(aaron, sam, settings) -> None:
    settings.OTP_REQUIRED_ROLES = ["county"]
    assert _sign_in("aaron").get("/")["Location"].startswith(reverse("otp-setup"))
    assert _sign_in("sam").get(reverse("account-list")).status_code == 200


def test_a_user_turns_totp_off_with_a_code_but_an_administrator_cannot(aaron, sam) -> None:
    device = TOTPDevice.objects.create(user=aaron, name="totp", confirmed=True)
    client = client_for(aaron, otp=True)
    client.post(reverse("otp-disable"), {"code": code(device)})
    assert not TOTPDevice.objects.filter(user=aaron).exists()
    assert AuditRecord.objects.filter(event="update", object_type="accounts.user", object_id=str(aaron.pk), after={"otp": False}).exists()
    admin = client_for(sam)
    admin_device = TOTPDevice.objects.get(user=sam)
    admin.post(reverse("otp-disable"), {"code": code(admin_device)})
    assert TOTPDevice.objects.filter(user=sam).exists()


def test_the_profile_offers_totp_to_everyone(aaron) -> None:
    page = client_for(aaron).get(reverse("profile")).content.decode()
    assert 'id="otp-status"' in page and reverse("otp-setup") in page


def test_the_totp_pages_send_the_anonymous_to_sign_in(mini_plan) -> None:
    for method, name in (("get", "otp-verify"), ("get", "otp-setup"), ("post", "otp-disable")):
        response = getattr(Client(), method)(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name
