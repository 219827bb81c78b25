"""Generating a briefing from the web is a background job: the list shows its progress and outcome, and a
generation that fails leaves no briefing, no audit record of one and no document file, and says why."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from touzi.audit.models import AuditRecord
from touzi.briefings.models import BriefingRecord
from touzi.briefings.render import RenderError
from touzi.briefings.services import stored_path
from touzi.briefings.tests.test_briefing import ledger  # noqa: F401  (the fixture)
from touzi.core.models import BackgroundJob, JobKind, JobStatus
from touzi.testing import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def inline_jobs(settings):
    settings.JOBS_BACKEND = "inline"


def _files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "briefings"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _briefing_audits() -> int:
    return AuditRecord.objects.filter(object_type="briefings.briefingrecord").count()


def test_a_generation_started_on_the_list_runs_as_a_job_and_ends_with_the_draft_and_its_documents(
    ledger, olive, mini_plan  # noqa: F811
) -> None:
    client = client_for(olive)
    response = client.post(reverse("briefing-generate"), {"month": "2021-06"})
    job = BackgroundJob.objects.get(kind=JobKind.BRIEFING)
    assert job.status == JobStatus.DONE, job.message
    item = BriefingRecord.objects.get(pk=job.result_id)
    assert response.status_code == 302 and response["Location"] == reverse("briefing-detail", args=[item.pk])
    assert job.user == olive and job.params["month"] == "2021-06-01" and "第1版草稿" in job.message
    assert AuditRecord.objects.filter(object_type="briefings.briefingrecord", object_id=str(item.pk)).count() == 1
    assert {p.suffix for p in _files()} == {".docx", ".xlsx", ".pdf"}
    pdf = client.get(reverse("briefing-file", args=[item.pk, "pdf"]))
    assert pdf.content == stored_path(item, "pdf").read_bytes() and pdf.content.startswith(b"%PDF")
    page = client.get(reverse("briefing-list")).content.decode()
    assert "生成任务" in page and "已完成" in page and reverse("briefing-detail", args=[item.pk]) in page
    progress = client.get(reverse("job-progress", args=[job.pk])).json()
    assert progress["finished"] and progress["url"] == reverse("briefing-detail", args=[item.pk])


def test_a_generation_whose_pdf_fails_leaves_no_briefing_and_no_file_and_the_list_says_why(
    ledger, olive, mini_plan, monkeypatch  # noqa: F811
) -> None:
    def broken(docx: bytes, **kwargs: object) -> bytes:
        raise RenderError("LibreOffice 转换超时")

    monkeypatch.setattr("touzi.briefings.render.render_pdf", broken)
    client = client_for(olive)
    response = client.post(reverse("briefing-generate"), {"month": "2021-06"}, follow=True)
    job = BackgroundJob.objects.get(kind=JobKind.BRIEFING)
    assert job.status == JobStatus.FAILED
    assert job.message == "通报生成失败,未保存任何内容:LibreOffice 转换超时"
    assert not BriefingRecord.objects.exists() and _briefing_audits() == 0 and _files() == []
    assert "LibreOffice 转换超时" in response.content.decode()
    assert "失败" in client.get(reverse("briefing-list")).content.decode()


def test_a_generation_that_fails_while_saving_removes_the_documents_it_had_written(
    ledger, olive, mini_plan, monkeypatch  # noqa: F811
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("touzi.briefings.services.background.done", crash)
    client_for(olive).post(reverse("briefing-generate"), {"month": "2021-06"})
    job = BackgroundJob.objects.get(kind=JobKind.BRIEFING)
    assert job.status == JobStatus.FAILED and "RuntimeError" in job.message and "未保存任何内容" in job.message
    assert not BriefingRecord.objects.exists() and _briefing_audits() == 0 and _files() == []


def test_a_regenerated_draft_that_fails_keeps_the_previous_draft_as_it_was(
    ledger, olive, mini_plan, monkeypatch  # noqa: F811
) -> None:
    from touzi.briefings.services import generate

    draft = generate(mini_plan, dt.date(2021, 6, 1), actor=olive)
    draft.refresh_from_db()
    before = (draft.content, _briefing_audits())
    monkeypatch.setattr("touzi.briefings.render.render_pdf", lambda docx, **kw: (_ for _ in ()).throw(
        RenderError("未找到 LibreOffice")))
    client_for(olive).post(reverse("briefing-generate"), {"month": "2021-06"})
    draft.refresh_from_db()
    assert (draft.content, _briefing_audits()) == before and BriefingRecord.objects.count() == 1


def test_a_queued_generation_shows_its_progress_and_is_not_started_twice(ledger, olive, mini_plan) -> None:  # noqa: F811
    job = BackgroundJob.objects.create(kind=JobKind.BRIEFING, user=olive,
                                       params={"plan": mini_plan.pk, "month": "2021-06-01"})
    client = client_for(olive)
    client.post(reverse("briefing-generate"), {"month": "2021-06"})
    assert BackgroundJob.objects.count() == 1 and not BriefingRecord.objects.exists()
    page = client.get(reverse("briefing-list")).content.decode()
    assert reverse("job-progress", args=[job.pk]) in page and "touzi/job-progress.js" in page and "排队中" in page
    assert client.get(reverse("job-progress", args=[job.pk])).json()["finished"] is False


def test_a_job_is_seen_only_by_whoever_started_it(ledger, olive, aaron, sam, mini_plan) -> None:  # noqa: F811
    job = BackgroundJob.objects.create(kind=JobKind.BRIEFING, user=olive, params={"plan": mini_plan.pk})
    url = reverse("job-progress", args=[job.pk])
    assert client_for(None).get(url).status_code == 302
    assert client_for(aaron).get(url).status_code == 404
    assert client_for(sam).get(url).status_code == 404
    assert client_for(olive).get(url).status_code == 200


def test_a_job_delivered_twice_generates_once(ledger, olive, mini_plan) -> None:  # noqa: F811
    from touzi.briefings.services import _generate_job

    client_for(olive).post(reverse("briefing-generate"), {"month": "2021-06"})
    job = BackgroundJob.objects.get()
    _generate_job(job.pk, None, "")
    assert BriefingRecord.objects.count() == 1 and _briefing_audits() == 1
