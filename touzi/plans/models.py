from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from touzi.lib.labels import LabelMixin, english_wanted
from touzi.lib.numbers import plain
from touzi.plans.choices import (
    Area,
    Comparator,
    Duty,
    Frequency,
    GroupKind,
    MeasureSource,
    Metric,
    PeriodKind,
    ScopeKind,
)
from touzi.units.models import Unit


class Domain(LabelMixin, models.Model):
    """领域: a node of the key-domain tree (工业, 综合交通 → 铁路 …); shared by all plans."""

    key = models.SlugField(_("标识"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=128, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("领域")
        verbose_name_plural = _("领域")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.name


class Collection(LabelMixin, models.Model):
    """专项: a cross-cutting tag of projects (五网, 双百双新, 三企入桂, 年度重大项目清单 …); shared by all plans."""

    key = models.SlugField(_("标识"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    name_en = models.CharField(_("英文名称"), max_length=160, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("专项")
        verbose_name_plural = _("专项")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.name


class Plan(LabelMixin, models.Model):
    """行动方案: a multi-year investment action plan loaded from a plan file."""

    key = models.SlugField(_("标识"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=255)
    name_en = models.CharField(_("英文名称"), max_length=255, blank=True)
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    region_name = models.CharField(_("地区"), max_length=64)
    # Blank: the level follows from the region code (see `level`).
    region_level = models.CharField(_("行政级别"), max_length=16, blank=True)
    start_year = models.PositiveSmallIntegerField(_("起始年"))
    end_year = models.PositiveSmallIntegerField(_("终止年"))
    issuer = models.CharField(_("印发单位"), max_length=128, blank=True)
    source_title = models.CharField(_("来源文件"), max_length=255, blank=True)
    combine_jan_feb = models.BooleanField(_("1—2月合并报送"), default=True)
    office_unit = models.ForeignKey(
        Unit, verbose_name=_("办公室所在单位"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    units = models.ManyToManyField(Unit, verbose_name=_("参与单位"), related_name="plans", blank=True)
    domains = models.ManyToManyField(Domain, related_name="plans", blank=True)
    collections = models.ManyToManyField(Collection, related_name="plans", blank=True)
    # The plan file's `briefing:` section as written (issuer, masthead, number, recipients, copy_to,
    # printed_by, requirements); touzi.briefings.issuing reads it with its defaults.
    briefing = models.JSONField(_("通报设置"), default=dict, blank=True)
    file_name = models.CharField(_("方案文件"), max_length=255, blank=True)
    content_hash = models.CharField(_("文件摘要"), max_length=64, blank=True)
    loaded_at = models.DateTimeField(_("载入时间"), auto_now=True)

    class Meta:
        verbose_name = _("行动方案")
        verbose_name_plural = _("行动方案")
        ordering = ["-start_year", "key"]
        permissions = [("load_plan", _("载入和更新行动方案"))]

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    @property
    def level(self) -> str:
        """province, city or county: as the plan file says, else from the GB/T 2260 code."""
        if self.region_level:
            return self.region_level
        if self.region_code.endswith("0000"):
            return "province"
        return "city" if self.region_code.endswith("00") else "county"


class UnitGroup(models.Model):
    """单位组: a collective name in the plan ("各县区人民政府") that stands for several units."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="unit_groups")
    key = models.SlugField(max_length=64)
    name = models.CharField(_("名称"), max_length=128)
    members = models.ManyToManyField(Unit, related_name="unit_groups")

    class Meta:
        verbose_name = _("单位组")
        verbose_name_plural = _("单位组")
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="unitgroup_unique_key")]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.name


class WorkGroup(LabelMixin, models.Model):
    """领导小组办公室 and its 专项工作组 (资金组 … 统计指导组)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="work_groups")
    key = models.SlugField(max_length=64)
    kind = models.CharField(_("类别"), max_length=16, choices=GroupKind.choices)
    name = models.CharField(_("名称"), max_length=128)
    name_en = models.CharField(_("英文名称"), max_length=160, blank=True)
    host_units = models.ManyToManyField(Unit, verbose_name=_("承担单位"), related_name="work_groups")
    domains = models.ManyToManyField(Domain, verbose_name=_("负责领域"), related_name="work_groups", blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("工作组")
        verbose_name_plural = _("工作组")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="workgroup_unique_key")]

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    """任务: a numbered task of the plan (二(一)1 …) with its responsibility matrix."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    key = models.CharField(max_length=32)
    number = models.CharField(_("编号"), max_length=32)
    title = models.CharField(_("任务"), max_length=255)
    title_en = models.CharField(_("英文名称"), max_length=255, blank=True)
    quote = models.TextField(_("原文"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="task_unique_key")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def label(self) -> str:
        return self.title_en if english_wanted() and self.title_en else self.title


class Indicator(LabelMixin, models.Model):
    """指标: a figure no project ledger can give, reported per period by a named unit."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    key = models.SlugField(max_length=64)
    name = models.CharField(_("名称"), max_length=128)
    name_en = models.CharField(_("英文名称"), max_length=160, blank=True)
    unit_of_measure = models.CharField(_("计量单位"), max_length=16)
    reported_by = models.ForeignKey(Unit, verbose_name=_("填报单位"), on_delete=models.PROTECT, related_name="+")
    frequency = models.CharField(_("频率"), max_length=16, choices=Frequency.choices)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="indicator_unique_key")]

    def __str__(self) -> str:
        return self.name


class Target(LabelMixin, models.Model):
    """目标: one quantified target of the plan, with how it is measured and where the plan says it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    key = models.SlugField(max_length=64)
    area = models.CharField(_("类别"), max_length=16, choices=Area.choices)
    name = models.CharField(_("名称"), max_length=255)
    name_en = models.CharField(_("英文名称"), max_length=255, blank=True)
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="targets")
    scope_kind = models.CharField(_("范围"), max_length=16, choices=ScopeKind.choices)
    scope_domain = models.ForeignKey(Domain, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    scope_collection = models.ForeignKey(
        Collection, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scope_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    scope_group = models.ForeignKey(UnitGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    metric = models.CharField(_("指标类型"), max_length=16, choices=Metric.choices)
    period_kind = models.CharField(_("期间"), max_length=8, choices=PeriodKind.choices)
    period_start = models.PositiveSmallIntegerField()
    period_end = models.PositiveSmallIntegerField()
    comparator = models.CharField(_("比较"), max_length=2, choices=Comparator.choices)
    value = models.DecimalField(_("目标值"), max_digits=20, decimal_places=4)
    unit_of_measure = models.CharField(_("单位"), max_length=16)
    measure_source = models.CharField(_("测算来源"), max_length=16, choices=MeasureSource.choices)
    # The ledger filter as the file states it; the foreign keys below resolve it for queries.
    measure = models.JSONField(_("测算口径"), default=dict)
    measure_domain = models.ForeignKey(Domain, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    measure_collection = models.ForeignKey(
        Collection, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    measure_county = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    measure_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="targets")
    base_indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="base_of"
    )
    quote = models.TextField(_("原文"))
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="target_unique_key")]

    def __str__(self) -> str:
        return self.name

    @property
    def period(self) -> str:
        """The period as the plan file writes it: 2021, 2021-2023, each 2021-2023, end 2023."""
        if self.period_kind == PeriodKind.YEAR:
            return str(self.period_start)
        if self.period_kind == PeriodKind.END:
            return f"end {self.period_end}"
        span = f"{self.period_start}-{self.period_end}"
        return f"each {span}" if self.period_kind == PeriodKind.EACH else span

    @property
    def period_label(self) -> str:
        if self.period_kind == PeriodKind.YEAR:
            return f"{self.period_start}年" if not english_wanted() else str(self.period_start)
        if self.period_kind == PeriodKind.END:
            return f"至{self.period_end}年" if not english_wanted() else f"by {self.period_end}"
        span = f"{self.period_start}—{self.period_end}"
        if self.period_kind == PeriodKind.EACH:
            return f"{span}年每年" if not english_wanted() else f"each year {span}"
        return f"{span}年累计" if not english_wanted() else f"{span} cumulative"

    @property
    def value_display(self) -> str:
        """The value as the plan states it: 500, not 500.0000."""
        return str(plain(self.value))


class Responsibility(models.Model):
    """牵头 / 配合: one unit's (or unit group's) duty on a task or a target."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="responsibilities")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="duties")
    target = models.ForeignKey(Target, null=True, blank=True, on_delete=models.CASCADE, related_name="duties")
    duty = models.CharField(_("职责"), max_length=16, choices=Duty.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="duties")
    group = models.ForeignKey(UnitGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="duties")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("职责")
        verbose_name_plural = _("职责")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(task__isnull=False, target__isnull=True)
                | models.Q(task__isnull=True, target__isnull=False),
                name="responsibility_on_task_or_target",
            ),
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False, group__isnull=True)
                | models.Q(unit__isnull=True, group__isnull=False),
                name="responsibility_unit_or_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_duty_display()} {self.holder_label}"

    @property
    def holder(self) -> Unit | UnitGroup:
        """The unit or the group that holds the duty: exactly one of them (responsibility_unit_or_group)."""
        holder = self.unit if self.unit is not None else self.group
        assert holder is not None, "a responsibility has a unit or a group"
        return holder

    @property
    def holder_label(self) -> str:
        return self.holder.label

    @property
    def holder_key(self) -> str:
        return self.holder.key if self.unit is not None else f"@{self.holder.key}"
