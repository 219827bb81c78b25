from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from touzi.projects.models import MONEY, Project
from touzi.reports.choices import ReportStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class MonthlyReport(models.Model):
    """月报: the investment a project completed in one month, with progress, problems and evidence.

    `month` is the first day of the month. Where the plan combines January and
    February, the February report covers both (1—2月) and January has none.
    """

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="reports")
    month = models.DateField(_("报告期"))
    amount = models.DecimalField(_("本月完成投资(万元)"), **MONEY)
    progress = models.TextField(_("形象进度"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    flags = models.JSONField(_("提示"), default=list, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("月报")
        verbose_name_plural = _("月报")
        ordering = ["-month", "project_id"]
        permissions = [("review_monthlyreport", _("审核月报"))]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="report_one_per_project_month"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="report_amount_not_negative"),
        ]
        indexes = [
            # Covering for the monitoring's range reads (a month range, accepted, summed by project): an
            # index-only scan over just the months asked for, however many years the ledger holds.
            models.Index(fields=["month", "status", "project", "amount"], name="report_month_covering"),
            models.Index(fields=["project", "month", "status"]),
            # The briefing's 项目单位反映的问题: the month's reports that say something under 存在问题 (few), without
            # reading every report of the month (a nation's month is ~850,000).
            models.Index(fields=["month"], condition=~models.Q(problems=""), name="report_month_with_problems"),
            # The assessment's deductions count the returned reports of a period: few, found without a scan.
            models.Index(fields=["month"], condition=~models.Q(return_reason=""), name="report_month_returned"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y-%m}"

    @property
    def period(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def flag_notes(self) -> list:
        """The flags in words, with why each was raised (touzi.reports.flags)."""
        from touzi.reports.flags import flag_notes

        return flag_notes(self.flags or [])


class Evidence(models.Model):
    """佐证材料: a PDF or image that backs a monthly figure (数出有据)."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("类型"), max_length=64)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    # What the reviewer is warned of (touzi.lib.evidence: a PDF's active content), never a reason to refuse.
    flags = models.JSONField(_("提示"), default=list, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class MonthLock(models.Model):
    """月度锁定: after the lock a month's figures change only by recorded adjustments."""

    month = models.DateField(_("月份"), unique=True)
    locked_at = models.DateTimeField(_("锁定时间"), auto_now_add=True)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("月度锁定")
        verbose_name_plural = _("月度锁定")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class Adjustment(models.Model):
    """调整: a correction to a locked month, by the reporting unit, with its reason; it counts in every total."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="adjustments")
    month = models.DateField(_("所属月份"))
    delta = models.DecimalField(_("调整额(万元)"), **MONEY)
    reason = models.TextField(_("调整原因"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("调整")
        verbose_name_plural = _("调整")
        ordering = ["month", "created_at"]
        indexes = [models.Index(fields=["project", "month"]), models.Index(fields=["month"])]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y-%m} {self.delta:+}"


def _money_month(label: StrOrPromise) -> models.DecimalField:
    return models.DecimalField(label, default=0, **MONEY)


class CountedYear(models.Model):
    """年度计入投资: a project's counted investment of one year, month by month (accepted reports plus adjustments).

    `ytdN` is the counted amount of January to month N (year to date), so any month range of a year is one
    subtraction (ytd_last − ytd_before_first) and a whole year is ytd12: a reader adds one or two numbers
    per row, not up to twelve. Derived data, never edited by hand: `touzi.reports.counted.refresh` rewrites a
    project's rows from its reports and adjustments, called by the only writers of those — the acts of
    `reports.services` and the bulk paths of `reports.bulk` — in the transaction of the write. No save
    override, queryset or signal does it behind their back. Monitoring reads one row per project and year
    instead of one per report, so a province's year-to-date reads 20,000 rows, not 240,000, and a nation's
    10^6, not 6 × 10^6.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="counted_years")
    year = models.PositiveSmallIntegerField(_("年度"))
    ytd1 = _money_month(_("1—1月"))
    ytd2 = _money_month(_("1—2月"))
    ytd3 = _money_month(_("1—3月"))
    ytd4 = _money_month(_("1—4月"))
    ytd5 = _money_month(_("1—5月"))
    ytd6 = _money_month(_("1—6月"))
    ytd7 = _money_month(_("1—7月"))
    ytd8 = _money_month(_("1—8月"))
    ytd9 = _money_month(_("1—9月"))
    ytd10 = _money_month(_("1—10月"))
    ytd11 = _money_month(_("1—11月"))
    ytd12 = _money_month(_("1—12月"))

    class Meta:
        verbose_name = _("年度计入投资")
        verbose_name_plural = _("年度计入投资")
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="counted_one_per_project_year")]
        indexes = [models.Index(fields=["year", "project"], name="counted_year_project")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}"

