from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    BUREAU = "bureau", _("市直部门")
    CITY = "city", _("设区市")
    COUNTY = "county", _("县区")
    PARK = "park", _("园区管委会")
    OFFICE = "office", _("议事协调机构")
    BANK = "bank", _("金融机构")
    ENTERPRISE = "enterprise", _("企业")
    OTHER = "other", _("其他单位")
