"""In a real browser: the office raises a task from a warning, the county answers, the office verifies."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from touzi.testing import PASSWORD, new_project
from touzi.testing_browser import browser_page, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_raise_from_a_warning_answer_and_verify(live_server, owners, olive, aaron) -> None:
    from touzi.supervision.models import SupervisionTask

    new_project("甲县久未开工项目", county="county-a", owner="owner-a", stage="reserve", lead=None,
                planned_start=dt.date(2023, 1, 1))
    with browser_page() as page:
        sign_in(page, live_server.url, "olive", PASSWORD)
        page.goto(f"{live_server.url}/monitoring/warnings/?month=2023-06&kind=start_late")
        page.click("tr[data-kind='start_late'] a.raise-task")
        # the form is prefilled: the requirement and a 15-day deadline in ISO form, both editable before issuing
        assert page.input_value("#id_deadline") == (timezone.localdate() + dt.timedelta(days=15)).isoformat()
        page.fill("#id_required_action", "6月底前完成用地报批")
        page.fill("#id_deadline", "2030-01-31")
        page.click("form.form-grid button[type=submit]")
        assert page.locator("#task-status").inner_text() == "已下发"
        task_url = page.url
        page.goto(f"{live_server.url}/monitoring/warnings/?month=2023-06&kind=start_late")
        assert page.locator("tr[data-kind='start_late'] a.supervised").inner_text() == "已督办"
        page.goto(task_url)
        page.click("header form.inline button")

        sign_in(page, live_server.url, "aaron", PASSWORD)
        page.goto(f"{live_server.url}/supervision/todo/")
        assert "甲县久未开工项目" in page.locator("#todo").inner_text()
        page.goto(task_url)
        page.fill("#id_rectification", "已完成用地报批,计划7月开工")
        page.click("#answer-form button[type=submit]")
        assert page.locator("#task-status").inner_text() == "已整改"
        page.click("header form.inline button")

        sign_in(page, live_server.url, "olive", PASSWORD)
        page.goto(task_url)
        page.click("#verify-form button[value=close]")
        assert page.locator("#task-status").inner_text() == "已核销"
    task = SupervisionTask.objects.get()
    assert task.status == "closed" and task.responsible_unit.key == "county-a"
