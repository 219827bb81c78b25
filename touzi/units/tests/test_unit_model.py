import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from touzi.units.choices import UnitKind
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db


def test_a_county_needs_a_six_digit_division_code() -> None:
    unit = Unit(key="x", name="某县人民政府", kind=UnitKind.COUNTY, division_code="45052")
    with pytest.raises(ValidationError):
        unit.full_clean()


def test_label_follows_the_language() -> None:
    unit = Unit(key="hepu", name="合浦县人民政府", short_name="合浦县", name_en="Hepu County", kind=UnitKind.COUNTY)
    with translation.override("zh-hans"):
        assert unit.label == "合浦县"
    with translation.override("en"):
        assert unit.label == "Hepu County"
