"""审批: the approvals a project needs (as data), each approval's course against its time limit, 代办, and the
joint review sessions (联评联审 / 并联审批)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from touzi.approvals.choices import (
    Applies,
    ApprovalState,
    Condition,
    EiaLevel,
    Flag,
    NeededBy,
    Route,
    SessionKind,
)
from touzi.projects.choices import ApprovalItem
from touzi.projects.models import Project
from touzi.units.models import Unit


class ApprovalKind(models.Model):
    """审批事项: one kind of approval, when a project needs it and its legal time limit (data, not code)."""

    key = models.SlugField(_("编码"), max_length=48, unique=True)
    name = models.CharField(_("审批事项"), max_length=64)
    group = models.CharField(_("类别"), max_length=16)
    legal_days = models.PositiveSmallIntegerField(_("法定时限(工作日)"))
    applies = models.CharField(_("适用项目"), max_length=16, choices=Applies.choices, default=Applies.ALL)
    route = models.CharField(_("立项方式"), max_length=16, choices=Route.choices, blank=True)
    eia = models.CharField(_("环评类别"), max_length=16, choices=EiaLevel.choices, blank=True)
    flag = models.CharField(_("适用标记"), max_length=16, choices=Flag.choices, blank=True)
    needed_by = models.CharField(_("办结节点"), max_length=16, choices=NeededBy.choices, default=NeededBy.START)
    key_item = models.CharField(_("对应重要审批环节"), max_length=32, choices=ApprovalItem.choices, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("审批事项")
        verbose_name_plural = _("审批事项")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.name


class ComplianceRule(models.Model):
    """基本建设程序规则: when a project is in a situation, one of the listed approvals must be done (data)."""

    key = models.SlugField(_("编码"), max_length=48, unique=True)
    text = models.CharField(_("规则"), max_length=255)
    conditions = models.JSONField(_("适用情形"), default=list)  # values of Condition, all of them
    requires_any = models.JSONField(_("须办结的审批事项(其一)"), default=list)  # ApprovalKind keys
    before = models.BooleanField(_("须在首次报送投资前办结"), default=False)
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("程序规则")
        verbose_name_plural = _("程序规则")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.key

    def condition_labels(self) -> list[str]:
        return [str(Condition(c).label) for c in self.conditions if c in Condition.values]


class ApprovalProfile(models.Model):
    """A project's approval settings: its 立项 route, 环评 category, 用海/用林 flags, and its agent (代办员)."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="approval_profile")
    route = models.CharField(_("立项方式"), max_length=16, choices=Route.choices, blank=True)
    eia = models.CharField(_("环评类别"), max_length=16, choices=EiaLevel.choices, blank=True)
    uses_sea = models.BooleanField(_("用海"), default=False)
    uses_forest = models.BooleanField(_("用林"), default=False)
    agent_unit = models.ForeignKey(Unit, verbose_name=_("代办单位"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="agented_profiles")
    agent_person = models.CharField(_("代办员"), max_length=64, blank=True)
    agent_phone = models.CharField(_("代办员电话"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("项目审批设置")
        verbose_name_plural = _("项目审批设置")

    def __str__(self) -> str:
        return str(self.project)


class Approval(models.Model):
    """审批事项办理: one approval of one project, from submission to decision, against its time limit."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="approval_records")
    kind = models.ForeignKey(ApprovalKind, verbose_name=_("审批事项"), on_delete=models.PROTECT,
                             related_name="approvals")
    approving_unit = models.ForeignKey(Unit, verbose_name=_("审批部门"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="approvals_handled")
    state = models.CharField(_("状态"), max_length=16, choices=ApprovalState.choices,
                             default=ApprovalState.NOT_SUBMITTED, db_index=True)
    submitted_on = models.DateField(_("申报日期"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    legal_days = models.PositiveSmallIntegerField(_("法定时限(工作日)"))
    promised_days = models.PositiveSmallIntegerField(_("承诺时限(工作日)"), null=True, blank=True)
    due_on = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    done_on = models.DateField(_("办结日期"), null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(_("办理用时(工作日)"), null=True, blank=True)
    document_number = models.CharField(_("文号"), max_length=64, blank=True)
    return_reason = models.TextField(_("退回补正原因"), blank=True)
    # 容缺受理: accepted with papers missing, which the applicant promises to supply by a date.
    missing_papers = models.TextField(_("容缺材料"), blank=True)
    papers_due_on = models.DateField(_("承诺补齐日期"), null=True, blank=True)
    papers_supplied_on = models.DateField(_("补齐日期"), null=True, blank=True)
    # 承诺制: the applicant's commitment, verified by the unit by a date.
    commitment = models.TextField(_("承诺事项"), blank=True)
    commitment_due_on = models.DateField(_("核查日期"), null=True, blank=True)
    commitment_verified_on = models.DateField(_("核查完成日期"), null=True, blank=True)
    # An approved exemption (e.g. 施工许可 for a project below the threshold) counts as done for the procedures.
    exempt = models.BooleanField(_("经批准免于办理"), default=False)
    exemption_basis = models.CharField(_("免办依据"), max_length=255, blank=True)
    parallel = models.BooleanField(_("并联审批"), default=False)
    note = models.TextField(_("备注"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("审批事项办理")
        verbose_name_plural = _("审批事项办理")
        ordering = ["project_id", "kind__order", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="approval_record_unique_kind")]
        indexes = [models.Index(fields=["approving_unit", "state"]), models.Index(fields=["kind", "state"]),
                   models.Index(fields=["papers_due_on"]), models.Index(fields=["commitment_due_on"])]

    def __str__(self) -> str:
        return f"{self.project} · {self.kind}"

    @property
    def limit_days(self) -> int:
        return self.promised_days if self.promised_days and self.promised_days < self.legal_days else self.legal_days

    @property
    def subject(self) -> str:
        return f"project:{self.project_id}"


class ReviewSession(models.Model):
    """联评联审 / 并联审批: one meeting where several units review projects' approvals together."""

    kind = models.CharField(_("方式"), max_length=16, choices=SessionKind.choices, default=SessionKind.JOINT)
    title = models.CharField(_("会议名称"), max_length=128)
    held_on = models.DateField(_("会议日期"))
    convened_by = models.ForeignKey(Unit, verbose_name=_("召集单位"), on_delete=models.PROTECT,
                                    related_name="convened_sessions")
    units = models.ManyToManyField(Unit, verbose_name=_("参会单位"), related_name="review_sessions", blank=True)
    approvals = models.ManyToManyField(Approval, verbose_name=_("审查事项"), related_name="sessions", blank=True)
    decisions = models.TextField(_("会议决定"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联评联审会议")
        verbose_name_plural = _("联评联审会议")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class SessionOpinion(models.Model):
    """One unit's opinion in a session, on one project (or on the whole)."""

    session = models.ForeignKey(ReviewSession, on_delete=models.CASCADE, related_name="opinions")
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, verbose_name=_("项目"), null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    opinion = models.TextField(_("意见"))

    class Meta:
        verbose_name = _("审查意见")
        verbose_name_plural = _("审查意见")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.opinion[:40]


class FollowUp(models.Model):
    """A follow-up a session decided: who does it by when."""

    session = models.ForeignKey(ReviewSession, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.TextField(_("事项"))
    owner = models.ForeignKey(Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("完成时限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("会议跟进事项")
        verbose_name_plural = _("会议跟进事项")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text[:40]
