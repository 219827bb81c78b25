"""The 通报's promotion part: the four rates by county, funds arrived, the lagging agreements named."""

from __future__ import annotations

from decimal import Decimal

import pytest

from touzi.briefings.freeze import from_json
from touzi.briefings.services import generate
from touzi.core.actor import System
from touzi.promotion.choices import AgreementState
from touzi.promotion.figures import rates
from touzi.promotion.models import Agreement
from touzi.promotion.services import advance, terminate
from touzi.promotion.tests.helpers import D, arrive, sign

pytestmark = pytest.mark.django_db
DECEMBER = D(2022, 12, 1)


@pytest.fixture
def register(projects):
    kept = sign("准时项目", amount="10000", due_registration=D(2022, 2, 1))
    advance(kept, AgreementState.STARTED, D(2022, 1, 20), project=projects["plant"], actor=System("test"))
    advance(kept, AgreementState.IN_PRODUCTION, D(2022, 11, 30), actor=System("test"))
    arrive(kept, D(2022, 3, 1), domestic="8000")
    sign("久未开工项目", amount="20000", due_registration=D(2022, 2, 1))  # every milestone missed: red
    gone = sign("终止项目", county="county-b", amount="3000")
    terminate(gone, D(2022, 3, 1), "投资方撤资", actor=System("test"))
    usd = sign("外资项目", county="county-b", amount="", currency="USD", agreed_usd=Decimal("1000"),
               exchange_rate=Decimal("6.5"), signed=D(2022, 2, 1))
    arrive(usd, D(2022, 6, 1), usd="100", exchange_rate=Decimal("7"))
    return kept


def _table(content, key):
    return next(t for t in content.annex_tables() if t.key == key)


def _text(section) -> str:
    return "\n".join(p for s in section.walk() for p in s.paragraphs)


def test_the_briefing_has_a_promotion_part_before_the_problems(register, olive, mini_plan) -> None:
    content = from_json(generate(mini_plan, DECEMBER, actor=olive).content)
    headings = [s.heading for s in content.sections]
    assert headings.index("招商引资项目推进情况") == headings.index("存在问题") - 1
    part = content.sections[headings.index("招商引资项目推进情况")]
    text = _text(part)
    assert "累计签约招商项目4个" in text and "履约率25.0%" in text
    # The lagging agreements are named, with their county.
    assert "久未开工项目（甲县）" in text and "红色预警" in text
    assert "直接利用外资0.01亿美元" in text


def test_the_rates_table_has_the_four_rates_by_county_as_the_register_computes_them(register, olive,
                                                                                      mini_plan) -> None:
    content = from_json(generate(mini_plan, DECEMBER, actor=olive).content)
    table = _table(content, "promotion")
    expected = rates(Agreement.objects.all(), as_of=D(2022, 12, 31))
    by_label = {row[0]: row for row in table.rows}
    for row in expected.rows:
        got = by_label[row["label"]]
        assert got[1] == row["signed"]
        for i, name in enumerate(("honoured_rate", "funds_rate", "started_rate", "production_rate")):
            value = row[name]
            assert got[2 + i] == (None if value is None else (value * 100).quantize(Decimal("0.1")))
    total = by_label["合计"]
    assert total[1] == 4 and total[-1] == Decimal("0.8700")  # 8000 万元 + 100 万美元 × 7 = 0.87 亿元
    lagging = _table(content, "promotion_lagging")
    assert {r[1] for r in lagging.rows} >= {"久未开工项目"} and "终止项目" not in {r[1] for r in lagging.rows}
    funds = dict(_table(content, "promotion_funds").rows)
    assert funds["直接利用外资（亿美元）"] == Decimal("0.0100")


def test_a_region_without_a_register_has_no_promotion_part(projects, olive, mini_plan) -> None:
    content = from_json(generate(mini_plan, DECEMBER, actor=olive).content)
    assert "招商引资项目推进情况" not in [s.heading for s in content.sections]
    assert not [t for t in content.annex_tables() if t.key.startswith("promotion")]
