"""The system administrator starts a backup from the web: a background job writing the archive into
TOUZI_BACKUP_DIR, audited when started, finished and failed; a failed one leaves no file and says why."""

from __future__ import annotations

import pytest
from django.urls import reverse

from touzi.audit.choices import Event
from touzi.audit.models import AuditRecord
from touzi.core.models import BackgroundJob, JobKind, JobStatus
from touzi.testing import client_for

pytestmark = pytest.mark.django_db(transaction=True)  # the database dump refuses to run inside a transaction


@pytest.fixture(autouse=True)
def backup_dir(settings, tmp_path):
    settings.JOBS_BACKEND = "inline"
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings.BACKUP_DIR


def _audits() -> list[tuple[bool, str]]:
    return [(a.success, a.message) for a in AuditRecord.objects.filter(event=Event.BACKUP).order_by("pk")]


def test_a_backup_started_on_the_page_is_written_listed_with_its_manifest_and_audited(sam, backup_dir) -> None:
    client = client_for(sam)
    response = client.post(reverse("backup-start"), follow=True)
    job = BackgroundJob.objects.get(kind=JobKind.BACKUP)
    assert job.status == JobStatus.DONE, job.message
    files = list(backup_dir.iterdir())
    assert [f.name for f in files] == [job.result_name] and job.result_name.endswith(".tar.gz")
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"
    page = response.content.decode()
    assert job.result_name in page and "已备份到" in page and "accounts_user" in page
    assert "不能通过网页下载" in page and "touzi restore" in page
    assert _audits() == [(True, "开始备份"), (True, "备份完成")]
    assert AuditRecord.objects.filter(event=Event.BACKUP).order_by("pk").last().after["status"] == JobStatus.DONE


def test_a_backup_whose_archive_cannot_be_written_leaves_no_file_and_the_page_says_why(
    sam, backup_dir, monkeypatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("touzi.backup.archive._add_bytes", full)
    response = client_for(sam).post(reverse("backup-start"), follow=True)
    job = BackgroundJob.objects.get(kind=JobKind.BACKUP)
    assert job.status == JobStatus.FAILED
    assert job.message.startswith("备份失败,未留下备份文件:") and "No space left on device" in job.message
    assert list(backup_dir.iterdir()) == []  # neither the archive nor its .part
    page = response.content.decode()
    assert "No space left on device" in page and "备份目录中还没有备份" in page
    assert _audits() == [(True, "开始备份"), (False, job.message)]


def test_a_second_backup_is_refused_while_one_is_under_way(sam) -> None:
    BackgroundJob.objects.create(kind=JobKind.BACKUP, user=sam, params={"file": "touzi-x.tar.gz"})
    response = client_for(sam).post(reverse("backup-start"), follow=True)
    assert "已有备份正在进行" in response.content.decode()
    assert BackgroundJob.objects.count() == 1 and _audits() == []


def test_a_backup_abandoned_by_a_dead_worker_stops_blocking_after_the_stale_limit(sam, settings) -> None:
    import datetime as dt

    from django.utils import timezone

    settings.JOB_STALE_MINUTES = 30
    stale = BackgroundJob.objects.create(kind=JobKind.BACKUP, user=sam, status=JobStatus.RUNNING,
                                         params={"file": "touzi-old.tar.gz"})
    BackgroundJob.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(minutes=31))
    response = client_for(sam).post(reverse("backup-start"), follow=True)
    assert "已有备份正在进行" not in response.content.decode()
    stale.refresh_from_db()
    assert stale.status == JobStatus.FAILED and "视为中断" in stale.message
    assert BackgroundJob.objects.filter(kind=JobKind.BACKUP).count() == 2


def test_an_unreadable_archive_is_listed_with_why(sam, backup_dir) -> None:
    backup_dir.mkdir()
    (backup_dir / "broken.tar.gz").write_bytes(b"not an archive")
    page = client_for(sam).get(reverse("backup-list")).content.decode()
    assert "broken.tar.gz" in page and "无法读取清单" in page


def test_only_the_system_administrator_uses_the_backup_page(sam, olive, ada, secadmin) -> None:
    for name, method in (("backup-list", "get"), ("backup-start", "post")):
        url = reverse(name)
        assert getattr(client_for(None), method)(url).status_code == 302
        for other in (olive, ada, secadmin):
            assert getattr(client_for(other), method)(url).status_code == 403
    assert not BackgroundJob.objects.exists()
    assert client_for(sam).get(reverse("backup-list")).status_code == 200


def test_a_backup_job_is_seen_by_every_system_administrator_and_nobody_else(sam, olive) -> None:
    from touzi.accounts.choices import Role
    from touzi.testing import make_user

    job = BackgroundJob.objects.create(kind=JobKind.BACKUP, user=sam, params={"file": "touzi-x.tar.gz"})
    url = reverse("job-progress", args=[job.pk])
    assert client_for(make_user("sam2", Role.SYSTEM_ADMIN)).get(url).status_code == 200
    assert client_for(olive).get(url).status_code == 404
