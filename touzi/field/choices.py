from django.db import models
from django.utils.translation import gettext_lazy as _


class LocationSource(models.TextChoices):
    """How a project's point was entered."""

    MAP = "map", _("在地图上点选")
    PHOTO = "photo", _("取自照片的GPS")
    COORDINATES = "coordinates", _("输入坐标")


class Datum(models.TextChoices):
    """The coordinate system a pasted point is in (touzi.lib.geo); Touzi stores WGS-84."""

    WGS84 = "wgs84", _("WGS-84(GPS、天地图)")
    GCJ02 = "gcj02", _("GCJ-02(高德、腾讯地图)")
    BD09 = "bd09", _("BD-09(百度地图)")


class ShapeKind(models.TextChoices):
    NONE = "", _("仅点位")
    LINE = "LineString", _("线(道路、管线)")
    AREA = "Polygon", _("面(园区、公园)")


class PhotoFlag(models.TextChoices):
    """What the reviewer is told about a photo; never a reason to refuse it."""

    NO_EXIF = "no_exif", _("照片没有拍摄时间和位置信息")
    NO_TIME = "no_time", _("照片没有拍摄时间")
    NO_GPS = "no_gps", _("照片没有拍摄位置")
    OLDER = "older", _("拍摄时间早于报告期")
    FAR = "far", _("拍摄地点距项目位置超出范围")
    NO_SITE = "no_site", _("项目尚未标注位置,无法核对拍摄地点")
    DUPLICATE = "duplicate", _("同一照片已上传过")


class ColourBy(models.TextChoices):
    """What colours the points on the map."""

    WARNING = "warning", _("预警等级")
    STAGE = "stage", _("项目阶段")
    STATUS = "status", _("月报状态")
