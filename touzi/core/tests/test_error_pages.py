"""404, 403 and 500 pages in the site's layout and the user's language, with DEBUG off as in production; a record
outside the user's scope answers the same 404 as one that does not exist (nothing leaks)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from touzi.testing import client_for

pytestmark = pytest.mark.django_db
LAYOUT = '<header class="top">'
NAV = 'aria-label="主导航"'


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_missing_page_is_a_404_in_the_layout_in_chinese(aaron) -> None:
    page = client_for(aaron).get("/no-such-page/")
    body = page.content.decode()
    assert page.status_code == 404
    assert LAYOUT in body and NAV in body  # the site's header and menu, signed in
    assert "页面不存在" in body and "返回首页" in body
    assert "Not Found" not in body


def test_a_missing_page_is_a_404_in_english_for_an_english_user(aaron) -> None:
    page = _english(client_for(aaron)).get("/no-such-page/")
    body = page.content.decode()
    assert page.status_code == 404 and LAYOUT in body
    assert "Page not found" in body and "页面不存在" not in body


def test_a_project_outside_the_users_scope_answers_the_same_404_without_its_name(projects, bella) -> None:
    plant = projects["plant"]  # county A's project; Bella works for county B
    hidden = client_for(bella).get(f"/projects/{plant.pk}/")
    missing = client_for(bella).get("/projects/999999/")
    assert hidden.status_code == missing.status_code == 404
    assert plant.name not in hidden.content.decode()
    assert "页面不存在" in hidden.content.decode()
    assert hidden.content.decode().count("不在您的查看范围内") == missing.content.decode().count("不在您的查看范围内")


def test_a_forbidden_page_is_a_403_in_the_layout_saying_why(sam) -> None:
    page = client_for(sam).get("/monitoring/warnings/")
    body = page.content.decode()
    assert page.status_code == 403 and LAYOUT in body
    assert "无权访问" in body
    assert "系统管理员、安全管理员和审计管理员不查看业务数据" in body  # the view's own reason


def test_a_forbidden_page_is_a_403_in_english_for_an_english_user(sam) -> None:
    page = _english(client_for(sam)).get("/monitoring/warnings/")
    body = page.content.decode()
    assert page.status_code == 403 and LAYOUT in body
    assert "Access denied" in body and "无权访问" not in body


@pytest.mark.parametrize(("language", "words"), [("zh-hans", "服务器出错"), ("en", "Server error")])
def test_a_server_error_is_a_500_page_in_the_sites_look_that_needs_no_database(language, words,
                                                                               django_assert_num_queries) -> None:
    with translation.override(language), django_assert_num_queries(0):
        page = server_error(RequestFactory().get("/"))
    body = page.content.decode()
    assert page.status_code == 500 and LAYOUT in body and words in body
    assert "touzi/touzi.css" in body
