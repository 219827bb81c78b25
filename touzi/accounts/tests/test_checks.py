"""`touzi check` refuses a superuser in production and demo accounts outside demo mode; so does the sign-in."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import reverse

from touzi.accounts.checks import otp_roles_are_roles, superusers_in_production
from touzi.accounts.choices import Role
from touzi.accounts.services import create_user
from touzi.audit.models import AuditRecord
from touzi.core.actor import System
from touzi.demo.accounts import DEMO_PASSWORD
from touzi.demo.checks import demo_accounts_outside_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_admin(mini_plan):
    return create_user("secadmin", DEMO_PASSWORD, role=Role.SECURITY_ADMIN, actor=System("test"))


def test_a_superuser_is_an_error_in_production(aaron, settings) -> None:
    type(aaron).objects.filter(pk=aaron.pk).update(is_superuser=True)
    assert superusers_in_production() == []  # development
    settings.PRODUCTION = True
    errors = superusers_in_production()
    assert [e.id for e in errors] == ["touzi.accounts.E001"] and "aaron" in errors[0].msg
    with pytest.raises(SystemCheckError):
        call_command("check", "--deploy")


def test_demo_accounts_with_the_demo_password_are_an_error_outside_demo_mode(demo_admin, settings) -> None:
    errors = demo_accounts_outside_demo()
    assert [e.id for e in errors] == ["touzi.accounts.E002"] and "secadmin" in errors[0].msg
    settings.DEMO_MODE = True
    assert demo_accounts_outside_demo() == []
    settings.DEMO_MODE = False
    demo_admin.set_password("Another-Secret-8")
    demo_admin.save()
    assert demo_accounts_outside_demo() == []


def test_the_demo_password_on_other_usernames_is_not_a_demo_account(mini_plan) -> None:
    create_user("someone", DEMO_PASSWORD, role=Role.AUDIT_ADMIN, actor=System("test"))
    assert demo_accounts_outside_demo() == []


def test_unknown_roles_requiring_otp_are_an_error(settings) -> None:
    settings.OTP_REQUIRED_ROLES = ["system_admin", "sysadmin"]
    assert [e.id for e in otp_roles_are_roles()] == ["touzi.accounts.E003"]


def test_a_demo_account_cannot_sign_in_outside_demo_mode_and_it_is_audited(demo_admin) -> None:
    page = Client().post(reverse("login"), {"username": "secadmin", "password": DEMO_PASSWORD})
    assert page.status_code == 200 and "演示账号只能在演示模式下登录" in page.content.decode()
    failed = AuditRecord.objects.get(event="sign_in_failed")
    assert failed.actor_name == "secadmin" and not failed.success and "演示账号" in failed.message


def test_in_demo_mode_a_demo_administrator_signs_in_and_is_sent_to_enrol(demo_admin, settings) -> None:
    settings.DEMO_MODE = True
    client = Client()
    assert client.post(reverse("login"), {"username": "secadmin", "password": DEMO_PASSWORD}).status_code == 302
    response = client.get("/")
    assert response["Location"].startswith(reverse("otp-setup"))
    assert "<svg" in client.get(response["Location"]).content.decode()
