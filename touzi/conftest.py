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
from touzi.plans.loader import check_plan_file
from touzi.plans.models import Plan, WorkGroup
from touzi.plans.services import known_unit_keys, load_plan
from touzi.units.models import Unit

FIXTURES = Path(__file__).parent / "plans" / "tests" / "fixtures"
PASSWORD = "Correct-Horse-9"


def load_file(path: Path) -> Plan:
    checked = check_plan_file(path.read_bytes(), path.name, known_unit_keys())
    summary = load_plan(checked, acting_user=None)
    return Plan.objects.get(key=summary.plan_key)


@pytest.fixture
def mini_plan(db) -> Plan:
    return load_file(FIXTURES / "mini.yaml")


@pytest.fixture
def beihai_plan(db) -> Plan:
    return load_file(settings.DEFAULT_PLAN_FILE)


def make_user(username: str, role: Role, unit_key: str | None = None, group: WorkGroup | None = None) -> User:
    unit = Unit.objects.get(key=unit_key) if unit_key else None
    return create_user(username, PASSWORD, role=role, unit=unit, work_group=group, acting_user=None)


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


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
