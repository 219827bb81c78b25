"""The demo pipeline: concepts screened all three ways, milestones for the reserve (some late), 前期经费 with one
county short, 统计入库 with a few started projects missing; quick and run twice without change."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.conf import settings
from django.db import transaction

from touzi.core.actor import System
from touzi.monitoring.alerts import Ask
from touzi.monitoring.attainment import target_figures
from touzi.pipeline.choices import ConceptStatus, RegisterStatus
from touzi.pipeline.demo import seed
from touzi.pipeline.figures import summary
from touzi.pipeline.models import Concept, Milestone, PreliminaryFund, Registration
from touzi.pipeline.warnings import pipeline_alerts, pipeline_kinds
from touzi.plans.models import Target
from touzi.projects.models import Project
from touzi.testing import load_file


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from touzi.demo.portfolio import ensure_demo_portfolio

    with django_db_blocker.unblock(), transaction.atomic():
        plan = load_file(settings.DEFAULT_PLAN_FILE)
        ensure_demo_portfolio(size=150)
        started = time.monotonic()
        seed(plan)
        elapsed = time.monotonic() - started
        yield plan, elapsed
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_demo_pipeline_shows_every_capability(demo) -> None:
    plan, elapsed = demo
    assert elapsed < 5
    statuses = set(Concept.objects.values_list("status", flat=True))
    assert statuses == set(ConceptStatus.values)
    accepted = Concept.objects.filter(status=ConceptStatus.ACCEPTED)
    assert accepted.count() == 4 and all(c.project_id for c in accepted)
    assert Milestone.objects.filter(actual_on__isnull=True, planned_on__lt=dt.date(2023, 12, 1)).exists()
    month = dt.date(2023, 12, 1)
    kinds = {a.kind for a in pipeline_alerts(Project.objects.all(), month, dt.date(2023, 12, 31))}
    ask = Ask(Project.objects.all(), month, None, dt.date(2023, 12, 31))
    kinds |= {kind.kind for kind in pipeline_kinds() if kind.rows(ask).exists()}
    assert kinds == {"prelim_late", "not_registered"}
    assert Registration.objects.filter(status=RegisterStatus.REGISTERED).exists()
    assert PreliminaryFund.objects.filter(year=2022, county__key="hepu", allocated__lt=2000).exists()
    target = Target.objects.get(plan=plan, key="prelim-funds-county")
    [figure] = target_figures(plan, dt.date(2022, 12, 1), [target])
    assert figure.value == 1600 and figure.status == "missed"
    assert summary(System("test"), 2023, plan)["concepts"] > 0
    counts = (Concept.objects.count(), Milestone.objects.count(), Registration.objects.count())
    seed(plan)  # again: nothing new
    assert (Concept.objects.count(), Milestone.objects.count(), Registration.objects.count()) == counts
