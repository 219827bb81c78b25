from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """项目阶段, in the order a project normally moves through them."""

    RESERVE = "reserve", _("储备")
    PRELIMINARY = "preliminary", _("前期")
    NEW_START = "new_start", _("新开工")
    CONTINUING = "continuing", _("续建")
    COMPLETED = "completed", _("竣工")
    IN_OPERATION = "in_operation", _("投产")
    CANCELLED = "cancelled", _("取消")
    # The seed's limits on government investment (三(二)2): 对部分市、县二级政府投资项目实施停缓建或压缩建设规模.
    SUSPENDED = "suspended", _("停缓建")
    SCALED_DOWN = "scaled_down", _("压缩规模")


# The moves a stage may make (service functions enforce them; nothing else writes `stage`).
# 停缓建 stops a project (before or during construction) until it resumes; 压缩规模 goes on building to a smaller
# total (a decision with its reason and document: StageDecision), so it counts as under construction.
STAGE_MOVES: dict[str, frozenset[str]] = {
    Stage.RESERVE: frozenset({Stage.PRELIMINARY, Stage.NEW_START, Stage.CANCELLED}),
    Stage.PRELIMINARY: frozenset({Stage.NEW_START, Stage.RESERVE, Stage.CANCELLED, Stage.SUSPENDED}),
    Stage.NEW_START: frozenset({Stage.CONTINUING, Stage.COMPLETED, Stage.CANCELLED, Stage.SUSPENDED,
                                Stage.SCALED_DOWN}),
    Stage.CONTINUING: frozenset({Stage.COMPLETED, Stage.CANCELLED, Stage.SUSPENDED, Stage.SCALED_DOWN}),
    Stage.SUSPENDED: frozenset({Stage.PRELIMINARY, Stage.CONTINUING, Stage.SCALED_DOWN, Stage.CANCELLED}),
    Stage.SCALED_DOWN: frozenset({Stage.COMPLETED, Stage.SUSPENDED, Stage.CANCELLED}),
    Stage.COMPLETED: frozenset({Stage.IN_OPERATION}),
    Stage.IN_OPERATION: frozenset(),
    Stage.CANCELLED: frozenset(),
}
UNDER_CONSTRUCTION = frozenset({Stage.NEW_START, Stage.CONTINUING, Stage.SCALED_DOWN})
# Started at some point (a suspended project may have been, or not: its actual start says).
STARTED = frozenset({*UNDER_CONSTRUCTION, Stage.COMPLETED, Stage.IN_OPERATION})
FINISHED = frozenset({Stage.COMPLETED, Stage.IN_OPERATION, Stage.CANCELLED})
# The stages that need a recorded decision (reason and document) to enter.
DECIDED = frozenset({Stage.SUSPENDED, Stage.SCALED_DOWN})


class FundingSource(models.TextChoices):
    """资金来源 of a project's funding plan."""

    CENTRAL_BUDGET = "central_budget", _("中央预算内投资")
    SPECIAL_BONDS = "special_bonds", _("地方政府专项债券")
    GENERAL_BONDS = "general_bonds", _("地方政府一般债券")
    FISCAL = "fiscal", _("财政资金")
    BANK_LOANS = "bank_loans", _("银行贷款")
    SELF_RAISED = "self_raised", _("企业自筹")
    SOCIAL_CAPITAL = "social_capital", _("社会资本(PPP)")
    FOREIGN = "foreign", _("外资")
    REITS = "reits", _("基础设施REITs")
    POLICY_TOOLS = "policy_tools", _("政策性开发性金融工具")


class ApprovalItem(models.TextChoices):
    """重要审批环节: the key approvals whose time limits are one of the five clarities."""

    PROJECT = "project", _("立项(审批/核准/备案)")
    LAND = "land", _("用地预审与选址意见")
    PLANNING = "planning", _("建设工程规划许可")
    ENVIRONMENT = "environment", _("环境影响评价")
    ENERGY = "energy", _("节能审查")
    CONSTRUCTION = "construction", _("施工许可")


class Clarity(models.TextChoices):
    """五明确 of the seed: what a major project must have settled."""

    FUNDING = "funding", _("资金筹措方案")
    FARMLAND = "farmland", _("耕地占补平衡方案")
    PROGRESS = "progress", _("年度进度目标")
    INVESTMENT = "investment", _("年度投资计划")
    APPROVALS = "approvals", _("重要审批环节办理时限")


class FactorKind(models.TextChoices):
    """要素保障: what a project is waiting for."""

    LAND = "land", _("用地")
    SEA = "sea", _("用海")
    FOREST = "forest", _("林地")
    ENERGY = "energy", _("能耗指标")
    FUNDS = "funds", _("资金")
    DEMOLITION = "demolition", _("征地拆迁")
    UTILITIES = "utilities", _("水电气接入")
    APPROVAL = "approval", _("审批手续")
    OTHER = "other", _("其他")
