"""The ≥10亿元 table of the briefing counts 审批办结/应办 from the approval records; a session's minutes."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document

from touzi.approvals.minutes import minutes_docx
from touzi.approvals.services import add_follow_up, add_opinion, decide, grant_exemption, record_session
from touzi.approvals.tests.conftest import accepted, approval
from touzi.briefings.freeze import from_json
from touzi.briefings.services import generate
from touzi.core.actor import System
from touzi.plans.models import Collection, Target
from touzi.projects.models import AnnualPlan, Membership
from touzi.testing import client_for
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db
D = dt.date


def _big_rows(plan, user):
    Target.objects.create(plan=plan, key="briefing-threshold", area="governance", name="通报门槛",
                          scope_kind="overall", metric="threshold", period_kind="range", period_start=2021,
                          period_end=2023, comparator=">=", value=Decimal("10"), unit_of_measure="亿元",
                          measure_source="rule", quote="10亿元以上项目")
    content = from_json(generate(plan, D(2021, 6, 1), actor=user).content)
    table = next(t for t in content.annex_tables() if t.key == "big_projects")
    return {r[0]: r[-1] for r in table.rows}


def test_the_big_projects_table_shows_approvals_done_of_required_from_the_records(
        mini_plan, projects, olive, nrb):
    rail = projects["rail"]  # 12 亿元
    Membership.objects.create(project=rail, collection=Collection.objects.get(key="major-list"), year=2021)
    AnnualPlan.objects.create(project=rail, year=2021, planned_investment=Decimal("6000"))
    decide(accepted(rail, "land-preexam", nrb, D(2021, 3, 1)), D(2021, 3, 10), "预审〔2021〕1号", actor=System("test"))
    accepted(rail, "land-planning", nrb, D(2021, 3, 1))
    grant_exemption(approval(rail, "construction"), "铁路专用线另行审批", actor=olive)
    assert _big_rows(mini_plan, olive)["乙区铁路专用线"] == "2/3"


def test_a_sessions_minutes_hold_units_approvals_opinions_decisions_and_follow_ups(
        mini_plan, projects, olive, abe, nrb):
    reviewed = accepted(projects["plant"], "land-preexam", nrb, D(2023, 3, 1))
    session = record_session(kind="joint", title="2023年第一次重大项目联评联审会", held_on=D(2023, 3, 8),
                             convened_by=Unit.objects.get(key="drc"), units=[], approvals=[reviewed],
                             decisions="同意实行并联审批,5个工作日内办结。", actor=olive)
    reviewed.refresh_from_db()
    assert reviewed.parallel
    assert nrb in session.units.all()  # the approving unit of a reviewed approval takes part
    add_opinion(session, nrb, "原则同意,请补充用地红线图。", project=projects["plant"], actor=abe)
    add_follow_up(session, "补充用地红线图", Unit.objects.get(key="county-a"), D(2023, 3, 20), actor=olive)
    document = Document(io.BytesIO(minutes_docx(session)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "2023年第一次重大项目联评联审会会议纪要" in text
    assert "2023年3月8日" in text and "市自然资源局" in text
    assert "原则同意,请补充用地红线图。" in text and "同意实行并联审批" in text
    assert projects["plant"].name in cells and "用地预审与选址意见书" in cells
    assert "补充用地红线图" in cells and "2023年3月20日" in cells
    response = client_for(abe).get(f"/approvals/sessions/{session.pk}/minutes.docx")
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_only_the_office_or_the_convener_records_a_session(mini_plan, projects, oscar, nrb):
    from touzi.lib.errors import Forbidden

    reviewed = approval(projects["plant"], "land-preexam", nrb)
    with pytest.raises(Forbidden):
        record_session(kind="joint", title="会", held_on=D(2023, 3, 8), convened_by=Unit.objects.get(key="drc"),
                       units=[], approvals=[reviewed], actor=oscar)
