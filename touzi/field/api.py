"""Locations and site photos over the API (/api/v1/field). Photos are uploaded with their report (the web form);
here they are listed, with where they were taken only for the roles that see it (touzi.field.scoping)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from touzi.core.http import TouziRequest
from touzi.field.models import ProgressPhoto, ProjectLocation
from touzi.field.scoping import sees_gps
from touzi.field.selectors import gallery, location_of
from touzi.field.services import set_location
from touzi.lib.apischema import RowId, errors
from touzi.projects.selectors import visible_projects

router = Router(tags=["field"])

Lat = Annotated[float, Field(ge=-90, le=90)]
Lon = Annotated[float, Field(ge=-180, le=180)]
Point = Annotated[list[float], Field(min_length=2, max_length=2)]


class LocationOut(Schema):
    project: int
    lat: Decimal  # WGS-84
    lon: Decimal
    source: str
    shape_kind: str
    shape: list[list[float]]  # [lon, lat], WGS-84
    radius_m: int | None
    version: int


class LocationIn(Schema):
    lat: Lat
    lon: Lon
    datum: Literal["wgs84", "gcj02", "bd09"] = "wgs84"
    shape_kind: Literal["", "LineString", "Polygon"] = ""
    shape: Annotated[list[Point], Field(max_length=2000)] = []
    radius: Annotated[int, Field(ge=50, le=100000)] | None = None


class PhotoOut(Schema):
    id: int
    project: int
    report: int | None
    taken_at: dt.datetime | None
    lat: Decimal | None  # only for the roles that see where photos were taken
    lon: Decimal | None
    distance_m: int | None
    flags: list[str]
    width: int
    height: int
    uploaded_at: dt.datetime


class PhotoFilter(Schema):
    project: RowId | None = None
    flagged: bool = False


def _location_out(location: ProjectLocation) -> dict:
    return {"project": location.project_id, "lat": location.lat, "lon": location.lon, "source": location.source,
            "shape_kind": location.shape_kind, "shape": location.shape, "radius_m": location.radius_m,
            "version": location.version}


def _photo_out(photo: ProgressPhoto, gps: bool) -> dict:
    return {"id": photo.pk, "project": photo.project_id, "report": photo.report_id, "taken_at": photo.taken_at,
            "lat": photo.lat if gps else None, "lon": photo.lon if gps else None,
            "distance_m": photo.distance_m if gps else None, "flags": photo.flags, "width": photo.width,
            "height": photo.height, "uploaded_at": photo.uploaded_at}


@router.get("/projects/{pk}/location", response={200: LocationOut, **errors(400, 404, 422)}, summary="项目位置")
def get_location(request: TouziRequest, pk: RowId):
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    location = location_of(request.user, project)
    if location is None:
        return 404, {"detail": "该项目尚未标注位置"}
    return _location_out(location)


@router.put("/projects/{pk}/location", response={200: LocationOut, **errors(400, 403, 404, 422)},
            summary="标注项目位置(WGS-84,或 GCJ-02、BD-09 换算)")
def put_location(request: TouziRequest, pk: RowId, body: LocationIn):
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    location = set_location(project, body.lat, body.lon, datum=body.datum, source="coordinates",
                            shape_kind=body.shape_kind, shape=body.shape, radius=body.radius, actor=request.user)
    return _location_out(location)


@router.get("/photos", response={200: list[PhotoOut], **errors(400, 404, 422)}, summary="现场照片(按拍摄时间倒序)")
def list_photos(request: TouziRequest, filters: Query[PhotoFilter]):
    project = get_object_or_404(visible_projects(request.user), pk=filters.project) if filters.project else None
    gps = sees_gps(request.user)
    return [_photo_out(p, gps) for p in gallery(request.user, project=project, flagged=filters.flagged)[:500]]
