"""Issue #12 (5): report, supervision and indicator evidence go through one check, are stored under a generated
name, served as the type detected from their content (never the uploader's name), and a PDF with active content
is shown to the reviewer with its flag, where spikes are shown."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from touzi.indicators.models import IndicatorValue
from touzi.indicators.services import enter_value
from touzi.lib.errors import BusinessError
from touzi.lib.tests.evidence_files import pdf as make_pdf
from touzi.lib.tests.evidence_files import png
from touzi.reports.choices import Flag
from touzi.reports.services import add_evidence, report_month
from touzi.supervision.models import SupervisionTask
from touzi.supervision.services import answer, raise_task
from touzi.testing import client_for
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db
MAR = dt.date(2023, 3, 1)
SCRIPTED = make_pdf(b"<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>")


def _served_as_detected(response, name: str) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"  # the name said text/html
    assert response["Content-Disposition"].startswith("attachment") and name in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def task(projects, olive, mini_plan) -> SupervisionTask:
    return raise_task(mini_plan, problem="投资滞后", required_action="加快建设", project=projects["plant"],
                      responsible_unit=Unit.objects.get(key="industry"),
                      deadline=timezone.localdate() + dt.timedelta(days=10), actor=olive)


def test_report_evidence_named_html_is_stored_and_served_as_the_png_it_is(projects, oscar) -> None:
    report = report_month(projects["plant"], MAR, Decimal("10"), actor=oscar)
    item = add_evidence(report, SimpleUploadedFile("evil.html", png()), actor=oscar)
    assert item.file.name.endswith(".png") and "evil" not in item.file.name and item.original_name == "evil.html"
    _served_as_detected(client_for(oscar).get(reverse("evidence-download", args=[item.pk])), "evil.png")


def test_supervision_evidence_is_served_as_its_detected_type(task, ian, olive) -> None:
    answer(task, "已整改", evidence=SimpleUploadedFile("evil.html", png()), actor=ian)
    task.refresh_from_db()
    assert task.evidence_type == "image/png" and task.evidence.name.endswith(".png")
    _served_as_detected(client_for(olive).get(reverse("supervision-evidence", args=[task.pk])), "evil.png")


def test_indicator_evidence_is_served_as_its_detected_type(mini_plan, stan) -> None:
    growth = mini_plan.indicators.get(key="fai-growth")
    item = enter_value(growth, MAR, Decimal("6.5"), source="统计快报", actor=stan,
                       evidence=SimpleUploadedFile("evil.html", png()))
    assert item.evidence_type == "image/png"
    _served_as_detected(client_for(stan).get(reverse("indicator-evidence", args=[item.pk])), "evil.png")


def test_a_polyglot_is_refused_by_all_three_and_nothing_is_stored(projects, oscar, task, ian, mini_plan, stan) -> None:
    polyglot = png() + b"<html><script>alert(1)</script></html>"
    report = report_month(projects["plant"], MAR, Decimal("10"), actor=oscar)
    with pytest.raises(BusinessError, match="结束后还附有其他数据"):
        add_evidence(report, SimpleUploadedFile("a.png", polyglot), actor=oscar)
    with pytest.raises(BusinessError, match="结束后还附有其他数据"):
        answer(task, "已整改", evidence=SimpleUploadedFile("a.png", polyglot), actor=ian)
    with pytest.raises(BusinessError, match="结束后还附有其他数据"):
        enter_value(mini_plan.indicators.get(key="fai-growth"), MAR, Decimal("1"), source="x", actor=stan,
                    evidence=SimpleUploadedFile("a.png", polyglot))
    assert not report.evidence.exists()


def test_a_scripted_pdf_is_flagged_on_the_report_for_the_reviewer_and_stays_flagged(projects, oscar, stan) -> None:
    report = report_month(projects["plant"], MAR, Decimal("10"), actor=oscar)
    item = add_evidence(report, SimpleUploadedFile("说明.pdf", SCRIPTED), actor=oscar)
    assert item.flags == ["JavaScript", "OpenAction"]
    report.refresh_from_db()
    assert Flag.EVIDENCE in report.flags
    detail = client_for(stan).get(reverse("report-detail", args=[report.pk])).content.decode()
    assert "佐证材料含有脚本、自动动作或未能检查的内容" in detail and "JavaScript、OpenAction" in detail
    queue = client_for(stan).get(reverse("report-list"), {"review": "1"}).content.decode()
    assert "佐证材料含有脚本、自动动作或未能检查的内容" in queue
    corrected = report_month(projects["plant"], MAR, Decimal("11"), actor=oscar)  # a correction keeps it
    assert Flag.EVIDENCE in corrected.flags


def test_a_scripted_pdf_is_flagged_where_the_office_verifies_the_rectification(task, ian, olive) -> None:
    answer(task, "已整改", evidence=SimpleUploadedFile("整改.pdf", SCRIPTED), actor=ian)
    page = client_for(olive).get(reverse("supervision-detail", args=[task.pk])).content.decode()
    assert "evidence-flag" in page and "JavaScript、OpenAction" in page


def test_a_scripted_pdf_is_flagged_beside_the_indicator_value(mini_plan, stan) -> None:
    growth = mini_plan.indicators.get(key="fai-growth")
    enter_value(growth, MAR, Decimal("6.5"), source="统计快报", actor=stan,
                evidence=SimpleUploadedFile("快报.pdf", SCRIPTED))
    page = client_for(stan).get(reverse("indicator-detail", args=[growth.pk])).content.decode()
    assert "evidence-flag" in page and "JavaScript、OpenAction" in page


@pytest.mark.parametrize(("app", "module"), [("supervision", "touzi.supervision.migrations.0002_evidence_type"),
                                             ("indicators", "touzi.indicators.migrations.0002_evidence_type")])
def test_files_stored_before_the_type_was_kept_get_it_by_detection(app, module, task, mini_plan, stan) -> None:
    if app == "supervision":
        row = task
    else:
        row = IndicatorValue.objects.create(indicator=mini_plan.indicators.get(key="fai-growth"), month=MAR,
                                            value=Decimal("1"), source="x")
    row.evidence.save("legacy.html", ContentFile(png()), save=False)
    row.evidence_name = "legacy.html"
    row.save()
    type(row).objects.filter(pk=row.pk).update(evidence_type="")
    importlib.import_module(module).fill_types(apps, None)
    row.refresh_from_db()
    assert row.evidence_type == "image/png"
