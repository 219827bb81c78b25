"""Public consultation (征求意见): a 前期 project asks before its decision; opinions are limited, moderated and
never shown until approved; the owner answers; the summary is published with the decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from touzi.disclosure.choices import OpinionState
from touzi.disclosure.models import Opinion
from touzi.disclosure.services import moderate_opinion, open_consultation, publish_decision, submit_opinion
from touzi.lib.errors import BusinessError
from touzi.projects.models import Project
from touzi.testing import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(gov, oscar):
    plant = gov["plant"]
    Project.objects.filter(pk=plant.pk).update(stage="preliminary")
    plant.refresh_from_db()
    return open_consultation(plant, title="关于新材料工厂建设方案征求意见", question="请对选址和规模提出意见。",
                             deadline=timezone.localdate() + dt.timedelta(days=30), actor=oscar)


def test_only_a_preliminary_project_consults(gov, oscar) -> None:
    with pytest.raises(BusinessError, match="前期"):
        open_consultation(gov["plant"], title="t", question="q", deadline=dt.date(2030, 1, 1), actor=oscar)


def test_an_opinion_is_stored_for_moderation_and_shown_only_once_approved_with_the_answer(consultation, oscar) -> None:
    client = client_for(None)
    url = f"/open/consultations/{consultation.pk}/"
    response = client.post(url, {"text": "建议增加绿化带,减少对周边的影响。"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302 and "Set-Cookie" not in response.headers
    opinion = Opinion.objects.get()
    assert opinion.state == OpinionState.PENDING and "10.0.0.1" not in opinion.sender
    assert "建议增加绿化带" not in client.get(url).content.decode()
    moderate_opinion(opinion, True, answer="已在设计方案中增加绿化带。", actor=oscar)
    html = client.get(url).content.decode()
    assert "建议增加绿化带" in html and "已在设计方案中增加绿化带" in html


def test_a_rejected_opinion_is_never_shown_and_personal_data_cannot_be_approved(consultation, oscar) -> None:
    spam = submit_opinion(consultation, "广告:代办证件。", address="10.0.0.2")
    moderate_opinion(spam, False, actor=oscar)
    personal = submit_opinion(consultation, "请联系我13812345678", address="10.0.0.2")  # stored, not shown
    with pytest.raises(BusinessError, match="个人信息"):
        moderate_opinion(personal, True, actor=oscar)
    html = client_for(None).get(f"/open/consultations/{consultation.pk}/").content.decode()
    assert "代办证件" not in html and "13812345678" not in html


@override_settings(DISCLOSURE_OPINIONS_PER_HOUR=2, DISCLOSURE_OPINION_MAX_CHARS=100)
def test_opinions_are_limited_in_size_and_rate_per_address(consultation) -> None:
    with pytest.raises(BusinessError, match="不超过100字"):
        submit_opinion(consultation, "长" * 101, address="10.0.0.3")
    submit_opinion(consultation, "意见一", address="10.0.0.3")
    submit_opinion(consultation, "意见二", address="10.0.0.3")
    with pytest.raises(BusinessError, match="频繁"):
        submit_opinion(consultation, "意见三", address="10.0.0.3")
    submit_opinion(consultation, "另一个地址的意见", address="10.0.0.4")  # the limit is per address
    response = client_for(None).post(f"/open/consultations/{consultation.pk}/", {"text": "意见四"},
                                     REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 400 and "频繁" in response.content.decode()
    assert Opinion.objects.count() == 3


def test_the_decision_comes_after_the_deadline_with_every_opinion_moderated(consultation, oscar) -> None:
    opinion = submit_opinion(consultation, "支持尽快建设。", address="10.0.0.5")
    after = consultation.deadline + dt.timedelta(days=1)
    with pytest.raises(BusinessError, match="截止后"):
        publish_decision(consultation, summary="s", decision="d", actor=oscar)
    with pytest.raises(BusinessError, match="未审核"):
        publish_decision(consultation, summary="s", decision="d", actor=oscar, on=after)
    moderate_opinion(opinion, True, answer="感谢支持。", actor=oscar)
    publish_decision(consultation, summary="收到意见1条,已采纳。", decision="按原方案报批。", actor=oscar, on=after)
    html = client_for(None).get(f"/open/consultations/{consultation.pk}/").content.decode()
    assert "收到意见1条,已采纳" in html and "按原方案报批" in html


def test_a_closed_consultation_takes_no_opinion(consultation) -> None:
    consultation.deadline = timezone.localdate() - dt.timedelta(days=1)
    consultation.save()
    with pytest.raises(BusinessError, match="已截止"):
        submit_opinion(consultation, "晚到的意见", address="10.0.0.6")
