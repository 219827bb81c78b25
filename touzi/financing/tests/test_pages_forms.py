"""The forms of the acts that had only a service: posting each performs the act, audited; a wrong user is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from touzi.audit.models import AuditRecord
from touzi.financing.models import Commissioner, FinancingEvent, PPPProject
from touzi.financing.services import keep_ppp
from touzi.financing.tests.helpers import TEST, W
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db


def test_the_office_records_an_event_with_projects_and_banks(client, olive, aaron, banker, projects) -> None:
    bank = Unit.objects.get(key="bank-a")
    data = {"name": "2023年政金企对接会", "kind": "matchmaking", "held_on": "2023-03-10", "place": "北海",
            "projects": [projects["plant"].pk], "banks": [bank.pk], "intentions": "3",
            "intention_amount": "12000", "outcome": "两个项目已授信"}
    client.force_login(aaron)
    assert client.post(reverse("financing-event-new"), data).status_code == 403
    assert not FinancingEvent.objects.exists()
    client.force_login(olive)
    assert client.get(reverse("financing-events")).content.decode().count(reverse("financing-event-new")) == 1
    response = client.post(reverse("financing-event-new"), data)
    assert response.status_code == 302
    event = FinancingEvent.objects.get()
    assert (event.intentions, event.intention_amount, list(event.banks.all()), list(event.projects.all())) == (
        3, W(12000), [bank], [projects["plant"]])
    assert AuditRecord.objects.filter(actor=olive, object_type="financing.financingevent").exists()


def test_the_office_appoints_a_commissioner_and_a_bank_may_not(client, olive, banker, projects) -> None:
    county = Unit.objects.get(key="county-a")
    data = {"user": banker.pk, "county": county.pk}
    client.force_login(banker)
    assert client.post(reverse("financing-commissioner-new"), data).status_code == 403
    client.force_login(olive)
    assert client.post(reverse("financing-commissioner-new"), {"user": banker.pk}).status_code == 200  # no county
    assert not Commissioner.objects.exists()
    assert client.post(reverse("financing-commissioner-new"), data).status_code == 302
    assert Commissioner.objects.get().county == county
    assert AuditRecord.objects.filter(actor=olive, object_type="financing.commissioner").exists()


def test_the_project_keeper_enters_ppp_and_moves_it_through_the_joint_review(client, aaron, bella, projects) -> None:
    plant = projects["plant"]
    url = reverse("financing-ppp-keep", args=[plant.pk])
    data = {"stage": "prepare", "added_year": "2022", "investment": "9000", "annual_fiscal": "300",
            "term_years": "20"}
    client.force_login(bella)
    assert client.post(url, data).status_code in (403, 404)
    client.force_login(aaron)
    assert client.post(url, data).status_code == 302
    assert PPPProject.objects.get(project=plant).stage == "prepare"
    page = client.post(url, {**data, "stage": "procure"})  # 采购 needs the joint review
    assert page.status_code == 200 and "进入采购前须经联审" in page.content.decode()
    assert client.post(url, {**data, "stage": "procure", "joint_review_on": "2022-05-01",
                             "joint_review_result": "通过"}).status_code == 302
    found = PPPProject.objects.get(project=plant)
    assert (found.stage, str(found.joint_review_on)) == ("procure", "2022-05-01")
    assert AuditRecord.objects.filter(actor=aaron, object_type="financing.pppproject").count() == 2
    assert reverse("financing-ppp-keep", args=[plant.pk]) in client.get(
        reverse("financing-project", args=[plant.pk])).content.decode()


def test_a_ppp_project_cannot_go_back(client, aaron, projects) -> None:
    plant = projects["plant"]
    keep_ppp(plant, added_year=2022, investment=W(9000), annual_fiscal=W(300), stage="execute",
             joint_review_on=dt.date(2022, 5, 1), actor=TEST)
    client.force_login(aaron)
    page = client.post(reverse("financing-ppp-keep", args=[plant.pk]), {
        "stage": "identify", "added_year": "2022", "investment": "9000", "annual_fiscal": "300", "term_years": "20"})
    assert page.status_code == 200
    assert PPPProject.objects.get(project=plant).stage == "execute"


def test_posting_money_shows_the_refusal_and_saves_nothing_or_confirms_what_was_saved(client, aaron, projects) -> None:
    from django.contrib.messages import get_messages

    from touzi.financing.models import FundsArrival, SecuredFunds

    plant = projects["plant"]
    client.force_login(aaron)  # the messages are not shown between posts, so each post's is the last one
    back = reverse("financing-project", args=[plant.pk])
    response = client.post(reverse("financing-arrival-new", args=[plant.pk]),
                           {"source": "bank_loans", "month": "2023-13", "amount": "100"})
    assert response.status_code == 302 and response.url == back
    assert [str(m) for m in get_messages(response.wsgi_request)][-1:] == ["报告期应为 YYYY-MM,例如 2023-03"]
    assert not FundsArrival.objects.exists()
    response = client.post(reverse("financing-secured", args=[plant.pk]),
                           {"source": "bank_loans", "year": "2023", "amount": "abc"})
    assert [str(m) for m in get_messages(response.wsgi_request)][-1:] == ["请填写数字"]
    assert not SecuredFunds.objects.exists()
    response = client.post(reverse("financing-secured", args=[plant.pk]),
                           {"source": "bank_loans", "year": "2023", "amount": "1200"})
    assert [str(m) for m in get_messages(response.wsgi_request)][-1:] == ["已落实资金已保存"]
    assert SecuredFunds.objects.get(project=plant).amount == W(1200)
    response = client.post(reverse("financing-arrival-new", args=[plant.pk]),
                           {"source": "bank_loans", "month": "2023-03", "amount": "100"})
    assert [str(m) for m in get_messages(response.wsgi_request)][-1:] == ["到位资金已报送"]
    assert FundsArrival.objects.get(project=plant).month == dt.date(2023, 3, 1)
