"""考核: the assessment schemes of a plan (from its plan file) and the office's manual adjustments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from touzi.plans.models import Plan
from touzi.units.models import Unit


class AssessmentScheme(models.Model):
    """考核方案: the units assessed, indicators with weights and rules, bonus and deductions, for some years.

    Written from the plan file's `assessment:` section on every load (touzi.assessment.services.store_section);
    `spec` is the section's scheme as checked (touzi.assessment.schema.SchemeSpec)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="assessment_schemes")
    key = models.SlugField(_("标识"), max_length=64)
    name = models.CharField(_("名称"), max_length=128)
    years = models.JSONField(_("考核年度"), default=list)
    units = models.ManyToManyField(Unit, verbose_name=_("考核对象"), related_name="assessment_schemes")
    spec = models.JSONField(_("考核规则"), default=dict)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["plan", "order", "key"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="assessment_scheme_unique_key")]

    def __str__(self) -> str:
        return self.name


class ManualAdjustment(models.Model):
    """人工调整: points the plan office adds to (or takes from) a unit's score of a year, with its reason.

    Shown apart from the computed parts; `points` > 0 adds to the bonus, < 0 to the deduction, outside the caps."""

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="adjustments")
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    # The first month it counts in (monthly scores from this month on and the year's); None: the whole year.
    month = models.PositiveSmallIntegerField(_("起算月份"), null=True, blank=True)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("调整理由"))
    document = models.CharField(_("依据文件"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("调整时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("考核人工调整")
        verbose_name_plural = _("考核人工调整")
        ordering = ["year", "unit_id", "created_at"]
        permissions = [("adjust_assessment", _("调整考核得分"))]
        constraints = [models.CheckConstraint(condition=~models.Q(points=0), name="adjustment_not_zero")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.points:+}"
