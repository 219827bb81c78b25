from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from touzi.lib.bounds import MEASURE_COLUMN
from touzi.plans.models import Domain, Indicator
from touzi.units.models import Unit


class IndicatorValue(models.Model):
    """指标值: the figure a unit reports for an indicator as of a month, year to date, with its source.

    Values are cumulative for the year as Chinese statistics publish them
    ("1—6月新增社会融资规模X亿元"); a growth indicator holds the year-to-date
    growth rate. An annual indicator is entered as of December.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    # The optional breakdown: a county's (and/or a domain's) own value of the indicator, beside the whole
    # plan's value (both empty). A county target of the plan attains per county from these.
    county = models.ForeignKey(Unit, verbose_name=_("县区"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    domain = models.ForeignKey(Domain, verbose_name=_("领域"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    month = models.DateField(_("所属月份"))
    value = models.DecimalField(_("数值"), **MEASURE_COLUMN)
    source = models.CharField(_("数据来源"), max_length=255)
    note = models.TextField(_("说明"), blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to="indicators/%Y/", blank=True)
    evidence_name = models.CharField(_("佐证文件名"), max_length=255, blank=True)
    # The type detected from the file's content when it was checked: what it is served as, whatever its name.
    evidence_type = models.CharField(max_length=64, blank=True)
    evidence_flags = models.JSONField(default=list, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(_("填报时间"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("指标值")
        verbose_name_plural = _("指标值")
        ordering = ["indicator", "-month"]
        # One value per month for the whole, per county, per domain and per county and domain (partial unique
        # indexes: NULLs are distinct in a plain unique constraint).
        constraints = [
            models.UniqueConstraint(fields=["indicator", "month"], name="indicator_value_one_per_month",
                                    condition=models.Q(county__isnull=True, domain__isnull=True)),
            models.UniqueConstraint(fields=["indicator", "month", "county"], name="indicator_value_one_per_county",
                                    condition=models.Q(county__isnull=False, domain__isnull=True)),
            models.UniqueConstraint(fields=["indicator", "month", "domain"], name="indicator_value_one_per_domain",
                                    condition=models.Q(county__isnull=True, domain__isnull=False)),
            models.UniqueConstraint(fields=["indicator", "month", "county", "domain"],
                                    name="indicator_value_one_per_county_domain",
                                    condition=models.Q(county__isnull=False, domain__isnull=False)),
        ]
        indexes = [models.Index(fields=["indicator", "month"]), models.Index(fields=["indicator", "county", "month"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.month:%Y-%m} {self.value}"

    @property
    def period(self) -> str:
        return f"{self.month:%Y-%m}"
