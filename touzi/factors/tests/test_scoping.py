"""The factor bureaus are scoped to the kinds of quota they keep; counties to their own area."""

from decimal import Decimal

import pytest

from touzi.core.scoping import Action, can, scope
from touzi.factors.choices import ParcelKind, QuotaKind
from touzi.factors.models import Allocation, IdleParcel, Quota
from touzi.factors.services import (
    approve_allocation,
    enter_quota,
    record_parcel,
    request_allocation,
    set_keeper,
)
from touzi.factors.tests.conftest import SYSTEM, quota
from touzi.lib.errors import Forbidden
from touzi.units.models import Unit


def test_a_keeper_sees_and_enters_only_its_kinds(land_a, land_b, forest_a, abe, fay, eve) -> None:
    assert set(scope(abe, Quota.objects.all())) == {land_a, land_b}
    assert set(scope(fay, Quota.objects.all())) == {forest_a}
    assert not scope(eve, Quota.objects.all()).exists()  # keeps pollutants: none entered yet
    assert can(abe, land_b, Action.CHANGE) and not can(abe, forest_a, Action.CHANGE)
    with pytest.raises(Forbidden):
        enter_quota(year=2023, kind=QuotaKind.FOREST, county=Unit.objects.get(key="county-b"), amount=Decimal(1),
                    document="x", actor=abe)
    enter_quota(year=2023, kind=QuotaKind.FOREST, county=Unit.objects.get(key="county-b"), amount=Decimal(9),
                document="北林发", actor=fay)


def test_a_county_reads_its_own_quotas_and_changes_none(land_a, land_b, aaron, bella) -> None:
    assert list(scope(aaron, Quota.objects.all())) == [land_a]
    assert list(scope(bella, Quota.objects.all())) == [land_b]
    assert not can(aaron, land_a, Action.CHANGE)
    with pytest.raises(Forbidden):
        enter_quota(year=2023, kind=QuotaKind.CONSTRUCTION_LAND, county=Unit.objects.get(key="county-a"),
                    amount=Decimal(999), document="自批", actor=aaron)


def test_the_office_and_readers_see_everything_and_others_nothing(land_a, forest_a, olive, stan, ian, oscar,
                                                                  sam) -> None:
    assert scope(olive, Quota.objects.all()).count() == 2 and scope(stan, Quota.objects.all()).count() == 2
    assert can(olive, forest_a, Action.CHANGE) and not can(stan, forest_a, Action.CHANGE)
    for user in (ian, oscar, sam):
        assert not scope(user, Quota.objects.all()).exists()


def test_only_the_keeper_of_the_kind_decides_a_request(land_a, forest_a, projects, aaron, abe, fay, bella,
                                                       oscar) -> None:
    land = request_allocation(land_a, projects["plant"], Decimal("10"), actor=aaron)
    forest = request_allocation(forest_a, projects["plant"], Decimal("2"), actor=oscar)  # the owner may ask too
    assert set(scope(abe, Allocation.objects.all())) == {land}
    assert set(scope(fay, Allocation.objects.all(), Action.REVIEW)) == {forest}
    assert set(scope(oscar, Allocation.objects.all())) == {land, forest}  # its project's
    assert not scope(bella, Allocation.objects.all()).exists()
    with pytest.raises(Forbidden):
        approve_allocation(land, document="批", actor=fay)
    with pytest.raises(Forbidden):
        approve_allocation(land, document="批", actor=aaron)
    approve_allocation(land, document="批", actor=abe)


def test_keeping_follows_the_office_s_mapping(land_a, abe, olive) -> None:
    set_keeper(Unit.objects.get(key="nrb"), QuotaKind.CONSTRUCTION_LAND, keeps=False, actor=olive)
    abe_again = type(abe).objects.get(pk=abe.pk)  # the scope is cached on the user object
    assert not scope(abe_again, Quota.objects.filter(kind=QuotaKind.CONSTRUCTION_LAND)).exists()
    with pytest.raises(Forbidden):
        set_keeper(Unit.objects.get(key="nrb"), QuotaKind.CONSTRUCTION_LAND, actor=abe_again)


def test_idle_parcels_are_the_land_keeper_s_and_the_county_s(keepers, aaron, bella, abe, fay) -> None:
    parcel = record_parcel(code="A-1", location="甲县", kind=ParcelKind.APPROVED_NOT_SUPPLIED,
                           county=Unit.objects.get(key="county-a"), area=Decimal(10), actor=SYSTEM)
    assert can(aaron, parcel, Action.CHANGE) and can(abe, parcel, Action.CHANGE)
    assert not can(bella, parcel) and not can(fay, parcel)
    assert list(scope(abe, IdleParcel.objects.all())) == [parcel]


def test_a_park_quota_is_seen_by_its_county(keepers, aaron) -> None:
    park = quota(QuotaKind.CONSTRUCTION_LAND, "county-a", "50", park=Unit.objects.get(key="park-a"))
    assert can(aaron, park)
