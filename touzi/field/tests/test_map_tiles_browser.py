"""In a real browser: an installation with a tile server (TOUZI_MAP_TILE_URL) sees the project map over its tiles.

The tiles come from a small HTTP server in a thread (the only host outside the live server the page may reach); the
map requests them, draws them, still draws the project points, clusters and county outlines over them, and a point
still opens its project. The Content-Security-Policy lets the tile host's images in (browser_page fails on anything
it blocks); the offline test (touzi/field/tests/test_field_browser.py) keeps the setting off.
"""

from __future__ import annotations

import io
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from touzi.testing import PASSWORD, new_project
from touzi.testing_browser import browser_page, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 230, 200)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def tile_server():
    tile = _png()
    requested: list[str] = []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requested.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(tile)))
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requested
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("datum", ["wgs84", "gcj02"])
def test_the_map_is_drawn_over_the_installations_tiles_and_points_still_open_their_project(
        live_server, projects, olive, settings, tile_server, datum) -> None:
    from touzi.core.actor import System
    from touzi.field.services import set_location

    origin, requested = tile_server
    settings.MAP_TILE_URL = origin + "/tiles/{z}/{x}/{y}.png?key=k"
    settings.MAP_TILE_ATTRIBUTION = "© 测试图源 <b>not markup</b>"
    settings.MAP_TILE_DATUM = datum
    plant = projects["plant"]
    set_location(plant, 21.48, 109.12, actor=System("test"))
    for i in range(3):  # three projects in one place: one cluster bubble
        p = new_project(f"铁山港集群项目{i}", county="county-a", owner="owner-a")
        set_location(p, 21.60 + 0.0001 * i, 109.45, actor=System("test"))

    with browser_page() as page:
        outside: list[str] = []

        def only_here(route) -> None:
            url = route.request.url
            if url.startswith((live_server.url, origin)):
                route.continue_()
            else:
                outside.append(url)
                route.abort()

        page.route("**/*", only_here)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error} {error.stack}"))
        page.set_viewport_size({"width": 1440, "height": 900})
        sign_in(page, live_server.url, "olive", PASSWORD)
        response = page.goto(f"{live_server.url}/field/map/")
        assert origin in response.headers["content-security-policy"]
        page.wait_for_selector("#project-map[data-drawn]")
        page.wait_for_selector("#project-map img.leaflet-tile-loaded")
        assert page.get_attribute("#project-map", "data-tiles") == datum
        assert requested and all(r.startswith("/tiles/") and r.endswith(".png?key=k") for r in requested)
        assert page.locator("#project-map path.map-point").count() == 1  # the plant alone
        assert page.locator("#project-map .map-cluster").inner_text() == "3"
        assert page.locator("#project-map path.leaflet-interactive").count() >= 1
        assert page.locator("#project-map svg path").count() > 1  # the county outlines are drawn too
        attribution = page.locator(".leaflet-control-attribution")
        assert "© 测试图源 <b>not markup</b>" in attribution.inner_text()  # shown as text
        assert attribution.locator("b").count() == 0
        # a cluster zooms in; a point opens its project
        zoom = page.get_attribute("#project-map", "data-zoom")
        page.locator("#project-map .map-cluster").click()
        page.wait_for_selector(f"#project-map:not([data-zoom='{zoom}'])")
        assert float(page.get_attribute("#project-map", "data-zoom")) > float(zoom)
        page.goto(f"{live_server.url}/field/map/")
        page.wait_for_selector("#project-map[data-drawn]")
        page.locator("#project-map path.map-point").click()
        page.wait_for_url(f"{live_server.url}/projects/*/")
        assert outside == []

        # the location picker draws over the same tiles and takes a click in the tiles' datum
        page.goto(f"{live_server.url}/field/projects/{plant.pk}/location/")
        page.wait_for_selector("#pick-map[data-ready]")
        page.select_option("#id_datum", "bd09")  # the click must set it
        before = page.input_value("#id_lat")
        page.click("#pick-map", position={"x": 200, "y": 150})
        assert page.input_value("#id_datum") == datum, errors
        assert page.input_value("#id_lat") not in ("", before)
        assert errors == []


def test_no_two_bubbles_of_the_map_cover_each_other(live_server, projects, olive, settings, tile_server) -> None:
    """Forty projects scattered over a few kilometres: the clusters of neighbouring grid cells would sit on top of
    one another (their counts unreadable); the map merges bubbles until none overlap, and every project is counted."""
    from touzi.core.actor import System
    from touzi.field.services import set_location

    origin, _ = tile_server
    settings.MAP_TILE_URL = origin + "/tiles/{z}/{x}/{y}.png"
    settings.MAP_TILE_DATUM = "gcj02"
    for i in range(40):
        p = new_project(f"散点项目{i}", county="county-a", owner="owner-a")
        set_location(p, 21.60 + 0.004 * (i % 7) + 0.0007 * i, 109.40 + 0.005 * (i % 5) + 0.0004 * i, actor=System("test"))
    with browser_page() as page:
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith((live_server.url, origin))
                   else route.abort())
        page.set_viewport_size({"width": 1440, "height": 900})
        sign_in(page, live_server.url, "olive", PASSWORD)
        page.goto(f"{live_server.url}/field/map/")
        page.wait_for_selector("#project-map[data-drawn]")
        boxes = page.eval_on_selector_all(
            "#project-map .map-cluster, #project-map path.map-point",
            "els => els.map(e => { const r = e.getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2, r.width / 2, e.classList.contains('map-cluster') ?"
            " Number(e.textContent) : 1]; })")
        assert sum(b[3] for b in boxes) == 40
        assert len(boxes) > 1
        for i, (x1, y1, r1, _) in enumerate(boxes):
            for x2, y2, r2, _ in boxes[i + 1:]:
                assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= r1 + r2 - 1, boxes
