"""The project pipeline (谋划储备 and 前期): concepts and their screening, 前期工作 milestones, 前期经费,
and each project's place in the statistics register (统计入库)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from touzi.lib.bounds import MONEY_COLUMN
from touzi.pipeline.choices import ConceptStatus, RegisterStatus
from touzi.plans.models import Domain
from touzi.projects.models import Project
from touzi.units.models import Unit


class Concept(models.Model):
    """谋划项目: a project idea a unit or county proposes before it is a registry project; the office screens it."""

    code = models.CharField(_("谋划编号"), max_length=32, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    domain = models.ForeignKey(Domain, verbose_name=_("所属领域"), on_delete=models.PROTECT, related_name="+")
    county = models.ForeignKey(Unit, verbose_name=_("县区"), on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("建设地点"), max_length=200, blank=True)
    scale = models.TextField(_("建设规模及内容"), blank=True)
    estimated_investment = models.DecimalField(_("估算总投资(万元)"), **MONEY_COLUMN)
    rationale = models.TextField(_("谋划依据"), blank=True)
    proposer = models.ForeignKey(Unit, verbose_name=_("提出单位"), on_delete=models.PROTECT, related_name="+")
    proposed_on = models.DateField(_("提出日期"), db_index=True)
    is_government = models.BooleanField(_("政府投资项目"), default=False)
    planned_start = models.DateField(_("设想开工年月"), null=True, blank=True)
    status = models.CharField(_("筛选结果"), max_length=16, choices=ConceptStatus.choices,
                              default=ConceptStatus.PROPOSED, db_index=True)
    ratings = models.JSONField(_("成熟度评分"), default=dict, blank=True)  # criterion key -> 0/1/2
    maturity = models.DecimalField(_("成熟度"), max_digits=5, decimal_places=2, null=True, blank=True)
    screened_on = models.DateField(_("筛选日期"), null=True, blank=True)
    screening_note = models.TextField(_("筛选意见"), blank=True)
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    project = models.OneToOneField(Project, verbose_name=_("储备项目"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="concept")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("谋划项目")
        verbose_name_plural = _("谋划项目")
        ordering = ["-proposed_on", "code"]
        indexes = [models.Index(fields=["county", "proposed_on"]), models.Index(fields=["status", "screened_on"])]
        constraints = [models.CheckConstraint(condition=models.Q(estimated_investment__gt=0),
                                              name="concept_investment_positive")]

    def __str__(self) -> str:
        return self.name

    @property
    def subject(self) -> str:
        return f"concept:{self.pk}"


class Milestone(models.Model):
    """前期工作节点: one step of a project's preliminary work, planned and done, and who answers for it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    key = models.SlugField(_("节点"), max_length=32)
    name = models.CharField(_("节点名称"), max_length=64)
    order = models.PositiveSmallIntegerField(default=0)
    before_start = models.BooleanField(_("开工前须完成"), default=True)
    planned_on = models.DateField(_("计划完成日期"), null=True, blank=True)
    actual_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    responsible = models.ForeignKey(Unit, verbose_name=_("责任单位"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("说明"), max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("前期工作节点")
        verbose_name_plural = _("前期工作节点")
        ordering = ["project_id", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="milestone_one_per_key")]
        indexes = [models.Index(fields=["actual_on", "planned_on"])]

    def __str__(self) -> str:
        return f"{self.project_id} {self.name}"


class PreliminaryFund(models.Model):
    """前期工作经费: money a county (or the city) set aside for preliminary work in a year, and what was spent."""

    year = models.PositiveSmallIntegerField(_("年度"))
    county = models.ForeignKey(Unit, verbose_name=_("县区"), on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, verbose_name=_("项目"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="preliminary_funds")
    allocated = models.DecimalField(_("安排经费(万元)"), **MONEY_COLUMN)
    spent = models.DecimalField(_("已支出(万元)"), default=0, **MONEY_COLUMN)
    document = models.CharField(_("安排文件"), max_length=128, blank=True)
    version = models.PositiveIntegerField(default=1)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("前期工作经费")
        verbose_name_plural = _("前期工作经费")
        ordering = ["-year", "county_id", "id"]
        indexes = [models.Index(fields=["year", "county"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(allocated__gte=0, spent__gte=0), name="prelim_fund_not_negative"),
            models.UniqueConstraint(fields=["year", "county", "project"], name="prelim_fund_one_per_project",
                                    condition=models.Q(project__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.county_id} {self.allocated}"


class Registration(models.Model):
    """统计入库 (纳统): a project's place in the statistics register; investment not 入库 is not counted."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="registration")
    status = models.CharField(_("入库状态"), max_length=16, choices=RegisterStatus.choices,
                              default=RegisterStatus.NOT_REGISTERED, db_index=True)
    registered_on = models.DateField(_("入库日期"), null=True, blank=True)
    register_number = models.CharField(_("入库编号"), max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("统计入库")
        verbose_name_plural = _("统计入库")
        constraints = [models.CheckConstraint(
            condition=models.Q(status="not_registered") | models.Q(registered_on__isnull=False),
            name="registration_dated")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.status}"
