from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from touzi.field.choices import LocationSource, ShapeKind
from touzi.projects.models import Project
from touzi.reports.models import MonthlyReport

LAT: dict[str, Any] = {"max_digits": 9, "decimal_places": 6}  # ~0.1 m
LON: dict[str, Any] = {"max_digits": 10, "decimal_places": 6}


class ProjectLocation(models.Model):
    """项目位置: a point in WGS-84, and optionally a line (road) or area (park) as GeoJSON coordinates."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="location")
    lat = models.DecimalField(_("纬度(WGS-84)"), **LAT)
    lon = models.DecimalField(_("经度(WGS-84)"), **LON)
    source = models.CharField(_("来源"), max_length=16, choices=LocationSource.choices)
    shape_kind = models.CharField(_("线或面"), max_length=16, choices=ShapeKind.choices, blank=True)
    shape = models.JSONField(_("线或面的坐标(WGS-84,[经度, 纬度])"), default=list, blank=True)
    # How far from the point a site photo may be taken before it is flagged (the plan's radius by default).
    radius_m = models.PositiveIntegerField(_("核对半径(米)"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("项目位置")
        verbose_name_plural = _("项目位置")
        constraints = [
            models.CheckConstraint(condition=models.Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                                   name="location_on_earth"),
        ]

    def __str__(self) -> str:
        return f"{self.project} ({self.lat}, {self.lon})"


class ProgressPhoto(models.Model):
    """现场照片: a progress photo of a project, usually sent with a monthly report; stored re-encoded."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="photos")
    report = models.ForeignKey(MonthlyReport, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="photos")
    image = models.FileField(_("照片"), upload_to="photos/%Y/%m/")
    thumbnail = models.FileField(_("缩略图"), upload_to="photos/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)  # of the uploaded bytes (the same photo twice is noticed)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    lat = models.DecimalField(_("拍摄纬度"), null=True, blank=True, **LAT)
    lon = models.DecimalField(_("拍摄经度"), null=True, blank=True, **LON)
    distance_m = models.PositiveIntegerField(_("距项目位置(米)"), null=True, blank=True)
    flags = models.JSONField(_("提示"), default=list, blank=True)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("现场照片")
        verbose_name_plural = _("现场照片")
        ordering = ["-taken_at", "-uploaded_at"]
        indexes = [models.Index(fields=["project", "taken_at"]), models.Index(fields=["report"])]

    def __str__(self) -> str:
        return self.original_name

    @property
    def flag_labels(self) -> list[str]:
        from touzi.field.choices import PhotoFlag

        return [str(PhotoFlag(f).label) if f in PhotoFlag.values else f for f in self.flags or []]
