"""工程咨询单位: consulting firms, their engagements on projects, and each project's investment at every stage."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from touzi.consulting.choices import EngagementKind, Grade, Stage
from touzi.projects.models import MONEY, Project


class Firm(models.Model):
    """工程咨询单位: a firm that prepares feasibility studies, designs and estimates, appraisals, cost work."""

    name = models.CharField(_("单位名称"), max_length=200, unique=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    credit_grade = models.CharField(_("资信等级"), max_length=32, blank=True)
    contact = models.CharField(_("联系人"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("工程咨询单位")
        verbose_name_plural = _("工程咨询单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Engagement(models.Model):
    """咨询委托: a firm's engagement on a project, with its deliverable's due and delivery dates."""

    firm = models.ForeignKey(Firm, verbose_name=_("咨询单位"), on_delete=models.PROTECT, related_name="engagements")
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="consulting_engagements")
    kind = models.CharField(_("委托内容"), max_length=16, choices=EngagementKind.choices)
    contracted_on = models.DateField(_("委托日期"))
    due_on = models.DateField(_("约定交付日期"), null=True, blank=True)
    delivered_on = models.DateField(_("实际交付日期"), null=True, blank=True)
    document = models.CharField(_("成果文件"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("咨询委托")
        verbose_name_plural = _("咨询委托")
        ordering = ["contracted_on", "id"]
        indexes = [models.Index(fields=["firm", "due_on"])]

    def __str__(self) -> str:
        return f"{self.firm} · {self.project} · {self.get_kind_display()}"


class StageFigure(models.Model):
    """阶段投资额: a project's total investment as one stage states it (估算, 概算, 预算, 决算), with its date,
    document and the firm that prepared it (whose accuracy the next stage measures)."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="stage_figures")
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices)
    amount = models.DecimalField(_("总投资(万元)"), **MONEY)
    dated = models.DateField(_("批复或编制日期"))
    document = models.CharField(_("文件及文号"), max_length=255, blank=True)
    firm = models.ForeignKey(Firm, verbose_name=_("编制单位"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="stage_figures")

    class Meta:
        verbose_name = _("阶段投资额")
        verbose_name_plural = _("阶段投资额")
        ordering = ["project_id", "dated"]
        constraints = [
            models.UniqueConstraint(fields=["project", "stage"], name="stage_figure_one_per_stage"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="stage_figure_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.get_stage_display()} {self.amount}"


class Evaluation(models.Model):
    """评价结果: a firm's published evaluation of a year, its figures frozen as published."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="evaluations")
    year = models.PositiveSmallIntegerField(_("年度"))
    grade = models.CharField(_("评价等级"), max_length=16, choices=Grade.choices)
    figures = models.JSONField(_("评价依据"), default=dict)
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        verbose_name = _("咨询单位评价结果")
        verbose_name_plural = _("咨询单位评价结果")
        ordering = ["-year", "firm__name"]
        constraints = [models.UniqueConstraint(fields=["firm", "year"], name="evaluation_one_per_firm_year")]

    def __str__(self) -> str:
        return f"{self.firm} {self.year} {self.get_grade_display()}"
