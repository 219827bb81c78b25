"""In a real browser: an approving unit accepts and decides everything in its queue until it is empty."""

from __future__ import annotations

import os

import pytest
from django.utils import timezone

from touzi.testing import PASSWORD
from touzi.testing_browser import browser_page, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_approving_unit_clears_its_queue(live_server, projects, oscar, abe) -> None:
    from touzi.approvals.models import Approval
    from touzi.approvals.services import submit
    from touzi.approvals.tests.conftest import approval
    from touzi.units.models import Unit

    nrb = Unit.objects.get(key="nrb")
    today = timezone.localdate()
    for key in ("land-preexam", "land-planning"):
        submit(approval(projects["plant"], key, nrb), today, actor=oscar)
    with browser_page() as page:
        sign_in(page, live_server.url, "abe", PASSWORD)
        page.goto(f"{live_server.url}/approvals/queue/")
        assert page.locator("#unit-queue tbody tr[data-approval]").count() == 2
        for number in ("北自然资预〔2026〕1号", "北自然资规〔2026〕2号"):
            page.locator("#unit-queue tbody tr[data-approval] button[value=accept]").first.click()
            row = page.locator("#unit-queue tbody tr[data-approval]").filter(has=page.locator("form.decide")).first
            row.locator("input[name=document_number]").fill(number)
            row.locator("button[value=decide]").click()
        assert "没有待办的审批事项" in page.locator("#unit-queue").inner_text()
    done = Approval.objects.filter(state="done")
    assert done.count() == 2 and {a.approving_unit_id for a in done} == {nrb.pk}
    assert all(a.document_number and a.due_on and a.working_days == 0 for a in done)
