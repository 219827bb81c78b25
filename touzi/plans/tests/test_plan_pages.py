"""The plan pages: what each persona sees, the plan switch, and loading a plan from the web."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from touzi.audit.models import AuditRecord
from touzi.plans.models import Plan
from touzi.testing import FIXTURES, client_for

pytestmark = pytest.mark.django_db

PAGES = ["home", "plan-targets", "plan-tasks", "plan-groups", "plan-list", "unit-list"]


@pytest.mark.parametrize("name", PAGES)
def test_pages_require_sign_in(name, mini_plan) -> None:
    response = client_for(None).get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
def test_pages_render_for_every_business_persona(name, olive, aaron, ian, gina, stan) -> None:
    for user in (olive, aaron, ian, gina, stan):
        assert client_for(user).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ["plan-targets", "plan-tasks", "plan-groups"])
def test_the_administrators_are_refused_the_plan_pages(name, ada, sam) -> None:
    for user in (ada, sam):
        assert client_for(user).get(reverse(name)).status_code == 403


def test_the_plan_page_shows_each_target_with_value_period_comparator_quote_and_units(olive) -> None:
    html = client_for(olive).get(reverse("plan-targets")).content.decode()
    assert 'id="target-railway-total"' in html
    assert "≥ 230 亿元" in html and "2021—2023年累计" in html
    assert "「铁路230亿元」" in html
    assert "乙区" in html  # a cooperating unit of the railway task
    for area in ("总体目标", "重点领域", "投融资"):
        assert area in html


def test_a_county_does_not_see_another_countys_target_on_the_page(aaron, bella) -> None:
    assert 'id="target-railway-total"' not in client_for(aaron).get(reverse("plan-targets")).content.decode()
    html_b = client_for(bella).get(reverse("plan-targets")).content.decode()
    assert 'id="target-railway-total"' in html_b and 'id="target-county-a-funds"' not in html_b


def test_the_responsibility_matrix_lists_tasks_with_lead_and_cooperating_units(olive) -> None:
    html = client_for(olive).get(reverse("plan-tasks")).content.decode()
    assert 'id="task-1"' in html and "二(一)1" in html
    assert '<span class="tag lead">市工业和信息化局</span>' in html
    assert '<span class="tag">各县区人民政府</span>' in html


def test_the_groups_page_shows_the_office_and_subgroups(olive) -> None:
    html = client_for(olive).get(reverse("plan-groups")).content.decode()
    assert "领导小组办公室" in html and "工业项目组" in html and "交通项目组" in html


def test_the_office_switches_between_plans(olive, beihai_plan, mini_plan) -> None:
    client = client_for(olive)
    response = client.post(reverse("plan-switch"), {"plan": "beihai-2021-2023"})
    assert response.status_code == 302
    assert "北海市扩大有效投资" in client.get(reverse("plan-targets")).content.decode()
    client.post(reverse("plan-switch"), {"plan": "mini"})
    assert "测试市扩大有效投资" in client.get(reverse("plan-targets")).content.decode()


def test_nobody_switches_to_a_plan_they_may_not_see(aaron, beihai_plan) -> None:
    assert client_for(aaron).post(reverse("plan-switch"), {"plan": "beihai-2021-2023"}).status_code == 404


def test_the_office_loads_a_plan_from_an_uploaded_file(olive) -> None:
    content = (FIXTURES / "mini.yaml").read_bytes().replace(b"key: mini\n", b"key: mini-two\n", 1)
    response = client_for(olive).post(reverse("plan-load"), {"file": SimpleUploadedFile("mini-two.yaml", content)})
    assert response.status_code == 302
    plan = Plan.objects.get(key="mini-two")
    assert plan.targets.count() == 5
    record = AuditRecord.objects.filter(event="plan_load", object_id=str(plan.pk)).get()
    assert record.source == "web" and record.actor_name == "olive"


def test_an_uploaded_file_with_errors_lists_them_and_writes_nothing(olive) -> None:
    content = (FIXTURES / "mini.yaml").read_bytes().replace(b"key: mini\n", b"key: mini-bad\n", 1)
    content = content.replace(b"cooperating_units: [county-b]", b"cooperating_units: [ghost]")
    response = client_for(olive).post(reverse("plan-load"), {"file": SimpleUploadedFile("bad.yaml", content)})
    assert response.status_code == 400
    assert "未知的单位 &#x27;ghost&#x27;" in response.content.decode()
    assert not Plan.objects.filter(key="mini-bad").exists()


def test_a_county_may_not_load_plans(aaron) -> None:
    content = (FIXTURES / "mini.yaml").read_bytes()
    response = client_for(aaron).post(reverse("plan-load"), {"file": SimpleUploadedFile("m.yaml", content)})
    assert response.status_code == 403


def test_the_interface_is_chinese_by_default_and_english_on_request(olive) -> None:
    client = client_for(olive)
    html = client.get(reverse("plan-targets"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "总体目标" in html and 'lang="zh-hans"' in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("plan-targets")).content.decode()
    assert 'lang="en"' in html and "Overall targets" in html and "Industry" in html
