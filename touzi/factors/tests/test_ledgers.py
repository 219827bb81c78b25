"""Each ledger's headroom (quota − approved allocations), the acts on it, and the energy-intensity rule."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from touzi.audit.models import AuditRecord
from touzi.core.scoping import scope
from touzi.factors.choices import AllocationStatus, Disposal, ParcelKind, QuotaKind
from touzi.factors.figures import ledger, reuse
from touzi.factors.models import IdleParcel, Quota
from touzi.factors.services import (
    approve_allocation,
    dispose_parcel,
    record_parcel,
    refuse_allocation,
    request_allocation,
    set_reuse_goal,
    take_back,
)
from touzi.factors.tests.conftest import DAY, quota
from touzi.lib.errors import BusinessError, Forbidden
from touzi.units.models import Unit


def _row(q: Quota):
    return next(r for r in ledger(Quota.objects.all()) if r.id == q.pk)


def test_headroom_is_the_quota_less_what_was_approved_and_a_taken_back_allocation_returns_to_the_pool(
        land_a, projects, aaron, abe) -> None:
    first = request_allocation(land_a, projects["plant"], Decimal("120.5"), requested_on=DAY, actor=aaron)
    second = request_allocation(land_a, projects["park"], Decimal("80"), requested_on=DAY, actor=aaron)
    row = _row(land_a)
    assert (row.quota, row.allocated, row.headroom, row.pending) == (Decimal("300"), 0, Decimal("300"),
                                                                     Decimal("200.5"))
    approve_allocation(first, Decimal("100.25"), document="北自然资批〔2023〕8号", approved_on=DAY, actor=abe)
    row = _row(land_a)
    assert (row.allocated, row.headroom, row.pending) == (Decimal("100.25"), Decimal("199.75"), Decimal("80"))
    assert row.headroom == row.quota - row.allocated
    refuse_allocation(second, "不符合供地政策", actor=abe)
    first.refresh_from_db()
    take_back(first, "逾期未开工", actor=abe)
    row = _row(land_a)
    assert (row.allocated, row.headroom, row.pending) == (0, Decimal("300"), 0)
    assert AuditRecord.objects.filter(object_type="factors.allocation").count() == 5


def test_approval_never_exceeds_the_headroom_or_the_request(land_a, projects, aaron, abe) -> None:
    big = request_allocation(land_a, projects["plant"], Decimal("250"), requested_on=DAY, actor=aaron)
    approve_allocation(big, document="批1", actor=abe)
    other = request_allocation(land_a, projects["park"], Decimal("60"), requested_on=DAY, actor=aaron)
    with pytest.raises(BusinessError, match="余量"):
        approve_allocation(other, document="批2", actor=abe)
    with pytest.raises(BusinessError, match="申请量"):
        approve_allocation(other, Decimal("70"), document="批2", actor=abe)
    approve_allocation(other, Decimal("50"), document="批2", actor=abe)
    assert _row(land_a).headroom == 0


def test_a_project_asks_only_its_own_countys_quota(land_b, projects, aaron, bella) -> None:
    with pytest.raises(Forbidden):
        request_allocation(land_b, projects["plant"], Decimal("10"), actor=bella)
    with pytest.raises(BusinessError, match="县区"):
        request_allocation(land_b, projects["plant"], Decimal("10"), actor=aaron)


def test_energy_allocation_keeps_to_the_intensity_rule(keepers, projects, aaron, olive) -> None:
    energy = quota(QuotaKind.ENERGY, "county-a", "50000", intensity_limit=Decimal("0.45"), document="北发改能〔2023〕2号")
    hungry = request_allocation(energy, projects["plant"], Decimal("12000"), intensity=Decimal("0.61"), actor=aaron)
    with pytest.raises(BusinessError, match="能耗强度"):
        approve_allocation(hungry, document="批", actor=olive)
    lean = request_allocation(energy, projects["park"], Decimal("8000"), intensity=Decimal("0.3"), actor=aaron)
    approve_allocation(lean, document="批", actor=olive)
    assert _row(energy).headroom == Decimal("42000")


def test_farmland_supplement_needs_its_balance_source(keepers) -> None:
    with pytest.raises(BusinessError, match="占补平衡"):
        quota(QuotaKind.FARMLAND_SUPPLEMENT, "county-a", "80")
    q = quota(QuotaKind.FARMLAND_SUPPLEMENT, "county-a", "80", balance_source="consolidation")
    assert q.balance_source == "consolidation"


def test_a_quota_cannot_be_cut_below_what_is_allocated(land_a, projects, aaron, abe) -> None:
    a = request_allocation(land_a, projects["plant"], Decimal("200"), actor=aaron)
    approve_allocation(a, document="批", actor=abe)
    with pytest.raises(BusinessError, match="已配置"):
        quota(QuotaKind.CONSTRUCTION_LAND, "county-a", "150")
    assert quota(QuotaKind.CONSTRUCTION_LAND, "county-a", "260").version == 2


def test_idle_land_reused_against_the_goal(keepers, aaron, abe, bella) -> None:
    county_a = Unit.objects.get(key="county-a")
    p1 = record_parcel(code="HP-01", location="甲县工业大道东", kind=ParcelKind.APPROVED_NOT_SUPPLIED,
                       county=county_a, area=Decimal("40"), reason="征地未完成", actor=aaron)
    record_parcel(code="HP-02", location="甲县滨海路", kind=ParcelKind.SUPPLIED_NOT_USED, county=county_a,
                  area=Decimal("25.5"), holder="甲公司", actor=abe)
    with pytest.raises(Forbidden):
        record_parcel(code="HP-03", location="x", kind=ParcelKind.INEFFICIENT, county=county_a, area=Decimal("1"),
                      actor=bella)
    set_reuse_goal(2023, Decimal("50"), actor=abe)
    import datetime as dt
    dispose_parcel(p1, Disposal.SUPPLIED, disposed_on=dt.date(2023, 5, 1), disposed_area=Decimal("30"), actor=aaron)
    figures = reuse(IdleParcel.objects.all(), 2023)
    assert (figures["area"], figures["reused"], figures["goal"], figures["rate"]) == (
        Decimal("65.5"), Decimal("30"), Decimal("50"), Decimal("0.6"))


def test_the_command_prints_the_ledger_with_exact_headroom(land_a, land_b, forest_a, projects, aaron, abe) -> None:
    a = request_allocation(land_a, projects["plant"], Decimal("123.45"), actor=aaron)
    approve_allocation(a, document="批", actor=abe)
    out = StringIO()
    call_command("factors", "--year", "2023", "--format", "json", stdout=out)
    payload = json.loads(out.getvalue(), parse_float=Decimal)
    rows = {(q["kind"], q["county"]): q for q in payload["quotas"]}
    assert set(rows) == {("construction_land", "county-a"), ("construction_land", "county-b"), ("forest", "county-a")}
    land = rows[("construction_land", "county-a")]
    assert (land["unit"], land["quota"], land["allocated"], land["headroom"]) == ("亩", 300, Decimal("123.45"),
                                                                                 Decimal("176.55"))
    assert rows[("forest", "county-a")]["unit"] == "公顷"
    for q in payload["quotas"]:
        assert set(q) >= {"kind", "county", "unit", "quota", "allocated", "headroom"}
        assert Decimal(str(q["quota"])) - Decimal(str(q["allocated"])) == Decimal(str(q["headroom"]))
    plain = json.loads(out.getvalue())
    assert plain["quotas"][0]["headroom"] == plain["quotas"][0]["quota"] - plain["quotas"][0]["allocated"]


def test_allocations_listed_through_scope_show_only_approved_in_allocated(land_a, projects, aaron, abe) -> None:
    request_allocation(land_a, projects["plant"], Decimal("10"), actor=aaron)
    assert [r.allocated for r in ledger(scope(abe, Quota.objects.all()))] == [0]
    assert AllocationStatus.REQUESTED in scope(aaron, land_a.allocations.all()).values_list("status", flat=True)
