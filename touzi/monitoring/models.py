from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypedDict

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from touzi.plans.models import Plan


class _RatioColumn(TypedDict):
    """The options every ratio column shares, typed so that the checker sees what `**RATIO` passes."""

    max_digits: int
    decimal_places: int
    validators: list[Callable[[Any], None]]


RATIO = _RatioColumn(max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(2)])


class MonitoringSettings(models.Model):
    """监测参数: the thresholds a plan office sets for its plan (defaults follow city platforms' practice)."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="monitoring")
    yellow_ratio = models.DecimalField(_("黄色:低于序时进度的比例"), default=Decimal("0.80"), **RATIO,
                                       help_text=_("完成率低于序时进度的该倍数时为滞后,例如 0.80"))
    red_ratio = models.DecimalField(_("红色:低于序时进度的比例"), default=Decimal("0.60"), **RATIO,
                                    help_text=_("完成率低于序时进度的该倍数时为严重滞后,例如 0.60"))
    project_yellow_ratio = models.DecimalField(_("项目黄色:低于年度计划序时的比例"), default=Decimal("0.80"),
                                               **RATIO)
    project_red_ratio = models.DecimalField(_("项目红色:低于年度计划序时的比例"), default=Decimal("0.60"), **RATIO)
    report_deadline_day = models.PositiveSmallIntegerField(
        _("月报报送截止日(次月)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(28)])
    late_red_months = models.PositiveSmallIntegerField(_("开工/竣工逾期几个月为红色"), default=3)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("监测参数")
        verbose_name_plural = _("监测参数")

    def __str__(self) -> str:
        return f"{self.plan}"
