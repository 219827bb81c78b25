"""A database that `touzi demo` built is a demo database (recorded in it, audited): with TOUZI_DEMO unset, the
check, the sign-in and the banner follow that record. Any other database keeps refusing the demo accounts, and
TOUZI_DEMO=false or production switches demo mode off whatever the database says."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from touzi.accounts.choices import Role
from touzi.accounts.services import create_user
from touzi.audit.models import AuditRecord
from touzi.core.actor import System
from touzi.core.models import DemoDatabase
from touzi.demo.checks import demo_accounts_outside_demo
from touzi.demo.mode import demo_mode, mark_demo_database
from touzi.demo.services import DEMO_PASSWORD, ensure_demo

pytestmark = pytest.mark.django_db
BANNER = "演示环境"


@pytest.fixture(autouse=True)
def touzi_demo_unset(settings):
    """As on a laptop after `scripts/demo`: TOUZI_DEMO not set, development."""
    settings.DEMO_MODE = None
    settings.PRODUCTION = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_office(mini_plan):
    """The demo's plan-office account, with the public demo password."""
    from touzi.units.models import Unit

    return create_user("office", DEMO_PASSWORD, role=Role.PLAN_OFFICE, unit=Unit.objects.get(key="drc"),
                       actor=System("test"))


def _signs_in(username: str) -> bool:
    client = Client()
    return client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD}).status_code == 302


def test_touzi_demo_records_its_database_as_a_demo_once_and_audits_it(beihai_plan) -> None:
    ensure_demo(portfolio=False)
    ensure_demo(portfolio=False)
    marker = DemoDatabase.objects.get()
    audited = AuditRecord.objects.filter(object_type="core.demodatabase")
    assert audited.count() == 1 and audited.get().event == "create"
    assert marker.built_at is not None
    assert demo_mode() is True


def test_on_a_demo_database_the_check_passes_and_the_demo_accounts_sign_in_with_touzi_demo_unset(demo_office) -> None:
    mark_demo_database(actor=System("demo"))
    assert demo_accounts_outside_demo() == []
    call_command("check")  # what `touzi status` and every other command run first
    assert _signs_in("office")


def test_on_a_database_touzi_demo_did_not_build_the_demo_accounts_are_refused(demo_office) -> None:
    errors = demo_accounts_outside_demo()
    assert [e.id for e in errors] == ["touzi.accounts.E002"] and "office" in errors[0].msg
    assert not _signs_in("office")
    assert AuditRecord.objects.filter(event="sign_in_failed", actor_name="office").exists()


def test_touzi_demo_false_switches_demo_mode_off_on_a_demo_database(demo_office, settings) -> None:
    mark_demo_database(actor=System("demo"))
    settings.DEMO_MODE = False
    assert [e.id for e in demo_accounts_outside_demo()] == ["touzi.accounts.E002"]
    assert not _signs_in("office")


def test_production_never_takes_demo_mode_from_the_database(demo_office, settings) -> None:
    mark_demo_database(actor=System("demo"))
    settings.PRODUCTION = True
    assert demo_mode() is False
    assert [e.id for e in demo_accounts_outside_demo()] == ["touzi.accounts.E002"]
    settings.DEMO_MODE = True  # a public demo server says so explicitly
    assert demo_mode() is True


def test_the_demo_banner_follows_the_database_when_touzi_demo_is_unset(mini_plan) -> None:
    page = Client().get(reverse("login"))
    assert BANNER not in page.content.decode()
    mark_demo_database(actor=System("demo"))
    assert BANNER in Client().get(reverse("login")).content.decode()


def test_the_public_portal_of_a_demo_says_it_is_a_demo(mini_plan, settings) -> None:
    """The public reads generated projects there too: they are told, as the signed-in users are."""
    assert BANNER not in Client().get(reverse("open-index")).content.decode()
    mark_demo_database(actor=System("demo"))
    assert BANNER in Client().get(reverse("open-index")).content.decode()
    settings.DEMO_MODE = False
    assert BANNER not in Client().get(reverse("open-index")).content.decode()
