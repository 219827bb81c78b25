"""The promotion register (招商引资): events, signed agreements, their steps and the funds that arrived."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from touzi.lib.bounds import MONEY_COLUMN
from touzi.promotion.choices import AgreementState, Currency, FundsStatus, InvestorKind, ThreeEnterprises
from touzi.units.models import Unit

SECTOR_PATTERN = r"^[A-T](\d{2}(\d{1,2})?)?$"  # GB/T 4754: a section letter, maybe a division, group, class
sector_validator = RegexValidator(SECTOR_PATTERN,
                                  _("行业代码应为 GB/T 4754 门类字母,可带大类/中类/小类数字(如 C、C36、C3612)"))


class ExchangeRate(models.Model):
    """汇率: yuan per US dollar for a month, used to carry foreign amounts into 万元."""

    month = models.DateField(_("月份"), unique=True)
    rate = models.DecimalField(_("美元兑人民币"), max_digits=10, decimal_places=4)

    class Meta:
        verbose_name = _("汇率")
        verbose_name_plural = _("汇率")
        ordering = ["month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.rate}"


class PromotionEvent(models.Model):
    """签约活动: where agreements are signed (中国—东盟博览会, a roadshow, a 集中签约 ceremony)."""

    name = models.CharField(_("活动名称"), max_length=128)
    held_on = models.DateField(_("活动日期"))
    place = models.CharField(_("地点"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("签约活动")
        verbose_name_plural = _("签约活动")
        ordering = ["-held_on", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "held_on"], name="one_event_per_name_and_day")]

    def __str__(self) -> str:
        return f"{self.name}({self.held_on:%Y-%m-%d})"


class Agreement(models.Model):
    """招商签约项目: what an investor signed, where it stands on its road to production, and who answers for it."""

    code = models.CharField(_("签约编号"), max_length=32, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    investor = models.CharField(_("投资方"), max_length=200)
    investor_kind = models.CharField(_("投资方类型"), max_length=16, choices=InvestorKind.choices)
    investor_region = models.CharField(_("来源地区"), max_length=64, blank=True)
    investor_country = models.CharField(_("来源国家/地区"), max_length=64, default="中国")
    three_enterprises = models.CharField(_("三企入桂"), max_length=16, choices=ThreeEnterprises.choices, blank=True)
    sector = models.CharField(_("行业(GB/T 4754)"), max_length=5, validators=[sector_validator])
    signed_on = models.DateField(_("签约日期"), db_index=True)
    event = models.ForeignKey(PromotionEvent, verbose_name=_("签约活动"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="agreements")
    currency = models.CharField(_("币种"), max_length=3, choices=Currency.choices, default=Currency.CNY)
    # Always in 万元 (a US$ agreement: its dollars at the month's rate), so rates add up in one currency.
    agreed_investment = models.DecimalField(_("协议投资(万元)"), **MONEY_COLUMN)
    agreed_usd = models.DecimalField(_("协议投资(万美元)"), null=True, blank=True, **MONEY_COLUMN)
    exchange_rate = models.DecimalField(_("汇率"), null=True, blank=True, max_digits=10, decimal_places=4)
    county = models.ForeignKey(Unit, verbose_name=_("县区"), on_delete=models.PROTECT, related_name="+")
    park = models.ForeignKey(Unit, verbose_name=_("园区"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    due_registration = models.DateField(_("约定注册日期"), null=True, blank=True)
    due_land = models.DateField(_("约定供地日期"), null=True, blank=True)
    due_start = models.DateField(_("约定开工日期"))
    due_production = models.DateField(_("约定投产日期"))
    state = models.CharField(_("状态"), max_length=16, choices=AgreementState.choices, default=AgreementState.SIGNED,
                             db_index=True)
    state_since = models.DateField(_("进入当前状态日期"))
    registered_on = models.DateField(_("注册日期"), null=True, blank=True)
    landed_on = models.DateField(_("落地日期"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    in_production_on = models.DateField(_("投产日期"), null=True, blank=True)
    at_capacity_on = models.DateField(_("达产日期"), null=True, blank=True)
    terminated_on = models.DateField(_("终止日期"), null=True, blank=True)
    termination_reason = models.TextField(_("终止原因"), blank=True)
    project = models.ForeignKey("projects.Project", verbose_name=_("落地项目"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="agreements")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("招商签约项目")
        verbose_name_plural = _("招商签约项目")
        ordering = ["-signed_on", "code"]
        indexes = [models.Index(fields=["county", "signed_on"]), models.Index(fields=["unit", "signed_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(agreed_investment__gt=0), name="agreement_investment_positive"),
            models.CheckConstraint(condition=models.Q(due_production__gte=models.F("due_start")),
                                   name="agreement_production_after_start"),
        ]

    def __str__(self) -> str:
        return self.name


class AgreementStep(models.Model):
    """One move of an agreement along its road (签约 → … → 达产, or 终止): the history the detail page shows."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="steps")
    state = models.CharField(_("状态"), max_length=16, choices=AgreementState.choices)
    on = models.DateField(_("日期"))
    note = models.TextField(_("说明"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("签约项目进展")
        verbose_name_plural = _("签约项目进展")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.state} {self.on}"


class FundsReport(models.Model):
    """到位资金月报: the money of one agreement that arrived in a month, domestic and foreign apart, reviewed."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="funds")
    month = models.DateField(_("报告期"))
    domestic = models.DecimalField(_("内资到位(万元)"), default=0, **MONEY_COLUMN)
    foreign_usd = models.DecimalField(_("外资到位(万美元)"), default=0, **MONEY_COLUMN)
    exchange_rate = models.DecimalField(_("汇率"), null=True, blank=True, max_digits=10, decimal_places=4)
    foreign = models.DecimalField(_("外资到位折人民币(万元)"), default=0, **MONEY_COLUMN)
    total = models.DecimalField(_("到位资金合计(万元)"), default=0, **MONEY_COLUMN)
    note = models.TextField(_("说明"), blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to="promotion/%Y/%m/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_type = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=FundsStatus.choices, default=FundsStatus.SUBMITTED,
                              db_index=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("到位资金月报")
        verbose_name_plural = _("到位资金月报")
        ordering = ["-month", "agreement_id"]
        indexes = [models.Index(fields=["month", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "month"], name="one_funds_report_per_month"),
            models.CheckConstraint(condition=models.Q(domestic__gte=0, foreign_usd__gte=0),
                                   name="funds_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.month:%Y-%m}"
