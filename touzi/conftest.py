"""Fixtures only: thin wrappers over touzi.testing (the helpers tests and benchmarks import).

Personas, one per role: Olive at the plan office, Aaron of county A, Bella of county B, Ian at the
industry bureau (lead unit), Gina in the industry subgroup, Stan at the statistics bureau, Ada the audit
administrator, Sam the system administrator. `mini_plan` is a small hand-made plan whose right answers
are easy to see; `beihai_plan` is the real one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.test import Client

from touzi import testing
from touzi.accounts.choices import Role
from touzi.accounts.models import User
from touzi.plans.models import Plan
from touzi.projects.models import Project
from touzi.testing_browser import MISSING, browser_required, chromium_path
from touzi.units.models import Unit


@pytest.fixture(autouse=True)
def chinese_first() -> Iterator[None]:
    """Each test starts in Chinese, as a user does; a test that switches to English does not leak it."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


@pytest.fixture(autouse=True)
def media_in_tmp(tmp_path, settings) -> None:
    """Uploaded evidence and imports land in a temporary folder, not in var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def audit_checkpoints_in_tmp(tmp_path, settings) -> Iterator[None]:
    """Audit checkpoints go to a file of the test's own: never to var/, whose file vouches for the dev database."""
    from touzi.audit.checkpoint_log import forget

    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"
    forget()
    yield
    forget()


@pytest.fixture(autouse=True)
def dashboard_cache_off(settings) -> None:
    """Tests change rows directly, which no audit record versions: the dashboard cache is on only where asked."""
    settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def chromium_for_browser_tests(request) -> None:
    """A browser test without chromium is skipped on a workstation and fails in CI (TOUZI_REQUIRE_BROWSER)."""
    if request.node.get_closest_marker("browser") is None or chromium_path() is not None:
        return
    if browser_required():
        pytest.fail(MISSING)
    pytest.skip(MISSING)


@pytest.fixture
def mini_plan(db) -> Plan:
    return testing.load_mini_plan()


@pytest.fixture
def beihai_plan(db) -> Plan:
    return testing.load_file(settings.DEFAULT_PLAN_FILE)


@pytest.fixture
def olive(mini_plan) -> User:
    return testing.persona("olive")


@pytest.fixture
def aaron(mini_plan) -> User:
    return testing.persona("aaron")


@pytest.fixture
def bella(mini_plan) -> User:
    return testing.persona("bella")


@pytest.fixture
def ian(mini_plan) -> User:
    return testing.persona("ian")


@pytest.fixture
def gina(mini_plan) -> User:
    return testing.make_gina(mini_plan)


@pytest.fixture
def stan(mini_plan) -> User:
    return testing.persona("stan")


@pytest.fixture
def ada(mini_plan) -> User:
    return testing.persona("ada")


@pytest.fixture
def sam(mini_plan) -> User:
    return testing.persona("sam")


@pytest.fixture
def secadmin(mini_plan) -> User:
    """Sue, the security administrator (安全管理员)."""
    return testing.persona("sue")


@pytest.fixture
def admin_client() -> Callable[[User], Client]:
    """`admin_client(user)`: a client signed in as an administrator persona with a verified TOTP device."""
    return lambda user: testing.client_for(user, otp=True)


# --- projects and reports -------------------------------------------------------------------------

@pytest.fixture
def owners(mini_plan) -> dict[str, Unit]:
    return testing.make_owners()


@pytest.fixture
def oscar(owners) -> User:
    """Owner of 甲公司, whose projects are in county A."""
    return testing.persona("oscar")


@pytest.fixture
def otto(owners) -> User:
    """Owner of 乙公司, whose project is in county B."""
    return testing.persona("otto")


@pytest.fixture
def projects(owners) -> dict[str, Project]:
    """Two projects of 甲公司 in county A (one in its park) and one of 乙公司 in county B."""
    return testing.make_projects()


# --- approvals --------------------------------------------------------------------------------------

@pytest.fixture
def abe(mini_plan: Plan) -> User:
    """Abe at the natural resources bureau (审批部门): sees the approvals it handles, nothing else."""
    testing.approving_unit(mini_plan, "nrb", "测试市自然资源局", "市自然资源局")
    return testing.make_user("abe", Role.APPROVER, "nrb")


@pytest.fixture
def eve(mini_plan: Plan) -> User:
    """Eve at the ecology and environment bureau (审批部门), another approving unit."""
    testing.approving_unit(mini_plan, "eeb", "测试市生态环境局", "市生态环境局")
    return testing.make_user("eve", Role.APPROVER, "eeb")


# --- financing --------------------------------------------------------------------------------------

@pytest.fixture
def banker(mini_plan: Plan) -> User:
    """Bruno at 甲银行北海分行 (金融机构): sees the financing needs and his bank's own steps, nothing else."""
    testing.bank_unit(mini_plan, "bank-a", "甲银行北海分行")
    return testing.make_user("banker", Role.BANK, "bank-a")
