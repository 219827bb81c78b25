"""The publication workflow: the owner prepares, the responsible unit approves, only approved items are public,
personal data never is, and a corrected item shows its history."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from touzi.audit.models import AuditRecord
from touzi.core.actor import System
from touzi.disclosure import oc4ids
from touzi.disclosure.choices import ItemKind, VersionState
from touzi.disclosure.models import DisclosureItem, ItemVersion
from touzi.disclosure.privacy import findings, id_checksum_ok
from touzi.disclosure.services import approve_version, prepare_item, refuse_version
from touzi.lib.errors import BusinessError, Forbidden
from touzi.testing import client_for

pytestmark = pytest.mark.django_db


def _public_html(project_id: int) -> str:
    response = client_for(None).get(f"/open/p/{project_id}/")
    return response.content.decode() if response.status_code == 200 else ""


def test_an_item_is_public_only_once_its_responsible_unit_approves_it(gov, oscar, ian, bella) -> None:
    plant = gov["plant"]
    version = prepare_item(plant, ItemKind.SCOPE, "新建年产10万吨新材料生产线及配套设施。", actor=oscar)
    assert client_for(None).get(f"/open/p/{plant.pk}/").status_code == 404  # nothing approved: not on the portal
    with pytest.raises(Forbidden):
        approve_version(version, actor=bella)  # another county does not answer for it
    with pytest.raises(Forbidden):
        approve_version(version, actor=oscar)  # the owner does not approve its own text
    approve_version(version, actor=ian, on=dt.date(2023, 5, 6))
    html = _public_html(plant.pk)
    assert "新建年产10万吨新材料生产线" in html and "测试市工业和信息化局" in html and "2023年5月6日" in html
    assert AuditRecord.objects.filter(object_type="disclosure.itemversion", message="批准公开").exists()


def test_a_correction_keeps_the_published_text_until_approved_then_shows_the_history(gov, oscar, ian) -> None:
    plant = gov["plant"]
    approve_version(prepare_item(plant, ItemKind.FUNDING, "财政资金5000万元。", actor=oscar), actor=ian,
                    on=dt.date(2023, 3, 1))
    with pytest.raises(BusinessError):
        prepare_item(plant, ItemKind.FUNDING, "财政资金4800万元。", actor=oscar)  # a correction says why
    fix = prepare_item(plant, ItemKind.FUNDING, "财政资金4800万元。", actor=oscar, note="按调整批复更正")
    html = _public_html(plant.pk)
    assert "财政资金5000万元" in html and "4800" not in html
    approve_version(fix, actor=ian, on=dt.date(2023, 4, 1))
    html = _public_html(plant.pk)
    assert "财政资金4800万元" in html and "更正记录" in html and "财政资金5000万元" in html and "按调整批复更正" in html


def test_a_refused_text_is_never_public(gov, oscar, ian) -> None:
    version = prepare_item(gov["plant"], ItemKind.NECESSITY, "依据:项目建议书批复。", actor=oscar)
    refuse_version(version, "依据不全", actor=ian)
    approve_later = prepare_item(gov["plant"], ItemKind.SCOPE, "建设内容。", actor=oscar)
    approve_version(approve_later, actor=ian)
    assert "项目建议书批复" not in _public_html(gov["plant"].pk)


def test_a_project_below_the_threshold_or_not_government_invested_is_not_disclosed(gov, oscar) -> None:
    with pytest.raises(BusinessError):
        prepare_item(gov["park"], ItemKind.SCOPE, "标准厂房。", actor=oscar)  # 999 万元 of fiscal money


@pytest.mark.parametrize("text", [
    "联系人:张三,电话13812345678", "项目经理王小明负责现场", "身份证号11010519491231002X", "咨询电话0779-3201234",
    "邮箱 someone@example.com", "李先生反映", "电话 138 1234 5678",
])
def test_personal_data_is_refused_when_prepared(gov, oscar, text) -> None:
    with pytest.raises(BusinessError, match="个人信息"):
        prepare_item(gov["plant"], ItemKind.SCOPE, f"建设内容。{text}", actor=oscar)
    with pytest.raises(BusinessError, match="个人信息"):
        prepare_item(gov["plant"], ItemKind.PARTIES, "单位如下。", data={"contractor": [text]}, actor=oscar)


def test_units_amounts_codes_and_dates_pass_the_check() -> None:
    assert findings("施工单位:中国建筑第八工程局有限公司;负责人:市发展改革委;项目代码2021-450521-26-03-000001;"
                    "总投资120000.00万元;2023-05-06 开标;投资12345678901元") == []
    assert id_checksum_ok("11010519491231002X") and not id_checksum_ok("110105194912310021")


_CLEAN = st.text(alphabet="建设内容规模道路桥梁学校医院万元亿年月日,。0123456789", min_size=1, max_size=40)
_PERSONAL = st.sampled_from(["联系人:王五", "手机13912345678", "11010519491231002X", "a.b@c.cn", "0779-3201234",
                             "赵女士"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(list(ItemKind)), _CLEAN, st.none() | _PERSONAL,
                                st.sampled_from(["approve", "refuse", "leave"])), min_size=1, max_size=6))
def test_nothing_unapproved_or_personal_is_ever_public(gov, oscar, ian, steps) -> None:
    """A property over random items: whatever is prepared, approved, refused or left waiting, the portal page and
    the OC4IDS package show exactly the newest approved text of each item, and never personal data."""
    plant = gov["plant"]
    ItemVersion.objects.filter(item__project=plant).delete()
    DisclosureItem.objects.filter(project=plant).delete()
    actor = System("test")
    for n, (kind, text, personal, action) in enumerate(steps):
        body = f"{text}#{n}" + (f";{personal}" if personal else "")
        note = "更正" if DisclosureItem.objects.filter(project=plant, kind=kind, published_on__isnull=False).exists() else ""
        try:
            version = prepare_item(plant, kind, body, note=note, actor=oscar)
        except BusinessError:
            assert personal is not None  # only personal data is refused here
            continue
        assert personal is None
        if action == "approve":
            approve_version(version, actor=ian)
        elif action == "refuse":
            refuse_version(version, "不予公开", actor=actor)
    html = _public_html(plant.pk)
    package = str(oc4ids.package(published_only=False)) if DisclosureItem.objects.filter(
        published_on__isnull=False).exists() else ""
    for version in ItemVersion.objects.filter(item__project=plant):
        marker = version.text
        newest_approved = not ItemVersion.objects.filter(item=version.item, state=VersionState.APPROVED,
                                                         number__gt=version.number).exists()
        if version.state != VersionState.APPROVED:
            assert marker not in html and marker not in package
        elif newest_approved:
            assert marker in html and marker in package
        else:
            assert marker in html  # the correction history
    for text in (html, package):
        assert not [f for f in findings(text) if f.kind != "landline"] or False
