"""Field acts: place a project on the map, add progress photos. Atomic and audited.

A photo is never refused for what it says about itself: an old photo, one taken far from the site, or one without
EXIF is stored and flagged for the reviewer (`PhotoFlag`), and its report carries the photo flag, so the bulk
acceptance leaves it for a look. What is refused is a file that is not a photo, or too large.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.core.actor import Actor, allowed, user_of
from touzi.core.scoping import Action, can
from touzi.field.choices import LocationSource, PhotoFlag, ShapeKind
from touzi.field.models import ProgressPhoto, ProjectLocation
from touzi.lib import geo, photos
from touzi.lib.errors import BusinessError, Forbidden
from touzi.projects.models import Project
from touzi.reports.choices import Flag, ReportStatus
from touzi.reports.models import MonthlyReport
from touzi.reports.rules import combines_jan_feb
from touzi.reports.services import flag_report, is_locked

SIX = Decimal("0.000001")
REFUSALS = {
    "too_large": lambda: _("照片超过 %(mb)d MB,请压缩后再上传") % {"mb": photos.MAX_BYTES // (1024 * 1024)},
    "format": lambda: _("只接受 JPEG、PNG、WEBP 格式的照片"),
    "pixels": lambda: _("照片像素过大,请缩小后再上传"),
}


def radius_m(location: ProjectLocation | None) -> int:
    """How far from the project's point a site photo may be taken: the location's own radius, else the plan's."""
    if location is not None and location.radius_m:
        return location.radius_m
    return int(getattr(settings, "FIELD_PHOTO_RADIUS_M", 2000))


def _check_shape(kind: str, shape: Any) -> list[list[float]]:
    if not kind:
        return []
    if not isinstance(shape, list) or len(shape) < (2 if kind == ShapeKind.LINE else 3) or len(shape) > 2000:
        raise BusinessError(_("线至少2个点、面至少3个点(最多2000个)"), field="shape")
    points = []
    for item in shape:
        if not (isinstance(item, list | tuple) and len(item) == 2):
            raise BusinessError(_("坐标格式应为 [经度, 纬度]"), field="shape")
        lon, lat = float(item[0]), float(item[1])
        if not geo.valid_point(lat, lon):
            raise BusinessError(_("坐标超出范围"), field="shape")
        points.append([round(lon, 6), round(lat, 6)])
    return points


@transaction.atomic
def set_location(project: Project, lat: float, lon: float, *, actor: Actor, datum: str = "wgs84",
                 source: str = LocationSource.COORDINATES, shape_kind: str = "", shape: Any = None,
                 radius: int | None = None) -> ProjectLocation:
    """Place `project` at (lat, lon) given in `datum` (stored as WGS-84), with an optional line or area."""
    if not allowed(actor, lambda user: can(user, project, Action.CHANGE)):
        raise Forbidden(_("只有能修改该项目的单位可以标注位置"))
    if source not in LocationSource.values:
        raise BusinessError(_("未知的位置来源"), field="source")
    if shape_kind not in ShapeKind.values:
        raise BusinessError(_("未知的形状"), field="shape_kind")
    try:
        w_lat, w_lon = geo.to_wgs84(float(lat), float(lon), datum)
    except (TypeError, ValueError) as exc:
        raise BusinessError(_("坐标无效"), field="lat") from exc
    if not geo.valid_point(w_lat, w_lon):
        raise BusinessError(_("纬度应在 -90 至 90 之间,经度应在 -180 至 180 之间"), field="lat")
    points = _check_shape(shape_kind, shape or [])
    if datum != "wgs84":
        points = [[round(x, 6) for x in reversed(geo.to_wgs84(p[1], p[0], datum))] for p in points]
    existing = ProjectLocation.objects.select_for_update().filter(project=project).first()
    before = ({"lat": str(existing.lat), "lon": str(existing.lon), "source": existing.source,
               "shape_kind": existing.shape_kind} if existing else None)
    location = existing or ProjectLocation(project=project)
    location.lat, location.lon = Decimal(w_lat).quantize(SIX), Decimal(w_lon).quantize(SIX)
    location.source, location.shape_kind, location.shape = source, shape_kind, points
    location.radius_m = radius or location.radius_m
    location.updated_by = user_of(actor)
    if existing:
        location.version += 1
    location.save()
    record(Event.UPDATE if existing else Event.CREATE, actor=actor, obj=location, subject=project.subject,
           before=before, after={"lat": str(location.lat), "lon": str(location.lon), "source": source,
                                 "datum": datum, "shape_kind": shape_kind, "shape_points": len(points)})
    return location


