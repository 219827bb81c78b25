from django.db import models
from django.utils.translation import gettext_lazy as _


class ApprovalState(models.TextChoices):
    """审批事项的办理状态."""

    NOT_SUBMITTED = "not_submitted", _("未申报")
    SUBMITTED = "submitted", _("已申报待受理")
    ACCEPTED = "accepted", _("已受理")
    DEFERRED = "deferred", _("容缺受理")
    DONE = "done", _("已办结")
    REFUSED = "refused", _("不予许可")
    RETURNED = "returned", _("退回补正")


# What the approving unit still has to act on (its queue).
UNIT_TO_DO = (ApprovalState.SUBMITTED, ApprovalState.ACCEPTED, ApprovalState.DEFERRED)
# What the owner or its agent has to act on: submit, resubmit after 补正, supply the papers still missing.
OWNER_TO_DO = (ApprovalState.NOT_SUBMITTED, ApprovalState.RETURNED)
# The applicant may still assign the approving unit (before it accepts).
BEFORE_ACCEPTANCE = (ApprovalState.NOT_SUBMITTED, ApprovalState.RETURNED, ApprovalState.SUBMITTED)
# Running against its time limit.
RUNNING = (ApprovalState.ACCEPTED, ApprovalState.DEFERRED)
CLOSED = (ApprovalState.DONE, ApprovalState.REFUSED)

MOVES: dict[str, frozenset[str]] = {
    ApprovalState.NOT_SUBMITTED: frozenset({ApprovalState.SUBMITTED}),
    ApprovalState.RETURNED: frozenset({ApprovalState.SUBMITTED}),
    ApprovalState.SUBMITTED: frozenset({ApprovalState.ACCEPTED, ApprovalState.DEFERRED, ApprovalState.RETURNED}),
    ApprovalState.ACCEPTED: frozenset({ApprovalState.DONE, ApprovalState.REFUSED, ApprovalState.RETURNED}),
    ApprovalState.DEFERRED: frozenset({ApprovalState.ACCEPTED, ApprovalState.DONE, ApprovalState.REFUSED,
                                       ApprovalState.RETURNED}),
    ApprovalState.DONE: frozenset(),
    ApprovalState.REFUSED: frozenset(),
}


class Applies(models.TextChoices):
    ALL = "all", _("全部项目")
    GOVERNMENT = "government", _("政府投资项目")
    ENTERPRISE = "enterprise", _("企业投资项目")


class Route(models.TextChoices):
    """立项 route: 审批 (government investment), 核准 or 备案 (enterprise investment)."""

    APPROVAL = "approval", _("审批")
    VERIFICATION = "verification", _("核准")
    FILING = "filing", _("备案")


class EiaLevel(models.TextChoices):
    REPORT = "report", _("环境影响报告书")
    TABLE = "table", _("环境影响报告表")
    REGISTRATION = "registration", _("环境影响登记表")


class Flag(models.TextChoices):
    SEA = "sea", _("用海")
    FOREST = "forest", _("用林")


class NeededBy(models.TextChoices):
    START = "start", _("开工前")
    COMPLETION = "completion", _("竣工时")


class SessionKind(models.TextChoices):
    JOINT = "joint", _("联评联审")
    PARALLEL = "parallel", _("并联审批")


class Condition(models.TextChoices):
    """When a procedure rule applies to a project."""

    STARTED = "started", _("已开工")
    COMPLETED = "completed", _("已竣工")
    INVESTMENT_REPORTED = "investment_reported", _("已报送完成投资")
    GOVERNMENT = "government", _("政府投资项目")
