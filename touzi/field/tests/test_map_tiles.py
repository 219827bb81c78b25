"""The optional tile server (TOUZI_MAP_TILE_URL): strict parsing, and only the map pages' CSP lets its host in."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from touzi.core.security import CONTENT_SECURITY_POLICY
from touzi.lib.env import env_choice, env_tile_url
from touzi.testing import client_for

TILES = "https://tiles.example.gov.cn:8443/vec/{z}/{x}/{y}.png?tk=abc"


def test_no_tile_url_means_no_tiles(monkeypatch) -> None:
    monkeypatch.delenv("TOUZI_MAP_TILE_URL", raising=False)
    assert env_tile_url("TOUZI_MAP_TILE_URL") == ""


def test_a_tile_url_on_one_host_with_the_placeholders_is_taken(monkeypatch) -> None:
    monkeypatch.setenv("TOUZI_MAP_TILE_URL", TILES)
    assert env_tile_url("TOUZI_MAP_TILE_URL") == TILES


@pytest.mark.parametrize("value", [
    "ftp://tiles.example/{z}/{x}/{y}.png",  # not http(s)
    "https://{s}.tiles.example/{z}/{x}/{y}.png",  # subdomains: no single origin for the CSP
    "https://user:pw@tiles.example/{z}/{x}/{y}.png",
    "https://tiles.example/{z}/{x}.png",  # no {y}
    "https://tiles.example;script-src */{z}/{x}/{y}.png",  # a host that would bend the policy
    "https://tiles.example/{z}/{x}/{y}.png x",
])
def test_a_bad_tile_url_stops_start_up(monkeypatch, value) -> None:
    monkeypatch.setenv("TOUZI_MAP_TILE_URL", value)
    with pytest.raises(ImproperlyConfigured, match="TOUZI_MAP_TILE_URL"):
        env_tile_url("TOUZI_MAP_TILE_URL")


def test_the_tile_datum_is_wgs84_or_gcj02(monkeypatch) -> None:
    monkeypatch.delenv("TOUZI_MAP_TILE_DATUM", raising=False)
    assert env_choice("TOUZI_MAP_TILE_DATUM", "wgs84", ("wgs84", "gcj02")) == "wgs84"
    monkeypatch.setenv("TOUZI_MAP_TILE_DATUM", "GCJ02")
    assert env_choice("TOUZI_MAP_TILE_DATUM", "wgs84", ("wgs84", "gcj02")) == "gcj02"
    monkeypatch.setenv("TOUZI_MAP_TILE_DATUM", "bd09")
    with pytest.raises(ImproperlyConfigured, match="TOUZI_MAP_TILE_DATUM"):
        env_choice("TOUZI_MAP_TILE_DATUM", "wgs84", ("wgs84", "gcj02"))


@pytest.mark.django_db
def test_without_tiles_the_map_is_echarts_and_the_policy_unchanged(olive, settings) -> None:
    settings.MAP_TILE_URL = ""
    response = client_for(olive).get("/field/map/")
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert b"vendor/echarts/echarts.min.js" in response.content and b"leaflet" not in response.content


@pytest.mark.django_db
def test_with_tiles_only_the_map_pages_may_load_images_from_the_tile_host(olive, projects, settings) -> None:
    settings.MAP_TILE_URL = TILES
    settings.MAP_TILE_DATUM = "gcj02"
    client = client_for(olive)
    for url in ("/field/map/", f"/field/projects/{projects['plant'].pk}/location/"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "img-src 'self' data: https://tiles.example.gov.cn:8443;" in policy, url
        assert policy.replace(" https://tiles.example.gov.cn:8443", "") == CONTENT_SECURITY_POLICY
        assert b"vendor/leaflet/leaflet.js" in response.content and b"echarts.min.js" not in response.content
        assert response.context["map_config"]["tiles"]["datum"] == "gcj02"
    assert client.get("/projects/")["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
