"""Demo field data: a location for every demo project in the Beihai region, inside its county's outline, and a few
site photos (one of them flagged) for the airport's projects, the demo owner's.

Deterministic (`random.Random(seed)`), bulk-written, quick; running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.core.actor import System
from touzi.field.choices import LocationSource, ShapeKind
from touzi.field.models import ProgressPhoto, ProjectLocation
from touzi.field.samples import sample_jpeg
from touzi.field.services import add_photo
from touzi.lib.geo import gcj02_to_wgs84
from touzi.projects.models import Project
from touzi.reports.choices import ReportStatus
from touzi.reports.models import MonthlyReport

OUTLINES = Path(__file__).parent / "static" / "field" / "beihai-counties.geojson"
OWNER_KEY = "airport"
SIX = Decimal("0.000001")


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [polygon[0] for polygon in geometry["coordinates"]]


def _inside(lon: float, lat: float, ring: list[list[float]]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def counties() -> dict[str, tuple[list[list[list[float]]], list[float]]]:
    """{division code: (outer rings, centre)} of the vendored outlines (GCJ-02)."""
    data = json.loads(OUTLINES.read_text(encoding="utf-8"))
    # every 8th vertex: enough to keep a demo point inside its county, an eighth of the work
    return {str(f["id"]): ([ring[::8] for ring in _rings(f["geometry"]) if len(ring) >= 32],
                           f["properties"]["cp"]) for f in data["features"]}


def _point(rng: random.Random, rings: list[list[list[float]]], centre: list[float]) -> tuple[float, float]:
    """A point inside the county (GCJ-02 lon, lat), near its centre where its projects cluster."""
    biggest = max(rings, key=len)
    xs, ys = [p[0] for p in biggest], [p[1] for p in biggest]
    for spread in (0.35, 0.6, 1.0):
        for _ in range(40):
            lon = centre[0] + (rng.random() - 0.5) * (max(xs) - min(xs)) * spread
            lat = centre[1] + (rng.random() - 0.5) * (max(ys) - min(ys)) * spread
            if any(_inside(lon, lat, ring) for ring in rings):
                return lon, lat
    return centre[0], centre[1]


def seed(*, rng_seed: int = 23) -> int:
    """Locations for the demo projects (once), then the photos; returns how many locations were written."""
    if ProjectLocation.objects.exists():
        return 0
    outlines = counties()
    rng = random.Random(rng_seed)
    rows = list(Project.objects.filter(county__division_code__in=list(outlines))
                .values_list("id", "county__division_code", "domain__key").order_by("id"))
    locations = []
    for project_id, code, domain in rows:
        rings, centre = outlines[code]
        lon, lat = _point(rng, rings, centre)
        w_lat, w_lon = gcj02_to_wgs84(lat, lon)
        shape_kind, shape = "", []
        if domain in ("highway", "railway", "transport", "water") and rng.random() < 0.3:  # some roads as lines
            shape_kind = ShapeKind.LINE
            shape = [[round(w_lon + dx, 6), round(w_lat + dy, 6)]
                     for dx, dy in ((-0.02, -0.01), (0.0, 0.0), (0.018, 0.012))]
        locations.append(ProjectLocation(project_id=project_id, lat=Decimal(w_lat).quantize(SIX),
                                         lon=Decimal(w_lon).quantize(SIX), source=LocationSource.MAP,
                                         shape_kind=shape_kind, shape=shape))
    with transaction.atomic():
        ProjectLocation.objects.bulk_create(locations, batch_size=1000)
        record(Event.CREATE, object_type="field.demo", object_repr="演示项目位置",
               after={"locations": len(locations)}, message="生成演示项目位置")
    _photos()
    return len(locations)


def _photos() -> None:
    """Four photos of an airport project (the demo owner's), one far from the site; and where an airport report
    waits for review, a photo on it without EXIF, so the review queue shows a flagged report."""
    if ProgressPhoto.objects.exists():
        return
    actor = System("demo")
    project = (Project.objects.filter(owner__key=OWNER_KEY, location__isnull=False)
               .order_by("-total_investment").first())
    if project is None:
        return
    site = project.location
    base = dt.datetime(2023, 11, 8, 10, 0)
    for i in range(4):
        far = i == 3
        lat = float(site.lat) + (0.08 if far else 0.001 * i)
        lon = float(site.lon) + (0.05 if far else 0.0008 * i)
        blob = sample_jpeg(lat=lat, lon=lon, taken=base + dt.timedelta(days=7 * i), seed=i)
        add_photo(project, SimpleUploadedFile(f"现场{i + 1}.jpg", blob, "image/jpeg"), actor=actor,
                  caption=f"演示现场照片 {i + 1}")
    waiting = (MonthlyReport.objects.filter(project__owner__key=OWNER_KEY, status=ReportStatus.SUBMITTED)
               .select_related("project").order_by("-month").first())
    if waiting is not None:
        add_photo(waiting.project, SimpleUploadedFile("旧照片.jpg", sample_jpeg(seed=9), "image/jpeg"),
                  actor=actor, report=waiting)
