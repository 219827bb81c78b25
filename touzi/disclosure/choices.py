from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    """The items the seed (三(二)2) says a government-invested project must publish, in its order."""

    SCOPE = "scope", _("建设内容和规模")
    NECESSITY = "necessity", _("建设必要性和依据")
    FUNDING = "funding", _("资金来源")
    TENDERS = "tenders", _("招投标")
    PARTIES = "parties", _("设计、监理和施工单位")
    COMPLETION = "completion", _("竣工决算")


class VersionState(models.TextChoices):
    """Where a prepared text of an item stands: only an approved one is ever public."""

    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已公开")
    REFUSED = "refused", _("退回")


class ConsultationState(models.TextChoices):
    OPEN = "open", _("征求意见中")
    CLOSED = "closed", _("已截止")
    DECIDED = "decided", _("已公布决定")


class OpinionState(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已公开")
    REJECTED = "rejected", _("不予公开")


class TenderMethod(models.TextChoices):
    """招标方式 (招标投标法, 政府采购法)."""

    OPEN = "open", _("公开招标")
    INVITED = "invited", _("邀请招标")
    NEGOTIATION = "negotiation", _("竞争性谈判")
    CONSULTATION = "consultation", _("竞争性磋商")
    SINGLE = "single", _("单一来源")
    INQUIRY = "inquiry", _("询价")


class PartyRole(models.TextChoices):
    """The units the parties item names (设计、监理和施工单位)."""

    DESIGNER = "designer", _("设计单位")
    SUPERVISOR = "supervisor", _("监理单位")
    CONTRACTOR = "contractor", _("施工单位")
