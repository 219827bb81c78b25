"""WGS-84 ⇄ GCJ-02 ⇄ BD-09 and distances (touzi.lib.geo)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from touzi.lib import geo


def test_a_known_point_shifts_as_the_map_apps_shift_it() -> None:
    # Tian'anmen: WGS-84 (39.908692, 116.397477) shows in Amap at about (39.910093, 116.403718).
    lat, lon = geo.wgs84_to_gcj02(39.908692, 116.397477)
    assert lat == pytest.approx(39.910093, abs=2e-5) and lon == pytest.approx(116.403718, abs=2e-5)


def test_beihai_moves_a_few_hundred_metres_and_comes_back_exactly() -> None:
    lat, lon = 21.4811, 109.1200
    g_lat, g_lon = geo.wgs84_to_gcj02(lat, lon)
    assert 300 < geo.distance_m(lat, lon, g_lat, g_lon) < 900
    back = geo.gcj02_to_wgs84(g_lat, g_lon)
    assert geo.distance_m(lat, lon, *back) < 0.01  # below a centimetre


def test_baidu_goes_through_gcj02() -> None:
    g = geo.wgs84_to_gcj02(21.4811, 109.12)
    b = geo.gcj02_to_bd09(*g)
    assert geo.distance_m(*geo.to_wgs84(*b, "bd09"), 21.4811, 109.12) < 0.5
    with pytest.raises(ValueError):
        geo.to_wgs84(1, 2, "osgb36")


def test_outside_china_nothing_moves() -> None:
    assert geo.wgs84_to_gcj02(51.5, -0.12) == (51.5, -0.12)
    assert geo.gcj02_to_wgs84(51.5, -0.12) == (51.5, -0.12)


@settings(max_examples=50, deadline=None)
@given(st.floats(18.2, 53.5), st.floats(73.7, 134.7))
def test_the_round_trip_holds_everywhere_in_china(lat: float, lon: float) -> None:
    assert geo.distance_m(lat, lon, *geo.gcj02_to_wgs84(*geo.wgs84_to_gcj02(lat, lon))) < 0.01


def test_distance() -> None:
    assert geo.distance_m(21.0, 109.0, 22.0, 109.0) == pytest.approx(111_195, rel=1e-3)
