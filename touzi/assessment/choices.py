from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """Where an indicator's raw value comes from: the platform's own records (docs/assessment.md defines each)."""

    ATTAINMENT = "attainment", _("重大项目投资完成序时进度")
    NEW_STARTS = "new_starts", _("计划新开工项目开工率")
    PROMOTION_HONOURED = "promotion_honoured", _("招商项目履约率")
    PROMOTION_FUNDS = "promotion_funds", _("招商项目资金到位率")
    PROMOTION_STARTED = "promotion_started", _("招商项目开工率")
    PROMOTION_PRODUCTION = "promotion_production", _("招商项目投产率")
    APPROVALS_ON_TIME = "approvals_on_time", _("审批按时办结率")
    SUPERVISION_ON_TIME = "supervision_on_time", _("督办事项按时整改率")
    REPORTING_ON_TIME = "reporting_on_time", _("月报按时报送率")
    DATA_QUALITY = "data_quality", _("数据质量得分")


class Rule(models.TextChoices):
    """How an indicator's raw value becomes its score of 0–100."""

    LINEAR = "linear", _("区间线性")
    RANK = "rank", _("按名次")
    PASS = "pass", _("达标制")


class DeductionSource(models.TextChoices):
    """What a deduction (扣分) counts, one deduction per record."""

    SUPERVISION_OVERDUE = "supervision_overdue", _("督办事项逾期未整改")
    CORRECTIONS_AFTER_LOCK = "corrections_after_lock", _("锁定后更正数据")
    REPORTS_RETURNED = "reports_returned", _("月报被退回")
    APPROVALS_OVERDUE = "approvals_overdue", _("审批超时办结")


class AdjustmentKind(models.TextChoices):
    BONUS = "bonus", _("加分")
    DEDUCTION = "deduction", _("扣分")
