"""督办: the state machine, who may move it, notifications, overdue counts, and the web, API and command paths."""

from __future__ import annotations

import datetime as dt
import io
import json
from urllib.parse import quote

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from touzi.audit.models import AuditRecord
from touzi.lib.errors import AlreadyExists, BusinessError, Forbidden
from touzi.supervision.choices import TaskStatus
from touzi.supervision.models import Notification, SupervisionTask
from touzi.supervision.selectors import overdue_by_unit, to_do, visible_tasks
from touzi.supervision.services import answer, close, raise_task, remind_overdue, send_back, start
from touzi.testing import client_for, new_project
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db
SOON = timezone.localdate() + dt.timedelta(days=10)


@pytest.fixture
def task(projects, olive, mini_plan):
    return raise_task(mini_plan, problem="投资滞后", required_action="加快建设", project=projects["plant"],
                      responsible_unit=Unit.objects.get(key="industry"), deadline=SOON, warning_key="k:1:2023-06",
                      actor=olive)


def test_the_full_cycle_with_a_return(task, ian, olive) -> None:
    assert task.status == TaskStatus.ISSUED
    start(task, actor=ian)
    answer(task, "已完成设备采购", actor=ian)
    send_back(task, "缺少佐证", actor=olive)
    task.refresh_from_db()
    assert task.status == TaskStatus.RETURNED and task.return_reason == "缺少佐证"
    answer(task, "补充发票", actor=ian)
    close(task, actor=olive)
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED and task.closed_at is not None
    moves = list(AuditRecord.objects.filter(object_type="supervision.supervisiontask", event="update")
                 .order_by("id").values_list("after__status", flat=True))
    assert moves == ["rectifying", "rectified", "returned", "rectified", "closed"]


def test_moves_outside_the_state_machine_are_refused(task, ian, olive) -> None:
    with pytest.raises(BusinessError, match="不能从"):
        close(task, actor=olive)
    answer(task, "完成", actor=ian)
    with pytest.raises(BusinessError, match="不能从"):
        start(task, actor=ian)


def test_only_the_office_raises_and_verifies_and_only_the_unit_answers(task, ian, aaron, oscar, olive,
                                                                       mini_plan) -> None:
    with pytest.raises(Forbidden):
        raise_task(mini_plan, problem="x", required_action="y", responsible_unit=Unit.objects.get(key="drc"),
                   deadline=SOON, actor=aaron)
    for user in (aaron, oscar, olive):
        with pytest.raises(Forbidden):
            answer(task, "x", actor=user)
    answer(task, "完成", actor=ian)
    with pytest.raises(Forbidden):
        close(task, actor=ian)


def test_a_warning_is_raised_only_once_while_open(task, olive, mini_plan) -> None:
    with pytest.raises(AlreadyExists):
        raise_task(mini_plan, problem="again", required_action="y", responsible_unit=task.responsible_unit,
                   deadline=SOON, warning_key="k:1:2023-06", actor=olive)


def test_the_unit_is_notified_and_sees_it_in_its_to_do_list(task, ian, bella) -> None:
    assert Notification.objects.filter(unit__key="industry", task=task).count() == 1
    assert list(to_do(ian)) == [task]
    assert not to_do(bella).exists()


def test_e_mail_is_off_by_default_and_sent_when_switched_on(projects, olive, ian, mini_plan, settings,
                                                            django_capture_on_commit_callbacks) -> None:
    ian.email = "ian@example.gov.cn"
    ian.save()
    raise_task(mini_plan, problem="a", required_action="b", responsible_unit=ian.unit, deadline=SOON,
               actor=olive)
    assert not mail.outbox
    settings.SUPERVISION_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        raise_task(mini_plan, problem="c", required_action="d", responsible_unit=ian.unit, deadline=SOON,
                   actor=olive)
    assert [m.to for m in mail.outbox] == [["ian@example.gov.cn"]]


def test_overdue_tasks_are_counted_per_unit_and_reminded_once_a_day(task, olive) -> None:
    SupervisionTask.objects.filter(pk=task.pk).update(deadline=timezone.localdate() - dt.timedelta(days=2))
    task.refresh_from_db()
    assert task.is_overdue
    counts = overdue_by_unit(visible_tasks(olive))
    assert counts[0]["overdue"] == 1 and counts[0]["open"] == 1
    assert remind_overdue() == 1 and remind_overdue() == 0


def test_visibility_follows_the_unit_and_the_project(task, ian, aaron, bella) -> None:
    assert visible_tasks(ian).count() == 1  # the responsible unit
    assert visible_tasks(aaron).count() == 1  # the project is in county A
    assert visible_tasks(bella).count() == 0


def test_from_a_warning_the_office_edits_before_issuing_and_the_warning_then_reads_supervised(
        owners, olive, mini_plan) -> None:
    new_project("久未开工", county="county-a", owner="owner-a", stage="reserve", planned_start=dt.date(2023, 1, 1),
                lead="industry")
    from touzi.monitoring.alerts import alerts

    alert = next(a for a in alerts(olive, mini_plan, dt.date(2023, 6, 1)) if a.kind == "start_late")
    client = client_for(olive)
    html = client.get(reverse("monitoring-warnings") + "?month=2023-06").content.decode()
    # a link to the prefilled form, not a one-click POST
    link = reverse("supervision-new") + "?warning=" + quote(f"{alert.key}:2023-06", safe="/")
    assert f'href="{link}" class="raise-task"' in html
    form = client.get(link).content.decode()
    assert "已逾期" in form
    deadline = (timezone.localdate() + dt.timedelta(days=15)).isoformat()
    assert f'value="{deadline}"' in form  # ISO, as a date input takes it (not 2026/12/17)
    response = client.post(reverse("supervision-from-warning"), {"warning": f"{alert.key}:2023-06"})
    task = SupervisionTask.objects.get()
    assert response.status_code == 302 and task.responsible_unit.key == "industry"
    assert task.warning_key == f"{alert.key}:2023-06" and "已逾期" in task.problem
    html = client.get(reverse("monitoring-warnings") + "?month=2023-06").content.decode()
    assert reverse("supervision-detail", args=[task.pk]) in html and "已督办" in html


