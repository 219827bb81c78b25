"""The portal: anonymous, no cookie, cacheable, a fixed handful of queries; search, filters, feed, sitemap and
the OC4IDS package at stable addresses."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from touzi.disclosure.choices import ItemKind
from touzi.disclosure.services import approve_version, prepare_item
from touzi.testing import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(gov, oscar, otto, ian, olive):
    approve_version(prepare_item(gov["plant"], ItemKind.SCOPE, "新材料生产线。", actor=oscar), actor=ian,
                    on=dt.date(2023, 5, 1))
    approve_version(prepare_item(gov["rail"], ItemKind.SCOPE, "铁路专用线12公里。", actor=otto), actor=olive,
                    on=dt.date(2023, 6, 1))
    prepare_item(gov["rail"], ItemKind.NECESSITY, "待批准的必要性说明。", actor=otto)
    return gov


@pytest.mark.parametrize("url", ["/open/", "/open/?county=county-b&stage=new_start", "/open/feed.atom",
                                 "/open/sitemap.xml", "/open/oc4ids.json"])
def test_portal_pages_are_public_cacheable_and_set_no_cookie(published, url) -> None:
    response = client_for(None).get(url)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers and not response.cookies
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]


def test_a_project_page_takes_a_fixed_handful_of_queries(published, django_assert_max_num_queries) -> None:
    client = client_for(None)
    with django_assert_max_num_queries(10):
        assert client.get(f"/open/p/{published['rail'].pk}/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/open/").status_code == 200


def test_search_and_filters_find_the_project(published) -> None:
    client = client_for(None)
    html = client.get("/open/", {"q": "铁路"}).content.decode()
    assert "乙区铁路专用线" in html and "甲公司新材料工厂" not in html
    assert "甲公司新材料工厂" in client.get("/open/", {"county": "county-a"}).content.decode()
    assert "乙区铁路专用线" not in client.get("/open/", {"domain": "industry"}).content.decode()
    assert "没有符合条件的项目" in client.get("/open/", {"stage": "completed"}).content.decode()
    assert client.get("/open/", {"year": "abc", "stage": "<x>"}).status_code == 200  # bad filters are ignored


def test_the_feed_lists_approved_publications_only(published) -> None:
    feed = client_for(None).get("/open/feed.atom")
    body = feed.content.decode()
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "铁路专用线12公里" in body and "待批准的必要性说明" not in body


def test_the_sitemap_lists_the_public_projects(published) -> None:
    body = client_for(None).get("/open/sitemap.xml").content.decode()
    assert f"/open/p/{published['rail'].pk}/" in body and f"/open/p/{published['park'].pk}/" not in body


def test_robots_txt_lets_crawlers_index_the_portal_only_and_names_its_sitemap() -> None:
    response = client_for(None).get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[:4] == ["User-agent: *", "Allow: /open/", "Disallow: /", ""]
    assert lines[4] == "Sitemap: http://testserver/open/sitemap.xml"


def test_favicon_ico_points_at_the_icon() -> None:
    response = client_for(None).get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("/touzi/favicon.svg")


def test_the_package_and_a_projects_package_are_served_and_valid(published) -> None:
    from touzi.disclosure.oc4ids import validate

    client = client_for(None)
    whole = json.loads(client.get("/open/oc4ids.json").content)
    assert validate(whole) == [] and len(whole["projects"]) == 2
    one = json.loads(client.get(f"/open/p/{published['rail'].pk}/oc4ids.json").content)
    assert validate(one) == [] and one["projects"][0]["id"].endswith("2021-450503-54-01-000003")
    assert client.get(f"/open/p/{published['park'].pk}/").status_code == 404


def test_the_signed_in_pages_list_the_work(published, ian, olive) -> None:
    assert "待批准的必要性说明" not in client_for(ian).get("/disclosure/").content.decode()
    page = client_for(olive).get(f"/disclosure/p/{published['rail'].pk}/").content.decode()
    assert "待批准的必要性说明" in page and "批准公开" in page
