from django.db import models
from django.utils.translation import gettext_lazy as _


class InvestorKind(models.TextChoices):
    CENTRAL_SOE = "central_soe", _("央企")
    PRIVATE = "private", _("民企")
    FOREIGN = "foreign", _("外企")
    HMT = "hmt", _("港澳台")
    OTHER = "other", _("其他")


class ThreeEnterprises(models.TextChoices):
    """三企入桂: the province's campaign to bring central SOEs, leading private firms and foreign firms in."""

    NONE = "", _("否")
    CENTRAL = "central", _("央企入桂")
    PRIVATE = "private", _("民企入桂")
    FOREIGN = "foreign", _("外企入桂")


class Currency(models.TextChoices):
    CNY = "CNY", _("人民币")
    USD = "USD", _("美元")


class AgreementState(models.TextChoices):
    SIGNED = "signed", _("签约")
    REGISTERED = "registered", _("注册")
    LANDED = "landed", _("落地")
    STARTED = "started", _("开工")
    IN_PRODUCTION = "in_production", _("投产")
    AT_CAPACITY = "at_capacity", _("达产")
    TERMINATED = "terminated", _("终止")


# The road of an agreement, in order; 终止 can be reached from any state but 达产.
ORDER = [AgreementState.SIGNED, AgreementState.REGISTERED, AgreementState.LANDED, AgreementState.STARTED,
         AgreementState.IN_PRODUCTION, AgreementState.AT_CAPACITY]
# The date field each state stamps on the agreement when it is reached.
DATE_OF = {AgreementState.REGISTERED: "registered_on", AgreementState.LANDED: "landed_on",
           AgreementState.STARTED: "started_on", AgreementState.IN_PRODUCTION: "in_production_on",
           AgreementState.AT_CAPACITY: "at_capacity_on", AgreementState.TERMINATED: "terminated_on"}
# The contract's milestones: (due date field, actual date field, label).
MILESTONES = [("due_registration", "registered_on", _("注册")), ("due_land", "landed_on", _("供地/落地")),
              ("due_start", "started_on", _("开工")), ("due_production", "in_production_on", _("投产"))]
OPEN_STATES = [s for s in ORDER if s != AgreementState.AT_CAPACITY]


class FundsStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已报送")
    ACCEPTED = "accepted", _("已审核")
    RETURNED = "returned", _("已退回")


class GroupBy(models.TextChoices):
    COUNTY = "county", _("县区")
    UNIT = "unit", _("责任单位")
    EVENT = "event", _("签约活动")
    SECTOR = "sector", _("行业")
    YEAR = "year", _("签约年份")


class PromotionWarningKind(models.TextChoices):
    """Early warnings on agreements (listed beside the project warnings; keys `kind:agreement:YYYY-MM`)."""

    MILESTONE_LATE = "promo_milestone_late", _("签约项目合同节点逾期")
    NO_FUNDS = "promo_no_funds", _("签约后长期无到位资金")
    STALLED = "promo_stalled", _("签约项目长期停滞")
