"""Personas and plans shared by the whole suite.

Personas, one per role: Olive at the plan office, Aaron of county A, Bella of
county B, Ian at the industry bureau (lead unit), Gina in the industry
subgroup, Stan at the statistics bureau, Ada the audit administrator, Sam the
system administrator. `mini_plan` is a small hand-made plan whose right
answers are easy to see; `beihai_plan` is the real one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from touzi.accounts.choices import Role
from touzi.accounts.models import User
from touzi.accounts.services import create_user
from touzi.core.actor import System
from touzi.plans.loader import check_plan_file
from touzi.plans.models import Plan, WorkGroup
from touzi.plans.services import known_unit_keys, load_plan
from touzi.units.models import Unit

FIXTURES = Path(__file__).parent / "plans" / "tests" / "fixtures"
PASSWORD = "Correct-Horse-9"


def load_file(path: Path) -> Plan:
    checked = check_plan_file(path.read_bytes(), path.name, known_unit_keys())
    summary = load_plan(checked, actor=System("test"))
    return Plan.objects.get(key=summary.plan_key)


@pytest.fixture(autouse=True)
def chinese_first():
    """Each test starts in Chinese, as a user does; a test that switches to English does not leak it."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


@pytest.fixture(autouse=True)
def media_in_tmp(tmp_path, settings):
    """Uploaded evidence and imports land in a temporary folder, not in var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def audit_checkpoints_in_tmp(tmp_path, settings):
    """Audit checkpoints go to a file of the test's own: never to var/, whose file vouches for the dev database."""
    from touzi.audit.checkpoint_log import forget

    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"
    forget()
    yield
    forget()


@pytest.fixture(autouse=True)
def dashboard_cache_off(settings):
    """Tests change rows directly, which no audit record versions: the dashboard cache is on only where asked."""
    settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture
def mini_plan(db) -> Plan:
    return load_file(FIXTURES / "mini.yaml")


@pytest.fixture
def beihai_plan(db) -> Plan:
    return load_file(settings.DEFAULT_PLAN_FILE)


def make_user(username: str, role: Role, unit_key: str | None = None, group: WorkGroup | None = None) -> User:
    unit = Unit.objects.get(key=unit_key) if unit_key else None
    return create_user(username, PASSWORD, role=role, unit=unit, work_group=group, actor=System("test"))


@pytest.fixture
def olive(mini_plan) -> User:
    return make_user("olive", Role.PLAN_OFFICE, "drc")


@pytest.fixture
def aaron(mini_plan) -> User:
    return make_user("aaron", Role.COUNTY, "county-a")


@pytest.fixture
def bella(mini_plan) -> User:
    return make_user("bella", Role.COUNTY, "county-b")


@pytest.fixture
def ian(mini_plan) -> User:
    return make_user("ian", Role.LEAD_UNIT, "industry")


@pytest.fixture
def gina(mini_plan) -> User:
    return make_user("gina", Role.SUBGROUP, group=WorkGroup.objects.get(plan=mini_plan, key="industry-group"))


@pytest.fixture
def stan(mini_plan) -> User:
    return make_user("stan", Role.STATISTICS, "stats")


@pytest.fixture
def ada(mini_plan) -> User:
    return make_user("ada", Role.AUDIT_ADMIN)


@pytest.fixture
def sam(mini_plan) -> User:
    return make_user("sam", Role.SYSTEM_ADMIN)


def client_for(user: User | None, *, otp: bool | None = None) -> Client:
    """A client signed in as the user. Administrators (who must use TOTP) get a confirmed device and a session
    verified with it, as after a real two-step sign-in; `otp=True` does the same for anyone, `otp=False` never."""
    client = Client()
    if user is not None:
        client.force_login(user)
        if otp or (otp is None and user.role in settings.OTP_REQUIRED_ROLES):
            verify_otp(client, user)
    return client


def verify_otp(client: Client, user: User):
    """Give the user a confirmed TOTP device (if they have none) and mark the client's session verified."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="totp", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def secadmin(mini_plan) -> User:
    """Sue, the security administrator (安全管理员)."""
    return make_user("sue", Role.SECURITY_ADMIN)


@pytest.fixture
def admin_client():
    """`admin_client(user)`: a client signed in as an administrator persona with a verified TOTP device."""
    return lambda user: client_for(user, otp=True)


# --- projects and reports -------------------------------------------------------------------------

@pytest.fixture
def owners(mini_plan) -> dict[str, Unit]:
    from touzi.units.choices import UnitKind

    return {key: Unit.objects.create(key=key, name=name, kind=UnitKind.ENTERPRISE)
            for key, name in (("owner-a", "甲公司"), ("owner-b", "乙公司"))}


@pytest.fixture
def oscar(owners) -> User:
    """Owner of 甲公司, whose projects are in county A."""
    return make_user("oscar", Role.OWNER, "owner-a")


@pytest.fixture
def otto(owners) -> User:
    """Owner of 乙公司, whose project is in county B."""
    return make_user("otto", Role.OWNER, "owner-b")


def new_project(name: str, *, county: str, owner: str, domain: str = "industry", code: str | None = None,
                total: str = "10000", stage: str = "new_start", lead: str | None = "industry", **values):
    import datetime as dt
    from decimal import Decimal

    from touzi.plans.models import Domain
    from touzi.projects.services import ProjectInput, create_project

    fields = {
        "name": name, "code": code, "domain": Domain.objects.get(key=domain),
        "county": Unit.objects.get(key=county), "owner": Unit.objects.get(key=owner),
        "lead_unit": Unit.objects.get(key=lead) if lead else None, "total_investment": Decimal(total),
        "planned_start": dt.date(2021, 3, 1), "planned_completion": dt.date(2023, 12, 1), **values,
    }
    project = create_project(ProjectInput(values=fields), actor=System("test"))
    if stage != "reserve":
        from touzi.projects.models import Project

        Project.objects.filter(pk=project.pk).update(stage=stage, actual_start=dt.date(2021, 3, 1))
        project.refresh_from_db()
    return project


@pytest.fixture
def projects(owners) -> dict:
    """Two projects of 甲公司 in county A (one in its park) and one of 乙公司 in county B."""
    return {
        "plant": new_project("甲公司新材料工厂", county="county-a", owner="owner-a",
                             code="2021-450521-26-03-000001", total="50000"),
        "park": new_project("甲公司园区标准厂房", county="county-a", owner="owner-a", park=Unit.objects.get(key="park-a"),
                            code="2021-450521-26-03-000002", total="8000"),
        "rail": new_project("乙区铁路专用线", county="county-b", owner="owner-b", domain="railway", lead="drc",
                            code="2021-450503-54-01-000003", total="120000"),
    }
