"""Project locations (WGS-84 stored, GCJ-02 accepted), the map page and its data, 本月待填报."""

from __future__ import annotations

import pytest
from django.urls import reverse

from touzi.audit.models import AuditRecord
from touzi.field.choices import Datum
from touzi.field.models import ProjectLocation
from touzi.field.services import set_location
from touzi.lib import geo
from touzi.lib.errors import BusinessError, Forbidden
from touzi.testing import client_for

pytestmark = pytest.mark.django_db


def test_a_point_pasted_from_amap_is_stored_in_wgs84_and_audited(projects, oscar) -> None:
    g_lat, g_lon = geo.wgs84_to_gcj02(21.4811, 109.12)
    location = set_location(projects["plant"], g_lat, g_lon, datum=Datum.GCJ02, actor=oscar)
    assert float(location.lat) == pytest.approx(21.4811, abs=2e-6)
    assert float(location.lon) == pytest.approx(109.12, abs=2e-6)
    assert AuditRecord.objects.filter(object_type__contains="projectlocation").exists()


def test_a_line_and_the_rules(projects, oscar, otto) -> None:
    plant = projects["plant"]
    loc = set_location(plant, 21.48, 109.12, actor=oscar, shape_kind="LineString",
                       shape=[[109.12, 21.48], [109.13, 21.49]])
    assert loc.shape == [[109.12, 21.48], [109.13, 21.49]]
    with pytest.raises(BusinessError):
        set_location(plant, 21.48, 109.12, actor=oscar, shape_kind="Polygon", shape=[[109.12, 21.48]])
    with pytest.raises(BusinessError):
        set_location(plant, 95, 109.12, actor=oscar)
    with pytest.raises(Forbidden):
        set_location(plant, 21.48, 109.12, actor=otto)


def test_the_location_page_saves_coordinates(projects, oscar, otto) -> None:
    url = reverse("field-location", args=[projects["plant"].pk])
    assert client_for(otto).get(url).status_code == 404
    response = client_for(oscar).post(url, {"lat": "21.48", "lon": "109.12", "datum": "wgs84", "shape_kind": ""})
    assert response.status_code == 302
    assert float(ProjectLocation.objects.get(project=projects["plant"]).lat) == pytest.approx(21.48)


def test_the_map_shows_only_what_the_user_sees(projects, oscar, olive, otto) -> None:
    set_location(projects["plant"], 21.48, 109.12, actor=oscar)
    set_location(projects["rail"], 21.45, 109.2, actor=olive)
    page = client_for(olive).get(reverse("field-map") + "?colour=stage")
    assert page.status_code == 200 and "map-points" in page.content.decode()
    data = client_for(olive).get(reverse("field-map-data")).json()
    assert {p["name"] for p in data["points"]} == {"甲公司新材料工厂", "乙区铁路专用线"}
    mine = client_for(otto).get(reverse("field-map-data")).json()
    assert [p["name"] for p in mine["points"]] == ["乙区铁路专用线"]
    point = mine["points"][0]
    assert point["wgs84"] == [109.2, 21.45] and point["value"] != point["wgs84"]  # drawn in GCJ-02


def test_what_is_due_this_month(projects, oscar) -> None:
    page = client_for(oscar).get(reverse("field-home"))
    body = page.content.decode()
    assert page.status_code == 200 and "甲公司新材料工厂" in body and "?project=" in body
