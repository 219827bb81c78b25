"""Warnings on agreements (节点逾期, 长期无到位资金, 长期停滞) on hand-made registers, and tasks raised from them."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.urls import reverse

from touzi.core.actor import System
from touzi.monitoring.warning_keys import warning_source_text
from touzi.promotion.choices import AgreementState, PromotionWarningKind
from touzi.promotion.services import advance, report_funds, terminate
from touzi.promotion.tests.helpers import TEST, D, arrive, sign
from touzi.promotion.warnings import agreement_alerts
from touzi.supervision.models import SupervisionTask
from touzi.testing import client_for

pytestmark = pytest.mark.django_db
LATE, NO_FUNDS, STALLED = (PromotionWarningKind.MILESTONE_LATE, PromotionWarningKind.NO_FUNDS,
                           PromotionWarningKind.STALLED)


def kinds(month, user=TEST, **extra):
    return {(a.project_name, a.kind): a for a in agreement_alerts(user, month, **extra)}


def test_an_overdue_milestone_is_warned_red_when_months_late(mini_plan) -> None:
    sign("未注册项目", due_registration=D(2022, 2, 1))  # start 2022-06-01, production 2022-12-01
    found = kinds(D(2022, 3, 1))
    alert = found[("未注册项目", LATE)]
    assert alert.level == "yellow" and "约定注册日期 2022-02-01 已过仍未注册" in alert.reason
    alert = kinds(D(2022, 7, 1))[("未注册项目", LATE)]
    assert alert.level == "red" and "开工" in alert.reason and alert.unit and alert.county


def test_a_milestone_reached_on_time_or_not_yet_due_is_no_warning(mini_plan, projects) -> None:
    kept = sign("准时项目", due_registration=D(2022, 2, 1))
    advance(kept, AgreementState.STARTED, D(2022, 5, 20), project=projects["plant"], actor=System("test"))
    sign("未到期项目", start=D(2023, 6, 1), production=D(2024, 6, 1))
    found = kinds(D(2022, 7, 1))
    assert ("准时项目", LATE) not in found and ("未到期项目", LATE) not in found


def test_a_milestone_reached_after_the_month_was_still_overdue_in_that_month(mini_plan, projects) -> None:
    late = sign("迟开工项目")
    advance(late, AgreementState.STARTED, D(2022, 8, 1), project=projects["plant"], actor=System("test"))
    assert ("迟开工项目", LATE) in kinds(D(2022, 7, 1))
    assert ("迟开工项目", LATE) not in kinds(D(2022, 8, 1))


def test_no_funds_n_months_after_signing_is_warned_until_accepted_funds_arrive(mini_plan) -> None:
    dry = sign("无资金项目", signed=D(2022, 1, 10), start=D(2023, 1, 1), production=D(2023, 12, 1))
    assert ("无资金项目", NO_FUNDS) not in kinds(D(2022, 6, 1))  # five months
    assert kinds(D(2022, 7, 1))[("无资金项目", NO_FUNDS)].level == "yellow"
    assert kinds(D(2023, 1, 1))[("无资金项目", NO_FUNDS)].level == "red"
    report_funds(dry, D(2022, 3, 1), domestic=Decimal("100"), actor=System("test"))  # not yet accepted: not counted
    assert ("无资金项目", NO_FUNDS) in kinds(D(2022, 7, 1))
    paid = sign("有资金项目", signed=D(2022, 1, 10), start=D(2023, 1, 1), production=D(2023, 12, 1))
    arrive(paid, D(2022, 3, 1), domestic="100")
    assert ("有资金项目", NO_FUNDS) not in kinds(D(2022, 7, 1))
    # Funds in US$ count as well.
    usd = sign("外资项目", signed=D(2022, 1, 10), start=D(2023, 1, 1), production=D(2023, 12, 1), amount="",
               currency="USD", agreed_usd=Decimal("100"), exchange_rate=Decimal("6.5"))
    arrive(usd, D(2022, 5, 1), usd="10", exchange_rate=Decimal("6.4"))
    assert ("外资项目", NO_FUNDS) not in kinds(D(2022, 7, 1))


def test_an_agreement_stalled_in_one_state_is_warned_and_a_terminated_one_is_not(mini_plan) -> None:
    sign("停滞项目", signed=D(2022, 1, 10), start=D(2024, 1, 1), production=D(2024, 12, 1))
    gone = sign("终止项目", signed=D(2022, 1, 10), start=D(2024, 1, 1), production=D(2024, 12, 1))
    terminate(gone, D(2022, 2, 1), "投资方撤资", actor=System("test"))
    assert ("停滞项目", STALLED) not in kinds(D(2022, 12, 1))  # eleven months
    alert = kinds(D(2023, 1, 1))[("停滞项目", STALLED)]
    assert alert.level == "yellow" and "「签约」" in alert.reason
    assert kinds(D(2024, 1, 1))[("停滞项目", STALLED)].level == "red"
    assert not [k for k in kinds(D(2024, 1, 1)) if k[0] == "终止项目"]


def test_warnings_follow_the_users_scope(mini_plan, aaron, bella, olive) -> None:
    sign("甲县项目", due_registration=D(2022, 2, 1))
    assert kinds(D(2022, 7, 1), aaron) and kinds(D(2022, 7, 1), olive, plan=mini_plan)
    assert not kinds(D(2022, 7, 1), bella)


def test_the_warnings_page_lists_them_and_a_task_is_raised_from_one(mini_plan, olive) -> None:
    agreement = sign("久未注册项目", due_registration=D(2022, 2, 1))
    key = f"{LATE}:{agreement.pk}:2022-07"
    client = client_for(olive)
    html = client.get(reverse("monitoring-warnings") + "?month=2022-07").content.decode()
    assert f'?warning={quote(key, safe="/")}"' in html and "招商签约项目预警" in html
    response = client.post(reverse("supervision-from-warning"), {"warning": key})
    task = SupervisionTask.objects.get()
    assert response.status_code == 302 and task.warning_key == key and task.project is None
    assert task.responsible_unit.key == "county-a" and "久未注册项目" in task.problem
    assert "签约项目合同节点逾期" in warning_source_text(key)
    # Raising it twice is refused while the first is open.
    client.post(reverse("supervision-from-warning"), {"warning": key})
    assert SupervisionTask.objects.count() == 1
    html = client.get(reverse("monitoring-warnings") + "?month=2022-07").content.decode()
    assert reverse("supervision-detail", args=[task.pk]) in html  # the warning now reads 已督办


def test_the_command_lists_the_months_warnings_as_json(mini_plan) -> None:
    agreement = sign("命令行项目", due_registration=D(2022, 2, 1))
    out = StringIO()
    call_command("promotion", "warnings", "--period", "2022-07", "--format", "json", stdout=out)
    payload = json.loads(out.getvalue())
    keys = {w["key"] for w in payload["warnings"]}
    assert f"{LATE}:{agreement.pk}:2022-07" in keys and f"{NO_FUNDS}:{agreement.pk}:2022-07" in keys
    assert all(w["url"] == f"/promotion/{agreement.pk}/" for w in payload["warnings"])


def test_the_supervision_command_raises_tasks_from_red_agreement_warnings(mini_plan, olive) -> None:
    sign("红色预警项目", due_registration=D(2022, 2, 1))
    call_command("supervision", "raise-red", "--period", "2022-07", "--plan", mini_plan.key,
                 stdout=StringIO())
    assert SupervisionTask.objects.filter(warning_key__startswith=f"{LATE}:").count() == 1
