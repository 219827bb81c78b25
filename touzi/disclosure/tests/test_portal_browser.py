"""In a real browser at 390 px: a citizen finds a project on the portal and reads its seven items; axe-core
(vendored, tests/vendor/axe.min.js, MPL-2.0) finds no WCAG 2.1 AA violation on the pages visited."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from touzi.testing_browser import browser_page

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe_violations(page) -> list[str]:
    page.evaluate(AXE)  # evaluated by the test, not a script tag: the page's CSP stays strict
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           WCAG_AA)
    assert result["passes"]  # axe really ran its rules
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in result["violations"]]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_citizen_finds_a_project_and_reads_its_seven_items_on_a_phone(live_server, gov, oscar, ian) -> None:
    from touzi.disclosure.choices import ItemKind
    from touzi.disclosure.services import approve_version, prepare_item

    plant = gov["plant"]
    data: dict[str, tuple[str, dict[str, Any]]] = {
        ItemKind.SCOPE: ("新建年产10万吨新材料生产线及配套仓储、环保设施。", {}),
        ItemKind.NECESSITY: ("补齐产业链短板;依据:项目建议书批复(甲发改〔2021〕8号)。", {}),
        ItemKind.FUNDING: ("财政资金5000万元,其余企业自筹。", {"lines": [
            {"source": "fiscal", "label": "财政资金", "amount": "5000"},
            {"source": "self_raised", "label": "企业自筹", "amount": "45000"}]}),
        ItemKind.TENDERS: ("施工总承包公开招标。", {"tenders": [
            {"date": "2021-02-01", "method": "open", "method_label": "公开招标", "title": "施工总承包",
             "winner": "中国建筑第八工程局有限公司", "amount": "32000", "link": "https://ggzy.example/1"}]}),
        ItemKind.PARTIES: ("参建单位如下。", {"designer": ["华蓝设计(集团)有限公司"], "supervisor": ["广西建设监理有限责任公司"],
                                       "contractor": ["中国建筑第八工程局有限公司"]}),
        ItemKind.COMPLETION: ("项目尚在建设,竣工后公开决算。", {}),
    }
    for kind, (text, extra) in data.items():
        approve_version(prepare_item(plant, kind, text, data=extra, actor=oscar), actor=ian, on=dt.date(2023, 5, 6))

    with browser_page() as page:
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/open/")
        assert _fits(page)
        assert _axe_violations(page) == []
        page.fill("#q", "新材料")
        page.select_option("#county", "county-a")
        page.click("form.search button[type=submit]")
        page.click("text=甲公司新材料工厂")
        page.wait_for_selector("h1:has-text('甲公司新材料工厂')")
        sections = page.locator("section.item h2").all_inner_texts()
        assert [s.split(". ", 1)[1] for s in sections[:7]] == [
            "建设内容和规模", "建设必要性和依据", "资金来源", "招投标", "设计、监理和施工单位", "竣工决算", "建设进度"]
        body = page.locator("main").inner_text()
        for text, _extra in data.values():
            assert text in body
        assert "中国建筑第八工程局有限公司" in body and "测试市工业和信息化局" in body and "2023年5月6日" in body
        assert _fits(page)
        violations = _axe_violations(page)
        assert violations == [], json.dumps(violations, ensure_ascii=False)
