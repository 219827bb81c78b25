"""Reported indicators: only the responsible unit enters them, with a source; locked months need a reason."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from touzi.audit.models import AuditRecord
from touzi.indicators.models import IndicatorValue
from touzi.indicators.services import enter_value
from touzi.lib.errors import BusinessError, Forbidden
from touzi.reports.models import MonthLock
from touzi.testing import client_for

pytestmark = pytest.mark.django_db
JUNE = dt.date(2021, 6, 1)


@pytest.fixture
def growth(mini_plan):
    return mini_plan.indicators.get(key="fai-growth")  # reported by the statistics bureau


def test_the_statistics_bureau_enters_its_indicator_with_source_and_evidence(growth, stan) -> None:
    item = enter_value(growth, JUNE, Decimal("12.5"), source="统计局月报", actor=stan,
                       evidence=SimpleUploadedFile("快报.pdf", b"%PDF-1.4\n%%EOF"))
    assert item.value == Decimal("12.5") and item.evidence_name == "快报.pdf"
    record = AuditRecord.objects.get(object_type="indicators.indicatorvalue")
    assert record.after["value"] == "12.5" and record.actor_name == "stan"


def test_other_units_may_not_enter_it(growth, olive, aaron) -> None:
    for user in (olive, aaron):
        with pytest.raises(Forbidden):
            enter_value(growth, JUNE, Decimal("1"), source="x", actor=user)


def test_a_source_is_required(growth, stan) -> None:
    with pytest.raises(BusinessError, match="数据来源"):
        enter_value(growth, JUNE, Decimal("1"), source=" ", actor=stan)


def test_a_locked_month_is_corrected_only_with_a_reason(growth, stan) -> None:
    enter_value(growth, JUNE, Decimal("12"), source="统计局", actor=stan)
    MonthLock.objects.create(month=JUNE)
    with pytest.raises(BusinessError, match="须说明原因"):
        enter_value(growth, JUNE, Decimal("11"), source="统计局", actor=stan)
    enter_value(growth, JUNE, Decimal("11"), source="统计局", actor=stan, reason="国家统计局修订基数")
    change = AuditRecord.objects.filter(object_type="indicators.indicatorvalue", event="update").get()
    assert change.message == "国家统计局修订基数" and change.before == {"value": "12"}


def test_the_page_lets_the_unit_enter_and_others_only_read(growth, stan, olive) -> None:
    url = reverse("indicator-detail", args=[growth.pk])
    assert 'id="value-form"' in client_for(stan).get(url).content.decode()
    assert 'id="value-form"' not in client_for(olive).get(url).content.decode()
    client_for(stan).post(url, {"month": "2021-06", "value": "9.8", "source": "统计局"})
    client_for(olive).post(url, {"month": "2021-07", "value": "1", "source": "x"})
    assert list(IndicatorValue.objects.values_list("value", flat=True)) == [Decimal("9.8")]


def test_the_api_enters_values_for_the_unit_and_refuses_others(growth, stan, olive, bella) -> None:
    url = f"/api/v1/indicators/{growth.pk}/values"
    body = json.dumps({"period": "2021-06", "value": "10.1", "source": "统计局"})
    assert client_for(stan).post(url, body, content_type="application/json").status_code == 201
    assert client_for(olive).post(url, body, content_type="application/json").status_code == 403
    assert client_for(None).get(url).status_code == 401
    assert client_for(olive).get(url).json()[0]["value"] == "10.1000"
    # county B reads it (it is behind an overall target everyone sees) but cannot enter it
    assert client_for(bella).get(url).status_code == 200
    assert client_for(bella).post(url, body, content_type="application/json").status_code == 403
