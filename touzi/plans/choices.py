from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    """The group a target is shown in."""

    OVERALL = "overall", _("总体目标")
    DOMAIN = "domain", _("重点领域")
    FINANCING = "financing", _("投融资")
    PROMOTION = "promotion", _("招商引资")
    GOVERNANCE = "governance", _("管理规则")


class ScopeKind(models.TextChoices):
    OVERALL = "overall", _("全市")
    DOMAIN = "domain", _("领域")
    COLLECTION = "collection", _("专项")
    COUNTY = "county", _("县区")
    UNIT = "unit", _("单位")


class Metric(models.TextChoices):
    INVESTMENT = "investment", _("完成投资")
    GROWTH = "growth", _("增速")
    AMOUNT = "amount", _("金额")
    SHARE = "share", _("占比")
    COUNT = "count", _("数量")
    AREA = "area", _("面积")
    THRESHOLD = "threshold", _("门槛")


class PeriodKind(models.TextChoices):
    YEAR = "year", _("年度")
    RANGE = "range", _("累计")
    EACH = "each", _("每年")
    END = "end", _("期末")


class Comparator(models.TextChoices):
    GTE = ">=", "≥"
    GT = ">", ">"
    EQ = "=", "="
    LTE = "<=", "≤"
    LT = "<", "<"


class MeasureSource(models.TextChoices):
    LEDGER = "ledger", _("项目台账")
    INDICATOR = "indicator", _("指标填报")
    RULE = "rule", _("管理参数")
    PROMOTION = "promotion", _("招商签约台账")
    FINANCING = "financing", _("投融资台账")


class GroupKind(models.TextChoices):
    OFFICE = "office", _("领导小组办公室")
    SUBGROUP = "subgroup", _("专项工作组")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("按月")
    QUARTERLY = "quarterly", _("按季")
    ANNUAL = "annual", _("按年")


class Duty(models.TextChoices):
    LEAD = "lead", _("牵头")
    COOPERATE = "cooperate", _("配合")
