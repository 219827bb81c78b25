"""`touzi plan load` checks the whole file first, names each problem's line, and writes nothing on error."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from touzi.audit.models import AuditRecord
from touzi.plans.loader import PlanFileInvalid, check_plan_file
from touzi.plans.models import Plan, Target
from touzi.testing import FIXTURES
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db
MINI = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")


def _problems(text: str) -> list[str]:
    with pytest.raises(PlanFileInvalid) as caught:
        check_plan_file(text.encode(), "bad.yaml")
    return caught.value.lines()


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_yaml_syntax_error_names_its_line() -> None:
    text = MINI.replace("  start_year: 2021", "  start_year: [2021")
    problems = _problems(text)
    assert len(problems) == 1 and problems[0].startswith("bad.yaml:")
    assert "YAML" in problems[0]


def test_an_unknown_unit_is_reported_on_its_line() -> None:
    text = MINI.replace('cooperating_units: [county-b]', 'cooperating_units: [county-z]')
    problems = _problems(text)
    assert problems == [f"bad.yaml:{_line_of(text, 'county-z')}: 未知的单位 'county-z'"]


def test_a_bad_comparator_is_reported_on_its_line() -> None:
    text = MINI.replace('comparator: ">"', 'comparator: "~"')
    problems = _problems(text)
    assert len(problems) == 1
    line = _line_of(text, '"~"')
    assert problems[0].startswith(f"bad.yaml:{line}:")
    assert "comparator" in problems[0] and "无效" in problems[0]


def test_a_duplicate_target_key_is_reported() -> None:
    text = MINI.replace("  - key: railway-total", "  - key: industry-total")
    second = [i for i, line in enumerate(text.splitlines(), 1) if "- key: industry-total" in line][1]
    assert _problems(text) == [f"bad.yaml:{second}: 目标标识 'industry-total' 重复"]


def test_a_duplicate_mapping_key_is_a_yaml_error_with_its_line() -> None:
    text = MINI.replace("  end_year: 2023\n", "  end_year: 2023\n  end_year: 2024\n", 1)
    problems = _problems(text)
    assert problems == [f"bad.yaml:{_line_of(text, 'end_year: 2024')}: 重复的字段 'end_year'"]


def test_unknown_and_missing_fields_are_reported_together() -> None:
    text = MINI.replace("    metric: growth\n", "    metrik: growth\n")
    problems = _problems(text)
    assert any("未知字段" in p and "metrik" in p for p in problems)
    assert any("metric" in p and "缺少必填字段" in p for p in problems)


def test_a_bad_period_is_explained() -> None:
    problems = _problems(MINI.replace("period: each 2021-2023", "period: every year"))
    assert any("期间格式" in p for p in problems)


def test_a_file_with_errors_writes_nothing(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI.replace('cooperating_units: [county-b]', 'cooperating_units: [nobody]'), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("plan", "load", str(bad), stderr=err)
    assert "未知的单位 'nobody'" in err.getvalue()
    assert not Plan.objects.exists() and not Unit.objects.exists() and not AuditRecord.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_plainly() -> None:
    with pytest.raises(PlanFileInvalid) as caught:
        check_plan_file("format: 计划".encode("gbk"), "gbk.yaml")
    assert "UTF-8" in caught.value.lines()[0]


def test_loading_the_same_file_twice_changes_nothing(tmp_path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(MINI, encoding="utf-8")
    out = io.StringIO()
    call_command("plan", "load", str(path), stdout=out)
    records = AuditRecord.objects.count()
    first_loaded_at = Plan.objects.get(key="mini").loaded_at
    out = io.StringIO()
    call_command("plan", "load", str(path), stdout=out)
    assert "未作改动" in out.getvalue()
    assert AuditRecord.objects.count() == records
    assert Plan.objects.get(key="mini").loaded_at == first_loaded_at


def test_an_edited_file_updates_the_plan_and_audits_each_change(tmp_path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(MINI, encoding="utf-8")
    call_command("plan", "load", str(path), stdout=io.StringIO())
    edited = MINI.replace("value: 230", "value: 240").replace("铁路230亿元", "铁路240亿元")
    edited = edited.replace("  - key: county-a-funds", "  - key: county-a-funds-x", 1)
    path.write_text(edited, encoding="utf-8")
    out = io.StringIO()
    call_command("plan", "load", str(path), stdout=out)
    railway = Target.objects.get(plan__key="mini", key="railway-total")
    assert railway.value == 240
    change = AuditRecord.objects.filter(
        object_type="plans.target", object_id=str(railway.pk), event="update", after__has_key="value").get()
    assert change.before == {"quote": "铁路230亿元", "value": "230"}
    assert change.after == {"quote": "铁路240亿元", "value": "240"}
    assert change.source == "command" and change.actor_name.startswith("cli:")
    assert AuditRecord.objects.filter(event="delete", object_type="plans.target").count() == 1
    assert Target.objects.filter(plan__key="mini", key="county-a-funds-x").exists()
    assert not Target.objects.filter(plan__key="mini", key="county-a-funds").exists()
    assert AuditRecord.objects.filter(event="plan_load").count() == 2


def test_targets_take_their_tasks_responsibilities_unless_they_name_their_own(mini_plan) -> None:
    industry = mini_plan.targets.get(key="industry-total")
    assert [d.holder_key for d in industry.duties.all()] == ["industry", "@counties"]
    overall = mini_plan.targets.get(key="major-2021")
    assert [d.holder_key for d in overall.duties.all()] == ["drc"]


def test_values_stay_exact(mini_plan) -> None:
    assert str(mini_plan.targets.get(key="fai-growth").value.normalize()) == "15.5"


def test_a_unit_added_to_a_plan_stays_when_the_file_is_reloaded(tmp_path, mini_plan) -> None:
    from touzi.units.choices import UnitKind

    bank = Unit.objects.create(key="bank", name="某银行", kind=UnitKind.BANK)
    mini_plan.units.add(bank)
    path = tmp_path / "mini.yaml"
    path.write_text(MINI, encoding="utf-8")
    call_command("plan", "load", str(path), stdout=io.StringIO())
    assert mini_plan.units.filter(key="bank").exists()
