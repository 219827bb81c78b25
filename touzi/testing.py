"""Helpers for the tests and the benchmarks: plans, personas, projects and signed-in clients.

A plain module in the style of Healthchecks' `hc/test.py`: it imports no pytest, so benchmarks and
drills (which run outside pytest) use the same helpers, and `touzi/conftest.py` stays a list of thin
fixtures over these functions.

Personas, one per role (the fixtures of conftest.py): Olive at the plan office, Aaron of county A, Bella
of county B, Ian at the industry bureau (lead unit), Gina in the industry subgroup, Stan at the
statistics bureau, Ada the audit administrator, Sam the system administrator, Sue the security
administrator; Oscar and Otto own 甲公司 and 乙公司. `mini.yaml` is a small hand-made plan whose right
answers are easy to see; `settings.DEFAULT_PLAN_FILE` is the real one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client

from touzi.accounts.choices import Role
from touzi.accounts.models import User
from touzi.accounts.services import create_user
from touzi.core.actor import System
from touzi.plans.loader import check_plan_file
from touzi.plans.models import Domain, Plan, WorkGroup
from touzi.plans.services import known_unit_keys, load_plan
from touzi.projects.models import Project
from touzi.projects.services import ProjectInput, create_project
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

FIXTURES = Path(__file__).parent / "plans" / "tests" / "fixtures"
PASSWORD = "Correct-Horse-9"

# username, role, unit key (None: no unit) of each persona working in the mini plan; Gina is apart (a work group).
PERSONAS: dict[str, tuple[Role, str | None]] = {
    "olive": (Role.PLAN_OFFICE, "drc"),
    "aaron": (Role.COUNTY, "county-a"),
    "bella": (Role.COUNTY, "county-b"),
    "ian": (Role.LEAD_UNIT, "industry"),
    "stan": (Role.STATISTICS, "stats"),
    "ada": (Role.AUDIT_ADMIN, None),
    "sam": (Role.SYSTEM_ADMIN, None),
    "sue": (Role.SECURITY_ADMIN, None),
    "oscar": (Role.OWNER, "owner-a"),
    "otto": (Role.OWNER, "owner-b"),
}


def load_file(path: Path) -> Plan:
    """Check and load a plan file as the system would at installation."""
    checked = check_plan_file(path.read_bytes(), path.name, known_unit_keys())
    summary = load_plan(checked, actor=System("test"))
    return Plan.objects.get(key=summary.plan_key)


def load_mini_plan() -> Plan:
    return load_file(FIXTURES / "mini.yaml")


def make_user(username: str, role: Role, unit_key: str | None = None, group: WorkGroup | None = None) -> User:
    unit = Unit.objects.get(key=unit_key) if unit_key else None
    return create_user(username, PASSWORD, role=role, unit=unit, work_group=group, actor=System("test"))


def persona(username: str) -> User:
    """One of the personas above, created with its role and unit (the mini plan must be loaded)."""
    role, unit_key = PERSONAS[username]
    return make_user(username, role, unit_key)


def make_gina(plan: Plan) -> User:
    """Gina works in the plan's industry subgroup (a work group, not a unit)."""
    return make_user("gina", Role.SUBGROUP, group=WorkGroup.objects.get(plan=plan, key="industry-group"))


def make_owners() -> dict[str, Unit]:
    """The two enterprises that own the projects of `make_projects`: 甲公司 and 乙公司."""
    return {key: Unit.objects.create(key=key, name=name, kind=UnitKind.ENTERPRISE)
            for key, name in (("owner-a", "甲公司"), ("owner-b", "乙公司"))}


def client_for(user: User | None, *, otp: bool | None = None) -> Client:
    """A client signed in as the user. Administrators (who must use TOTP) get a confirmed device and a session
    verified with it, as after a real two-step sign-in; `otp=True` does the same for anyone, `otp=False` never."""
    client = Client()
    if user is not None:
        client.force_login(user)
        if otp or (otp is None and user.role in settings.OTP_REQUIRED_ROLES):
            verify_otp(client, user)
    return client


def verify_otp(client: Client, user: User) -> Any:
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


def new_project(name: str, *, county: str, owner: str, domain: str = "industry", code: str | None = None,
                total: str = "10000", stage: str = "new_start", lead: str | None = "industry", **values: Any) -> Project:
    """A project created through the service (as a reserve), then moved to `stage` directly, started in 2021-03."""
    fields = {
        "name": name, "code": code, "domain": Domain.objects.get(key=domain),
        "county": Unit.objects.get(key=county), "owner": Unit.objects.get(key=owner),
        "lead_unit": Unit.objects.get(key=lead) if lead else None, "total_investment": Decimal(total),
        "planned_start": dt.date(2021, 3, 1), "planned_completion": dt.date(2023, 12, 1), **values,
    }
    project = create_project(ProjectInput(values=fields), actor=System("test"))
    if stage != "reserve":
        Project.objects.filter(pk=project.pk).update(stage=stage, actual_start=dt.date(2021, 3, 1))
        project.refresh_from_db()
    return project


def make_projects() -> dict[str, Project]:
    """Two projects of 甲公司 in county A (one in its park) and one of 乙公司 in county B."""
    return {
        "plant": new_project("甲公司新材料工厂", county="county-a", owner="owner-a",
                             code="2021-450521-26-03-000001", total="50000"),
        "park": new_project("甲公司园区标准厂房", county="county-a", owner="owner-a", park=Unit.objects.get(key="park-a"),
                            code="2021-450521-26-03-000002", total="8000"),
        "rail": new_project("乙区铁路专用线", county="county-b", owner="owner-b", domain="railway", lead="drc",
                            code="2021-450503-54-01-000003", total="120000"),
    }


def accepted_report(project: Project, month: dt.date | str, amount: Decimal | str) -> None:
    """A month's figure of `project` in the ledger as accepted (month a date or "YYYY-MM", amount in 万元)."""
    from touzi.lib.periods import month_of
    from touzi.reports.bulk import load_ledger
    from touzi.reports.models import MonthlyReport

    load_ledger([MonthlyReport(project=project, month=month_of(month), amount=Decimal(amount), status="accepted")],
                actor=System("test"))


# --- approvals --------------------------------------------------------------------------------------

def approving_unit(plan: Plan, key: str, name: str, short_name: str) -> Unit:
    """An approving bureau (审批部门) among the plan's units."""
    unit, _ = Unit.objects.get_or_create(key=key, defaults={"name": name, "short_name": short_name,
                                                            "kind": UnitKind.BUREAU})
    plan.units.add(unit)
    return unit


# --- financing --------------------------------------------------------------------------------------

def bank_unit(plan: Plan, key: str, name: str) -> Unit:
    """A bank branch (金融机构) taking part in the plan's financing."""
    unit, _ = Unit.objects.get_or_create(key=key, defaults={"name": name, "kind": UnitKind.BANK})
    plan.units.add(unit)
    return unit
