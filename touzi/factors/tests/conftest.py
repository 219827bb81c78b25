import datetime as dt
from decimal import Decimal

import pytest

from touzi.accounts.choices import Role
from touzi.core.actor import System
from touzi.factors.choices import LAND_KINDS, QuotaKind
from touzi.factors.models import Quota
from touzi.factors.services import enter_quota, set_keeper
from touzi.testing import approving_unit, make_user
from touzi.units.models import Unit

SYSTEM = System("test")


@pytest.fixture
def keepers(abe, eve, mini_plan):
    """市自然资源局 (Abe) keeps the land kinds, 市生态环境局 (Eve) the pollutants, 市林业局 (Fay) the forest."""
    forestry = approving_unit(mini_plan, "forestry", "测试市林业局", "市林业局")
    nrb, eeb = Unit.objects.get(key="nrb"), Unit.objects.get(key="eeb")
    for kind in LAND_KINDS:
        set_keeper(nrb, kind, actor=SYSTEM)
    set_keeper(eeb, QuotaKind.POLLUTANT, actor=SYSTEM)
    set_keeper(forestry, QuotaKind.FOREST, actor=SYSTEM)
    return {"nrb": nrb, "eeb": eeb, "forestry": forestry}


@pytest.fixture
def fay(keepers):
    return make_user("fay", Role.LEAD_UNIT, "forestry")


def quota(kind: str, county_key: str, amount: str, year: int = 2023, **kw) -> Quota:
    return enter_quota(year=year, kind=kind, county=Unit.objects.get(key=county_key), amount=Decimal(amount),
                       document=kw.pop("document", "北自然资发〔2023〕1号"), actor=SYSTEM, **kw)


@pytest.fixture
def land_a(keepers) -> Quota:
    return quota(QuotaKind.CONSTRUCTION_LAND, "county-a", "300")


@pytest.fixture
def land_b(keepers) -> Quota:
    return quota(QuotaKind.CONSTRUCTION_LAND, "county-b", "120")


@pytest.fixture
def forest_a(keepers) -> Quota:
    return quota(QuotaKind.FOREST, "county-a", "45.5", document="北林发〔2023〕3号")


DAY = dt.date(2023, 2, 1)
