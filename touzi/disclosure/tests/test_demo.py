"""The demo publishes a realistic subset, and its OC4IDS package validates against the 0.9.4 schema."""

from __future__ import annotations

import json
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from touzi.disclosure.choices import ConsultationState, ItemKind, OpinionState, VersionState
from touzi.disclosure.models import Consultation, DisclosureItem, ItemVersion, OfficeExemption, Opinion
from touzi.disclosure.oc4ids import validate
from touzi.disclosure.public import published_projects
from touzi.disclosure.services import disclosable
from touzi.projects.choices import Stage
from touzi.projects.models import Project, StageDecision
from touzi.testing import load_file


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from touzi.demo.portfolio import ensure_demo_portfolio
    from touzi.disclosure.demo import seed

    with django_db_blocker.unblock(), transaction.atomic():
        load_file(settings.DEFAULT_PLAN_FILE)
        ensure_demo_portfolio(size=300)
        started = time.monotonic()
        items = seed()
        yield items, time.monotonic() - started
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_demo_publishes_a_realistic_subset_quickly(demo) -> None:
    items, seconds = demo
    assert items > 50 and seconds < 5
    shown, due = published_projects().count(), disclosable(Project.objects.filter(is_demo=True)).count()
    assert 0.5 * due < shown < due  # most, not all, of the projects that must publish
    assert set(DisclosureItem.objects.values_list("kind", flat=True)) == set(ItemKind.values)
    assert ItemVersion.objects.filter(state=VersionState.PENDING).exists()
    assert ItemVersion.objects.filter(state=VersionState.APPROVED, number=2).exists()  # corrections
    assert Consultation.objects.filter(state=ConsultationState.DECIDED).exists()
    assert set(Opinion.objects.values_list("state", flat=True)) == set(OpinionState.values)
    assert set(StageDecision.objects.values_list("stage", flat=True)) == {Stage.SUSPENDED, Stage.SCALED_DOWN}
    assert OfficeExemption.objects.filter(project__isnull=False).exists()


@pytest.mark.django_db
def test_the_demo_package_validates_against_the_oc4ids_schema(demo, tmp_path, capsys) -> None:
    out = tmp_path / "oc4ids.json"
    call_command("export", "oc4ids", "--out", str(out), "--published-only")
    summary = json.loads(capsys.readouterr().out)
    data = json.loads(out.read_text())
    assert summary == {"out": str(out), "projects": len(data["projects"]), "valid": True, "errors": []}
    assert validate(data) == []
    assert len(data["projects"]) == published_projects().count()
    assert all(p["id"].startswith(settings.OC4IDS_PREFIX + "-") for p in data["projects"])
    roles = {role for p in data["projects"] for party in p["parties"] for role in party["roles"]}
    assert {"publicAuthority", "supplier"} <= roles
    assert any("contractingProcesses" in p for p in data["projects"])
    assert any("completion" in p for p in data["projects"])
    assert any(p["budget"].get("budgetBreakdowns") for p in data["projects"])
    call_command("export", "oc4ids", "--out", str(out))  # every disclosable project, approved content only
    everything = json.loads(out.read_text())
    assert validate(everything) == [] and len(everything["projects"]) >= len(data["projects"])
    pending = set(ItemVersion.objects.filter(state=VersionState.PENDING).values_list("text", flat=True))
    assert not [t for t in pending if t in out.read_text()]
