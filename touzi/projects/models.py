from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from touzi.lib.bounds import MONEY_COLUMN
from touzi.plans.models import Collection, Domain
from touzi.projects.choices import ApprovalItem, FactorKind, FundingSource, Stage
from touzi.projects.codes import validate_industry, validate_project_code
from touzi.units.models import Unit

MONEY = MONEY_COLUMN  # 万元 to four places: exact to the yuan


class Project(models.Model):
    """项目: one investment project of the statistics register, identified by its national project code."""

    code = models.CharField(_("项目代码"), max_length=24, null=True, blank=True, unique=True,
                            validators=[validate_project_code], help_text=_("储备项目可暂无代码"))
    name = models.CharField(_("项目名称"), max_length=255)
    domain = models.ForeignKey(Domain, verbose_name=_("所属领域"), on_delete=models.PROTECT, related_name="projects")
    county = models.ForeignKey(Unit, verbose_name=_("县区"), on_delete=models.PROTECT, related_name="county_projects")
    park = models.ForeignKey(Unit, verbose_name=_("园区"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="park_projects")
    owner = models.ForeignKey(Unit, verbose_name=_("项目业主"), on_delete=models.PROTECT, related_name="owned_projects")
    lead_unit = models.ForeignKey(Unit, verbose_name=_("牵头单位"), null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="led_projects")
    leader = models.CharField(_("责任市领导"), max_length=64, blank=True)
    total_investment = models.DecimalField(_("总投资(万元)"), **MONEY)
    planned_start = models.DateField(_("计划开工"), null=True, blank=True)
    planned_completion = models.DateField(_("计划竣工"), null=True, blank=True)
    actual_start = models.DateField(_("实际开工"), null=True, blank=True)
    actual_completion = models.DateField(_("实际竣工"), null=True, blank=True)
    stage = models.CharField(_("项目阶段"), max_length=16, choices=Stage.choices, default=Stage.RESERVE,
                             db_index=True)
    is_government = models.BooleanField(_("政府投资项目"), default=False)
    fiscal_contribution = models.DecimalField(_("财政出资(万元)"), default=0, **MONEY)
    is_real_estate = models.BooleanField(_("房地产项目"), default=False)
    industry = models.CharField(_("行业(GB/T 4754 大类)"), max_length=2, blank=True, validators=[validate_industry])
    occupies_farmland = models.BooleanField(_("占用耕地"), default=False)
    farmland_plan = models.TextField(_("耕地占补平衡方案"), blank=True)
    description = models.TextField(_("建设内容"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    # Two of the five clarities, stored (touzi/projects/clarities.py): written by the services that change the
    # total investment, the funding lines or the key approvals, in their transaction.
    has_clear_funding = models.BooleanField(_("资金筹措方案明确"), default=False, editable=False)
    has_clear_approvals = models.BooleanField(_("重要审批环节办理时限明确"), default=False, editable=False)
    collections = models.ManyToManyField(Collection, through="Membership", related_name="projects", blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-total_investment", "id"]
        permissions = [("roll_plan", _("滚动年度计划"))]
        indexes = [
            models.Index(fields=["county", "domain"]),
            models.Index(fields=["owner"]),
            models.Index(fields=["lead_unit"]),
            models.Index(fields=["domain"]),
            models.Index(fields=["total_investment"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def subject(self) -> str:
        return f"project:{self.pk}"


class Membership(models.Model):
    """A project's place in a collection; `year` set means only that year's list (年度重大项目清单)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="memberships")
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("专项归属")
        verbose_name_plural = _("专项归属")
        constraints = [
            models.UniqueConstraint(fields=["project", "collection", "year"], name="membership_unique"),
            models.UniqueConstraint(fields=["project", "collection"], condition=models.Q(year__isnull=True),
                                    name="membership_unique_always"),
        ]
        indexes = [models.Index(fields=["collection", "year"])]

    def __str__(self) -> str:
        return f"{self.collection}{f' {self.year}' if self.year else ''}"


class FundingLine(models.Model):
    """资金筹措方案: the planned amount from one source."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding")
    source = models.CharField(_("资金来源"), max_length=32, choices=FundingSource.choices)
    amount = models.DecimalField(_("金额(万元)"), **MONEY)

    class Meta:
        verbose_name = _("资金来源")
        verbose_name_plural = _("资金来源")
        constraints = [models.UniqueConstraint(fields=["project", "source"], name="funding_unique_source")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.amount}"


class KeyApproval(models.Model):
    """重要审批环节: an approval the project needs, with the date it must be done by."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="approvals")
    item = models.CharField(_("审批事项"), max_length=32, choices=ApprovalItem.choices)
    deadline = models.DateField(_("办理时限"), null=True, blank=True)
    done_on = models.DateField(_("办结日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("审批事项")
        verbose_name_plural = _("审批事项")
        constraints = [models.UniqueConstraint(fields=["project", "item"], name="approval_unique_item")]

    def __str__(self) -> str:
        return self.get_item_display()


class AnnualPlan(models.Model):
    """年度计划: a project's plan for one year of the rolling three-year plan."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="annual_plans")
    year = models.PositiveSmallIntegerField(_("年度"))
    planned_investment = models.DecimalField(_("年度计划投资(万元)"), null=True, blank=True, **MONEY)
    planned_start = models.DateField(_("计划开工月份"), null=True, blank=True)
    planned_completion = models.DateField(_("计划竣工月份"), null=True, blank=True)
    progress_target = models.TextField(_("年度进度目标"), blank=True)
    # 续建 / 新开工 / 前期: what the project is in this year's plan (its stage may move during the year).
    category = models.CharField(_("计划类别"), max_length=16, choices=Stage.choices, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="annualplan_unique_year")]
        indexes = [models.Index(fields=["year", "project"])]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"


class FactorIssue(models.Model):
    """要素保障问题: what blocks a project (land, energy, funds …), who owes the fix and by when."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="factor_issues")
    kind = models.CharField(_("类别"), max_length=16, choices=FactorKind.choices)
    description = models.TextField(_("问题描述"))
    owed_by = models.ForeignKey(Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="owed_issues")
    due = models.DateField(_("解决时限"), null=True, blank=True)
    raised_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    raised_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    resolution = models.TextField(_("解决情况"), blank=True)

    class Meta:
        verbose_name = _("要素保障问题")
        verbose_name_plural = _("要素保障问题")
        ordering = ["resolved_at", "due", "raised_at"]
        indexes = [models.Index(fields=["project", "resolved_at"]), models.Index(fields=["owed_by", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}:{self.description[:30]}"


class StageDecision(models.Model):
    """停缓建 / 压缩规模: the decision that suspended or scaled a government-invested project down (三(二)2).

    Scaling down records the total before and the new total (the project's `total_investment` becomes the new
    one, so every figure counts the smaller project); both record the decision's reason and document."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_decisions")
    stage = models.CharField(_("决定"), max_length=16, choices=Stage.choices)
    decided_on = models.DateField(_("决定日期"))
    reason = models.TextField(_("理由"))
    document = models.CharField(_("决定文件"), max_length=255)
    previous_total = models.DecimalField(_("原总投资(万元)"), **MONEY)
    new_total = models.DecimalField(_("压缩后总投资(万元)"), null=True, blank=True, **MONEY)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("停缓建与压缩规模决定")
        verbose_name_plural = _("停缓建与压缩规模决定")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["stage", "decided_on"])]

    def __str__(self) -> str:
        return f"{self.project} {self.get_stage_display()}"