def _period_start(report: MonthlyReport) -> dt.date:
    if report.month.month == 2 and combines_jan_feb(report.month.year):
        return report.month.replace(month=1)  # 1—2月: the February report covers January too
    return report.month


def photo_flags(taken_at: dt.datetime | None, lat: float | None, lon: float | None,
                location: ProjectLocation | None, report: MonthlyReport | None) -> tuple[list[str], int | None]:
    """The reviewer's flags on a photo and its distance from the site (metres, when both are known)."""
    flags: list[str] = []
    if taken_at is None and lat is None:
        flags.append(PhotoFlag.NO_EXIF)
    elif taken_at is None:
        flags.append(PhotoFlag.NO_TIME)
    elif lat is None:
        flags.append(PhotoFlag.NO_GPS)
    if taken_at is not None and report is not None and taken_at.date() < _period_start(report):
        flags.append(PhotoFlag.OLDER)
    distance = None
    if lat is not None and lon is not None:
        if location is None:
            flags.append(PhotoFlag.NO_SITE)
        else:
            distance = round(geo.distance_m(float(location.lat), float(location.lon), lat, lon))
            if distance > radius_m(location):
                flags.append(PhotoFlag.FAR)
    return flags, distance


@transaction.atomic
def add_photo(project: Project, upload: Any, *, actor: Actor, report: MonthlyReport | None = None,
              caption: str = "") -> ProgressPhoto:
    """Store one progress photo of `project` (with its report): re-encoded, EXIF read, flagged, audited."""
    if not allowed(actor, lambda user: can(user, project, Action.CHANGE)):
        raise Forbidden(_("只有能修改该项目的单位可以上传现场照片"))
    if report is not None and (report.project_id != project.pk or report.status == ReportStatus.ACCEPTED
                               or is_locked(report.month)):
        raise BusinessError(_("已审核或已锁定的月报不能再添加照片"))
    size = getattr(upload, "size", None) or 0
    if size > photos.MAX_BYTES:
        raise BusinessError(REFUSALS["too_large"](), field="photos")
    blob = upload.read() if hasattr(upload, "read") else bytes(upload)
    name = (getattr(upload, "name", "") or "photo.jpg")[-200:]
    try:
        shot = photos.process(blob)
    except photos.PhotoRefused as exc:
        message = REFUSALS.get(str(exc), lambda: _("无法识别为照片:%(name)s") % {"name": name})()
        raise BusinessError(message, field="photos") from exc
    location = ProjectLocation.objects.filter(project=project).first()
    taken = shot.taken_at
    flags, distance = photo_flags(taken, shot.lat, shot.lon, location, report)
    digest = hashlib.sha256(blob).hexdigest()
    if ProgressPhoto.objects.filter(project=project, sha256=digest).exists():
        flags.append(PhotoFlag.DUPLICATE)
    item = ProgressPhoto(
        project=project, report=report, original_name=name, width=shot.width, height=shot.height,
        size=len(shot.jpeg), sha256=digest, caption=caption[:200],
        taken_at=timezone.make_aware(taken) if taken is not None else None,
        lat=Decimal(shot.lat).quantize(SIX) if shot.lat is not None else None,
        lon=Decimal(shot.lon).quantize(SIX) if shot.lon is not None else None,
        distance_m=distance, flags=flags, uploaded_by=user_of(actor))
    item.image.save(f"{digest[:32]}.jpg", ContentFile(shot.jpeg), save=False)
    item.thumbnail.save(f"{digest[:32]}-t.jpg", ContentFile(shot.thumbnail), save=False)
    item.save()
    if report is not None and flags:
        flag_report(report, Flag.PHOTO)  # the review queue shows it; bulk acceptance leaves the report
    record(Event.CREATE, actor=actor, obj=item, subject=project.subject,
           after={"report": report.pk if report else None, "name": name, "sha256": digest, "flags": flags,
                  "taken_at": taken.isoformat() if taken else None, "distance_m": distance})
    return item


def save_report_photos(report: MonthlyReport, files: list[Any], actor: Actor) -> None:
    """The report form's photos (touzi.reports.extensions); a flagged photo of an earlier upload keeps the flag."""
    for upload in files:
        add_photo(report.project, upload, actor=actor, report=report)
    flagged = any(ProgressPhoto.objects.filter(report=report).values_list("flags", flat=True))
    if flagged and Flag.PHOTO not in (report.flags or []):
        flag_report(report, Flag.PHOTO)


@transaction.atomic
def location_from_photo(photo: ProgressPhoto, *, actor: Actor) -> ProjectLocation:
    if photo.lat is None or photo.lon is None:
        raise BusinessError(_("这张照片没有拍摄位置"))
    return set_location(photo.project, float(photo.lat), float(photo.lon), actor=actor, source=LocationSource.PHOTO)
