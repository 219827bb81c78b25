"""Funding and financing (资金到位与投融资): each project's money by source, special bonds, PPP, the fiscal budget,
and 政金企 matchmaking — financing needs, the banks' steps on them, loans, events and 融资服务专员."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from touzi.financing.choices import ArrivalStatus, EventKind, NeedKind, NeedStatus, PPPStage, StepKind
from touzi.lib.bounds import MONEY_COLUMN
from touzi.projects.choices import FundingSource
from touzi.projects.models import Project
from touzi.units.models import Unit


class SecuredFunds(models.Model):
    """资金落实: the amount of one source approved or secured for a project in a year (the plan is FundingLine)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="secured_funds")
    source = models.CharField(_("资金来源"), max_length=32, choices=FundingSource.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("已落实(万元)"), **MONEY_COLUMN)
    note = models.TextField(_("依据"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("已落实资金")
        verbose_name_plural = _("已落实资金")
        ordering = ["year", "source"]
        constraints = [models.UniqueConstraint(fields=["project", "source", "year"], name="secured_one_per_year"),
                       models.CheckConstraint(condition=Q(amount__gte=0), name="secured_not_negative")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.source} {self.year}"


class Loan(models.Model):
    """贷款: a loan a bank granted to a project (from a financing need, or entered as a 桂惠贷 / subsidised loan)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="loans")
    bank = models.ForeignKey(Unit, verbose_name=_("金融机构"), on_delete=models.PROTECT, related_name="+")
    need = models.ForeignKey("FinancingNeed", null=True, blank=True, on_delete=models.PROTECT, related_name="loans")
    amount = models.DecimalField(_("放款金额(万元)"), **MONEY_COLUMN)
    granted_on = models.DateField(_("放款日期"), db_index=True)
    term_months = models.PositiveSmallIntegerField(_("期限(月)"), null=True, blank=True)
    subsidised = models.BooleanField(_("贴息贷款(桂惠贷等)"), default=False)
    scheme = models.CharField(_("贴息政策"), max_length=64, blank=True)
    industry = models.CharField(_("行业(GB/T 4754 大类)"), max_length=2, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("贷款")
        verbose_name_plural = _("贷款")
        ordering = ["-granted_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="loan_positive")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.amount}"


class FundsArrival(models.Model):
    """资金到位: money of one source that arrived at a project in a month, with evidence, reviewed like a monthly
    report. A loan granted through the platform arrives by itself (accepted, linked to the loan)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="arrivals")
    source = models.CharField(_("资金来源"), max_length=32, choices=FundingSource.choices)
    month = models.DateField(_("到位月份"))
    amount = models.DecimalField(_("到位金额(万元)"), **MONEY_COLUMN)
    bank = models.ForeignKey(Unit, verbose_name=_("金融机构"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    loan = models.OneToOneField(Loan, null=True, blank=True, on_delete=models.PROTECT, related_name="arrival")
    note = models.TextField(_("说明"), blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to="financing/%Y/%m/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_type = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ArrivalStatus.choices,
                              default=ArrivalStatus.SUBMITTED, db_index=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("到位资金")
        verbose_name_plural = _("到位资金")
        ordering = ["-month", "project_id", "source"]
        indexes = [models.Index(fields=["month", "status"]), models.Index(fields=["project", "source"])]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="arrival_positive")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.source} {self.month:%Y-%m}"


class BondAllocation(models.Model):
    """专项债券额度: a batch of special-bond quota allocated to a project, and how far it has been issued,
    disbursed to the project and spent (支出进度). Part of it may serve as 资本金 within the allowed share."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="bonds")
    batch = models.CharField(_("批次"), max_length=64)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    amount = models.DecimalField(_("分配额度(万元)"), **MONEY_COLUMN)
    capital = models.DecimalField(_("用作资本金(万元)"), default=0, **MONEY_COLUMN)
    issued = models.DecimalField(_("已发行(万元)"), default=0, **MONEY_COLUMN)
    issued_on = models.DateField(_("发行日期"), null=True, blank=True)
    disbursed = models.DecimalField(_("已拨付(万元)"), default=0, **MONEY_COLUMN)
    disbursed_on = models.DateField(_("拨付日期"), null=True, blank=True)
    spent = models.DecimalField(_("已支出(万元)"), default=0, **MONEY_COLUMN)
    spent_as_of = models.DateField(_("支出截至"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("专项债券额度")
        verbose_name_plural = _("专项债券额度")
        ordering = ["-year", "batch", "project_id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "batch", "year"], name="bond_one_per_batch"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="bond_positive"),
            models.CheckConstraint(condition=Q(capital__gte=0, capital__lte=models.F("amount")),
                                   name="bond_capital_within_amount"),
            models.CheckConstraint(condition=Q(issued__lte=models.F("amount"), disbursed__lte=models.F("issued"),
                                               spent__lte=models.F("disbursed"), spent__gte=0),
                                   name="bond_stages_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.batch} {self.project_id}"


class PPPProject(models.Model):
    """PPP项目: a registry project done as a public-private partnership, its stage on the road 识别 → 移交,
    its fiscal expenditure responsibility (财政支出责任, 万元 a year) and its joint review (联审)."""

    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="ppp")
    stage = models.CharField(_("阶段"), max_length=16, choices=PPPStage.choices, default=PPPStage.IDENTIFY,
                             db_index=True)
    added_year = models.PositiveSmallIntegerField(_("入库年度"), db_index=True)
    investment = models.DecimalField(_("PPP总投资(万元)"), **MONEY_COLUMN)
    annual_fiscal = models.DecimalField(_("年度财政支出责任(万元)"), default=0, **MONEY_COLUMN)
    term_years = models.PositiveSmallIntegerField(_("合作期限(年)"), default=20)
    joint_review_on = models.DateField(_("联审日期"), null=True, blank=True)
    joint_review_result = models.TextField(_("联审意见"), blank=True)
    version = models.PositiveIntegerField(default=1)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("PPP项目")
        verbose_name_plural = _("PPP项目")
        ordering = ["-added_year", "project_id"]
        constraints = [models.CheckConstraint(condition=Q(investment__gt=0, annual_fiscal__gte=0),
                                              name="ppp_amounts")]

    def __str__(self) -> str:
        return str(self.project_id)


class FiscalBudget(models.Model):
    """一般公共预算支出 of a year, entered by the plan office: the base of the PPP 10% test and of the ceiling on
    the government-invested projects' annual fiscal payments."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    expenditure = models.DecimalField(_("一般公共预算支出(万元)"), **MONEY_COLUMN)
    ceiling_pct = models.DecimalField(_("政府投资项目年度财政支出上限(%)"), max_digits=5, decimal_places=2,
                                      default=10)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("一般公共预算支出")
        verbose_name_plural = _("一般公共预算支出")
        ordering = ["year"]
        constraints = [models.CheckConstraint(condition=Q(expenditure__gt=0, ceiling_pct__gt=0,
                                                          ceiling_pct__lte=100), name="budget_values")]

    def __str__(self) -> str:
        return str(self.year)


class FinancingNeed(models.Model):
    """融资需求: what a project asks of the banks (amount, term, type, pledge, contact), published to them."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="financing_needs")
    amount = models.DecimalField(_("融资金额(万元)"), **MONEY_COLUMN)
    term_months = models.PositiveSmallIntegerField(_("期限(月)"))
    kind = models.CharField(_("融资方式"), max_length=24, choices=NeedKind.choices)
    purpose = models.TextField(_("用途"), blank=True)
    pledge = models.TextField(_("可提供的担保/抵质押"), blank=True)
    contact = models.CharField(_("联系人及电话"), max_length=128)
    status = models.CharField(_("状态"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.OPEN,
                              db_index=True)
    published_on = models.DateField(_("发布日期"), db_index=True)
    granted_on = models.DateField(_("首次放款日期"), null=True, blank=True)
    close_reason = models.TextField(_("关闭原因"), blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    version = models.PositiveIntegerField(default=1)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("融资需求")
        verbose_name_plural = _("融资需求")
        ordering = ["-published_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="need_positive")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.amount}"


class NeedStep(models.Model):
    """A bank's step on a need (意向, 对接, 尽调, 授信, 放款, or 婉拒 with a reason), with its amount."""

    need = models.ForeignKey(FinancingNeed, on_delete=models.CASCADE, related_name="steps")
    bank = models.ForeignKey(Unit, verbose_name=_("金融机构"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("进展"), max_length=16, choices=StepKind.choices)
    amount = models.DecimalField(_("金额(万元)"), null=True, blank=True, **MONEY_COLUMN)
    on = models.DateField(_("日期"))
    note = models.TextField(_("说明"), blank=True)
    loan = models.OneToOneField(Loan, null=True, blank=True, on_delete=models.PROTECT, related_name="step")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("对接进展")
        verbose_name_plural = _("对接进展")
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["bank", "need"])]

    def __str__(self) -> str:
        return f"{self.need_id} {self.bank_id} {self.kind}"


class FinancingEvent(models.Model):
    """路演 / 政金企对接会: a matchmaking event, the projects presented, the banks present, what was signed."""

    name = models.CharField(_("活动名称"), max_length=128)
    kind = models.CharField(_("类型"), max_length=16, choices=EventKind.choices)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=128, blank=True)
    projects = models.ManyToManyField(Project, blank=True, related_name="+", verbose_name=_("路演项目"))
    banks = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("参会金融机构"))
    intentions = models.PositiveIntegerField(_("签约意向(个)"), default=0)
    intention_amount = models.DecimalField(_("意向金额(万元)"), default=0, **MONEY_COLUMN)
    outcome = models.TextField(_("后续成效"), blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("融资对接活动")
        verbose_name_plural = _("融资对接活动")
        ordering = ["-held_on", "name"]

    def __str__(self) -> str:
        return self.name


class Commissioner(models.Model):
    """融资服务专员: a bank's person assigned to a county or to a set of projects; their open needs are their 待办."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    bank = models.ForeignKey(Unit, verbose_name=_("金融机构"), on_delete=models.PROTECT, related_name="+")
    county = models.ForeignKey(Unit, verbose_name=_("服务县区"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    projects = models.ManyToManyField(Project, blank=True, related_name="+", verbose_name=_("服务项目"))

    class Meta:
        verbose_name = _("融资服务专员")
        verbose_name_plural = _("融资服务专员")

    def __str__(self) -> str:
        return str(self.user_id)
