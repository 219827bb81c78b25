"""The plan file's `assessment:` section: checked with its lines by the plan loader, stored on load, audited."""

from __future__ import annotations

import pytest
from django.conf import settings

from touzi.assessment.models import AssessmentScheme
from touzi.audit.models import AuditRecord
from touzi.core.actor import System
from touzi.plans.loader import PlanFileInvalid, check_plan_file
from touzi.plans.services import known_unit_keys, load_plan
from touzi.testing import FIXTURES

MINI = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
SECTION = """
assessment:
  - key: counties
    name: 县区考核
    years: [2022]
    units: ["@counties", industry]
    indicators:
      - {key: attainment, source: attainment, weight: 60, rule: linear, low: 60, high: 100}
      - {key: approvals, source: approvals_on_time, weight: 40, rule: pass, threshold: 0.9}
"""


def test_the_section_is_checked_with_the_line_of_each_problem() -> None:
    bad = SECTION.replace("weight: 40", "weight: 30").replace("industry]", "nobody]").replace(
        "rule: pass, threshold: 0.9", "rule: pass")
    with pytest.raises(PlanFileInvalid) as caught:
        check_plan_file((MINI + bad).encode(), "mini.yaml", set())
    lines = caught.value.lines()
    start = (MINI + bad).splitlines().index("assessment:") + 1
    assert any("未知的单位 'nobody'" in line for line in lines) or any("达标制(pass)需要 threshold" in line
                                                                    for line in lines)
    assert all(int(line.split(":")[1]) > start for line in lines), lines


def test_an_unregistered_section_name_is_still_refused() -> None:
    with pytest.raises(PlanFileInvalid) as caught:
        check_plan_file((MINI + "\nassessments: []\n").encode(), "mini.yaml", set())
    assert "未知字段 assessments" in str(caught.value)


@pytest.mark.django_db
def test_loading_stores_the_schemes_and_a_reload_without_the_section_removes_them() -> None:
    checked = check_plan_file((MINI + SECTION).encode(), "mini.yaml", known_unit_keys())
    summary = load_plan(checked, actor=System("test"))
    scheme = AssessmentScheme.objects.get(key="counties")
    assert set(scheme.units.values_list("key", flat=True)) == {"county-a", "county-b", "industry"}
    assert scheme.spec["indicators"][1]["threshold"] == "0.9" and "~ assessment" in summary.changes
    assert AuditRecord.objects.filter(object_type="assessment.assessmentscheme", event="create").exists()
    again = load_plan(check_plan_file((MINI + SECTION).encode(), "mini.yaml", known_unit_keys()),
                      actor=System("test"))
    assert not again.changed
    load_plan(check_plan_file(MINI.encode(), "mini.yaml", known_unit_keys()), actor=System("test"))
    assert not AssessmentScheme.objects.exists()


def test_beihais_file_checks() -> None:
    checked = check_plan_file(settings.DEFAULT_PLAN_FILE.read_bytes(), "beihai.yaml", set())
    assert [s["key"] for s in checked.sections["assessment"]] == ["counties", "bureaus"]
