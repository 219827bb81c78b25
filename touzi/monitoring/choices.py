from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """How a target stands against the share of its period that has elapsed (序时进度)."""

    ON_TRACK = "on_track", _("正常")
    BEHIND = "behind", _("滞后")
    AT_RISK = "at_risk", _("严重滞后")
    MET = "met", _("已完成")
    MISSED = "missed", _("未完成")
    NO_DATA = "no_data", _("暂无数据")
    NOT_MEASURED = "not_measured", _("不适用")


class Level(models.TextChoices):
    YELLOW = "yellow", _("黄色预警")
    RED = "red", _("红色预警")


class WarningKind(models.TextChoices):
    BEHIND_PLAN = "behind_plan", _("投资进度滞后于年度计划")
    START_LATE = "start_late", _("计划开工时间已过仍未开工")
    COMPLETION_LATE = "completion_late", _("计划竣工时间已过仍未竣工")
    REPORT_MISSING = "report_missing", _("逾期未报送月报")
    CLARITIES = "clarities", _("五明确不完整")
    FACTOR_OPEN = "factor_open", _("要素保障问题未解决")
    APPROVAL_LATE = "approval_late", _("审批事项超过办理时限")
    DEFERRED_PAPERS_LATE = "deferred_papers_late", _("容缺材料逾期未补齐")
    COMMITMENT_LATE = "commitment_late", _("承诺事项逾期未核查")
    PRELIM_LATE = "prelim_late", _("前期工作节点逾期")  # touzi.pipeline
    NOT_REGISTERED = "not_registered", _("开工后逾期未统计入库")  # touzi.pipeline