def test_pages_are_scoped(task, ian, bella, olive) -> None:
    assert client_for(ian).get(reverse("supervision-detail", args=[task.pk])).status_code == 200
    assert client_for(bella).get(reverse("supervision-detail", args=[task.pk])).status_code == 404
    assert client_for(None).get(reverse("supervision-list")).status_code == 302
    assert client_for(ian).get(reverse("supervision-new")).status_code == 403
    assert "投资滞后" in client_for(ian).get(reverse("supervision-todo")).content.decode()


def test_the_api(task, ian, olive, bella) -> None:
    url = f"/api/v1/supervision/{task.pk}"
    assert client_for(None).get(url).status_code == 401
    assert client_for(bella).get(url).status_code == 404
    body = json.dumps({"rectification": "已整改"})
    assert client_for(olive).post(url + "/answer", body, content_type="application/json").status_code == 403
    ok = client_for(ian).post(url + "/answer", body, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "rectified"
    assert client_for(olive).post(url + "/close", "{}", content_type="application/json").json()["status"] == "closed"


def test_the_command_lists_and_raises_red_warnings(owners, olive, mini_plan) -> None:
    new_project("久未开工", county="county-a", owner="owner-a", stage="reserve", planned_start=dt.date(2023, 1, 1))
    out = io.StringIO()
    call_command("supervision", "raise-red", "--period", "2023-06", "--plan", "mini", stdout=out)
    assert "已下发" in out.getvalue() and SupervisionTask.objects.count() >= 1
    again = io.StringIO()
    call_command("supervision", "raise-red", "--period", "2023-06", "--plan", "mini", stdout=again)
    assert "已下发 0 项" in again.getvalue()
    listing = io.StringIO()
    call_command("supervision", "list", "--format", "json", stdout=listing)
    assert json.loads(listing.getvalue())[0]["status"] == "issued"


def test_a_task_from_a_warning_goes_to_the_unit_the_warning_names(owners, olive, mini_plan, aaron, oscar) -> None:
    """A missing report names the owner: the task goes to the owner, not to the project's lead bureau."""
    from touzi.monitoring.alerts import alerts

    new_project("未报月报", county="county-a", owner="owner-a", lead="industry")
    june = dt.date(2023, 6, 1)
    alert = next(a for a in alerts(olive, mini_plan, june, today=dt.date(2023, 8, 1)) if a.kind == "report_missing")
    assert alert.unit == "甲公司"
    client_for(olive).post(reverse("supervision-from-warning"), {"warning": f"{alert.key}:2023-06"})
    task = SupervisionTask.objects.get()
    assert task.responsible_unit.key == "owner-a" and task.co_responsible_unit.key == "county-a"
    assert task in to_do(oscar) and task not in to_do(aaron)
    assert visible_tasks(aaron).filter(pk=task.pk).exists()  # the county sees it beside the owner


def test_a_bureaus_task_has_the_projects_county_beside_it_and_a_countys_has_none(owners, olive, mini_plan,
                                                                                 aaron) -> None:

    new_project("久未开工甲", county="county-a", owner="owner-a", stage="reserve", planned_start=dt.date(2023, 1, 1),
                lead="industry")
    new_project("久未开工乙", county="county-b", owner="owner-b", stage="reserve", planned_start=dt.date(2023, 1, 1),
                lead=None)
    call_command("supervision", "raise-red", "--period", "2023-06", "--plan", "mini", stdout=io.StringIO())
    by_project = {t.project.name: t for t in SupervisionTask.objects.select_related("project")}
    bureau, county = by_project["久未开工甲"], by_project["久未开工乙"]
    assert (bureau.responsible_unit.key, bureau.co_responsible_unit.key) == ("industry", "county-a")
    assert (county.responsible_unit.key, county.co_responsible_unit) == ("county-b", None)
    page = client_for(aaron).get(reverse("supervision-detail", args=[bureau.pk])).content.decode()
    assert "配合单位" in page


def test_a_task_names_its_source_warning_in_words_and_the_api_keeps_the_key(projects, olive, mini_plan) -> None:
    plant = projects["plant"]
    task = raise_task(mini_plan, problem="投资滞后", required_action="加快建设", project=plant,
                      responsible_unit=plant.county, deadline=SOON, warning_key=f"behind_plan:{plant.pk}:2023-12",
                      actor=olive)
    client = client_for(olive)
    html = client.get(reverse("supervision-detail", args=[task.pk])).content.decode()
    assert "2023年12月预警:投资进度滞后于年度计划" in html and "behind_plan:" not in html
    assert client.get(f"/api/v1/supervision/{task.pk}").json()["warning_key"] == f"behind_plan:{plant.pk}:2023-12"
    client.cookies["django_language"] = "en"
    assert "Warning of Dec 2023" in client.get(reverse("supervision-detail", args=[task.pk])).content.decode()
