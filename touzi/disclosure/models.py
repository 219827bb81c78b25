"""The public disclosure of government-invested projects (政府投资项目公示), public consultation (征求意见) and
the 楼堂馆所 check (三(二)2 of the seed)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from touzi.disclosure.choices import ConsultationState, ItemKind, OpinionState, VersionState
from touzi.projects.models import Project
from touzi.units.models import Unit


class DisclosureItem(models.Model):
    """公示事项: one of a project's items (建设内容和规模 …), whose texts are its versions.

    The public sees the newest approved version, with the earlier approved ones as its correction history;
    pending and refused versions are never public."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="disclosure_items")
    kind = models.CharField(_("公示事项"), max_length=16, choices=ItemKind.choices)
    responsible = models.ForeignKey(Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    first_published_on = models.DateField(_("首次公开日期"), null=True, blank=True)
    published_on = models.DateField(_("最近公开日期"), null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("公示事项")
        verbose_name_plural = _("公示事项")
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="disclosure_item_unique_kind")]
        indexes = [models.Index(fields=["project", "published_on"])]

    def __str__(self) -> str:
        return f"{self.project} {self.get_kind_display()}"


class ItemVersion(models.Model):
    """A text of an item as the owner prepared it: pending until the responsible bureau approves or refuses it.

    `data` holds the structured part: tenders [{date, method, winner, amount, link}], parties
    {designer: [..], supervisor: [..], contractor: [..]}, completion {amount, date, audited_by}, funding
    [{source, amount}]."""

    item = models.ForeignKey(DisclosureItem, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    text = models.TextField(_("公示内容"))
    data = models.JSONField(_("结构化内容"), default=dict, blank=True)
    note = models.CharField(_("更正说明"), max_length=500, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=VersionState.choices, default=VersionState.PENDING,
                             db_index=True)
    prepared_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    prepared_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    refusal = models.CharField(_("退回理由"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("公示内容版本")
        verbose_name_plural = _("公示内容版本")
        ordering = ["item", "-number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="item_version_unique_number")]
        indexes = [models.Index(fields=["item", "state"])]

    def __str__(self) -> str:
        return f"{self.item} v{self.number}"


class Consultation(models.Model):
    """征求意见: a project in 前期 asks the public before its decision, until a deadline."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="consultations")
    title = models.CharField(_("标题"), max_length=200)
    question = models.TextField(_("征求意见内容"))
    opened_on = models.DateField(_("开始日期"))
    deadline = models.DateField(_("截止日期"))
    state = models.CharField(_("状态"), max_length=16, choices=ConsultationState.choices,
                             default=ConsultationState.OPEN, db_index=True)
    summary = models.TextField(_("意见采纳情况"), blank=True)
    decision = models.TextField(_("决定"), blank=True)
    decided_on = models.DateField(_("公布日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Opinion(models.Model):
    """A member of the public's opinion: stored for moderation, public only once approved, then answered."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="opinions")
    text = models.TextField(_("意见"))
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    sender = models.CharField(_("来源(地址摘要)"), max_length=64, blank=True)  # a keyed hash, never the address
    state = models.CharField(_("状态"), max_length=16, choices=OpinionState.choices, default=OpinionState.PENDING,
                             db_index=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("公众意见")
        verbose_name_plural = _("公众意见")
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["consultation", "state"])]

    def __str__(self) -> str:
        return self.text[:30]


class OfficeExemption(models.Model):
    """楼堂馆所 exemption: the document that allows one government-invested office building (严禁新建楼堂馆所).

    Recorded by the plan office before the project is registered, for the project code or its name."""

    project_code = models.CharField(_("项目代码"), max_length=24, blank=True, db_index=True)
    project_name = models.CharField(_("项目名称"), max_length=255)
    document = models.CharField(_("批准文件"), max_length=255)
    reason = models.TextField(_("理由"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="office_exemptions")

    class Meta:
        verbose_name = _("楼堂馆所豁免")
        verbose_name_plural = _("楼堂馆所豁免")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project_name} {self.document}"

