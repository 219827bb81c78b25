"""The factor ledgers (要素保障台账): who keeps which kind of quota, the yearly quotas of each county or park,
their allocation to projects, and the idle land parcels to be put back to use (盘活存量土地)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from touzi.factors.choices import AllocationStatus, BalanceSource, Disposal, ParcelKind, QuotaKind
from touzi.lib.bounds import Digits
from touzi.units.models import Unit

# Areas (亩, 公顷) and tonnes to four places; the same bound as money (15 significant digits, exact on SQLite).
AMOUNT = Digits(max_digits=16, decimal_places=4)


class FactorKeeper(models.Model):
    """要素主管部门: the bureau that grants and allocates one kind of quota (自然资源局: land; 林业局: forest;
    发展改革委: energy; 生态环境局: pollutants). Its users keep the ledger of that kind."""

    unit = models.ForeignKey(Unit, verbose_name=_("主管部门"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("要素类别"), max_length=24, choices=QuotaKind.choices)

    class Meta:
        verbose_name = _("要素主管部门")
        verbose_name_plural = _("要素主管部门")
        ordering = ["kind", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["unit", "kind"], name="one_keeper_per_unit_and_kind")]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()}"


class Quota(models.Model):
    """要素指标: what a county (or a park in it) may use of one kind of factor in a year, and the document
    granting it."""

    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    kind = models.CharField(_("要素类别"), max_length=24, choices=QuotaKind.choices)
    county = models.ForeignKey(Unit, verbose_name=_("县区"), on_delete=models.PROTECT, related_name="+")
    park = models.ForeignKey(Unit, verbose_name=_("园区"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    amount = models.DecimalField(_("指标量"), **AMOUNT)
    balance_source = models.CharField(_("占补平衡来源"), max_length=16, choices=BalanceSource.choices, blank=True)
    # 能耗强度: the most energy per 万元 of output a project drawing on this quota may use (吨标准煤/万元).
    intensity_limit = models.DecimalField(_("能耗强度上限(吨标准煤/万元)"), null=True, blank=True, max_digits=10,
                                          decimal_places=4)
    document = models.CharField(_("下达文件"), max_length=200)
    granted_by = models.ForeignKey(Unit, verbose_name=_("下达部门"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    granted_on = models.DateField(_("下达日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("要素指标")
        verbose_name_plural = _("要素指标")
        ordering = ["-year", "kind", "county_id", "park_id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "county"], condition=models.Q(park__isnull=True),
                                    name="one_county_quota_per_year_and_kind"),
            models.UniqueConstraint(fields=["year", "kind", "park"], condition=models.Q(park__isnull=False),
                                    name="one_park_quota_per_year_and_kind"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="quota_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} {self.park or self.county}"

    @property
    def place(self) -> Unit:
        return self.park or self.county


class Allocation(models.Model):
    """指标配置: a project's request for part of a quota, and what the keeping bureau approved, with its document.
    Only approved allocations use the quota; one taken back (收回) returns to the pool."""

    quota = models.ForeignKey(Quota, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="allocations")
    project = models.ForeignKey("projects.Project", verbose_name=_("项目"), on_delete=models.PROTECT,
                                related_name="+")
    requested = models.DecimalField(_("申请量"), **AMOUNT)
    approved = models.DecimalField(_("批准量"), null=True, blank=True, **AMOUNT)
    status = models.CharField(_("状态"), max_length=16, choices=AllocationStatus.choices,
                              default=AllocationStatus.REQUESTED, db_index=True)
    requested_on = models.DateField(_("申请日期"))
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    document = models.CharField(_("批准文件"), max_length=200, blank=True)
    intensity = models.DecimalField(_("项目能耗强度(吨标准煤/万元)"), null=True, blank=True, max_digits=10,
                                    decimal_places=4)
    note = models.TextField(_("说明"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("指标配置")
        verbose_name_plural = _("指标配置")
        ordering = ["-requested_on", "id"]
        indexes = [models.Index(fields=["quota", "status"]), models.Index(fields=["project", "status"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(requested__gt=0), name="allocation_requested_positive"),
            models.CheckConstraint(condition=models.Q(approved__isnull=True) | models.Q(approved__gte=0),
                                   name="allocation_approved_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.quota} → {self.project_id}"


class IdleParcel(models.Model):
    """存量土地: a parcel approved but not supplied (批而未供) or supplied but not used (供而未用), and what was
    done with it."""

    code = models.CharField(_("地块编号"), max_length=64, unique=True)
    location = models.CharField(_("坐落"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=ParcelKind.choices)
    county = models.ForeignKey(Unit, verbose_name=_("县区"), on_delete=models.PROTECT, related_name="+")
    park = models.ForeignKey(Unit, verbose_name=_("园区"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    area = models.DecimalField(_("面积(亩)"), **AMOUNT)
    reason = models.TextField(_("闲置原因"), blank=True)
    holder = models.CharField(_("土地使用权人/责任主体"), max_length=200, blank=True)
    approved_year = models.PositiveSmallIntegerField(_("批准(供地)年度"), null=True, blank=True)
    disposal = models.CharField(_("处置方式"), max_length=16, choices=Disposal.choices, default=Disposal.PENDING,
                                db_index=True)
    disposed_on = models.DateField(_("处置日期"), null=True, blank=True)
    disposed_area = models.DecimalField(_("盘活面积(亩)"), default=0, **AMOUNT)
    project = models.ForeignKey("projects.Project", verbose_name=_("用于项目"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("说明"), blank=True)
    version = models.PositiveIntegerField(default=1)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("存量土地")
        verbose_name_plural = _("存量土地")
        ordering = ["county_id", "code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(area__gt=0), name="parcel_area_positive"),
            models.CheckConstraint(condition=models.Q(disposed_area__gte=0)
                                   & models.Q(disposed_area__lte=models.F("area")),
                                   name="parcel_disposed_within_area"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.location}"


class ReuseGoal(models.Model):
    """盘活存量土地目标: the area (亩) the plan sets to put back to use in a year, city-wide or for one county."""

    year = models.PositiveSmallIntegerField(_("年度"))
    county = models.ForeignKey(Unit, verbose_name=_("县区"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    area = models.DecimalField(_("目标面积(亩)"), **AMOUNT)

    class Meta:
        verbose_name = _("盘活存量土地目标")
        verbose_name_plural = _("盘活存量土地目标")
        ordering = ["year", "county_id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "county"], name="one_reuse_goal_per_year_and_county"),
            models.UniqueConstraint(fields=["year"], condition=models.Q(county__isnull=True),
                                    name="one_city_reuse_goal_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.county or '全市'} {self.area}"
