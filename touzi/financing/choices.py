from django.db import models
from django.utils.translation import gettext_lazy as _


class ArrivalStatus(models.TextChoices):
    """到位资金 are reviewed like monthly reports."""

    SUBMITTED = "submitted", _("已报送")
    ACCEPTED = "accepted", _("已审核")
    RETURNED = "returned", _("已退回")


class PPPStage(models.TextChoices):
    IDENTIFY = "identify", _("识别")
    PREPARE = "prepare", _("准备")
    PROCURE = "procure", _("采购")
    EXECUTE = "execute", _("执行")
    HANDOVER = "handover", _("移交")


PPP_ORDER = [PPPStage.IDENTIFY, PPPStage.PREPARE, PPPStage.PROCURE, PPPStage.EXECUTE, PPPStage.HANDOVER]
# The PPP projects whose fiscal expenditure responsibility is counted in the 10% test: past identification.
PPP_COUNTED = [PPPStage.PREPARE, PPPStage.PROCURE, PPPStage.EXECUTE]


class NeedKind(models.TextChoices):
    FIXED_ASSET_LOAN = "fixed_asset_loan", _("固定资产贷款")
    PROJECT_LOAN = "project_loan", _("项目融资")
    WORKING_CAPITAL = "working_capital", _("流动资金贷款")
    LEASE = "lease", _("融资租赁")
    EQUITY = "equity", _("股权融资")
    OTHER = "other", _("其他")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("已发布")
    MATCHING = "matching", _("对接中")
    GRANTED = "granted", _("已放款")
    CLOSED = "closed", _("已关闭")


OPEN_NEEDS = [NeedStatus.OPEN, NeedStatus.MATCHING]


class StepKind(models.TextChoices):
    """A bank's steps on a need, in order (意向 → 对接 → 尽调 → 授信 → 放款), or 婉拒 with a reason."""

    INTEREST = "interest", _("意向")
    CONTACT = "contact", _("对接")
    DILIGENCE = "diligence", _("尽调")
    CREDIT = "credit", _("授信")
    LOAN = "loan", _("放款")
    DECLINED = "declined", _("婉拒")


STEP_ORDER = [StepKind.INTEREST, StepKind.CONTACT, StepKind.DILIGENCE, StepKind.CREDIT, StepKind.LOAN]


class EventKind(models.TextChoices):
    ROADSHOW = "roadshow", _("路演")
    MATCHMAKING = "matchmaking", _("政金企对接会")


class Figure(models.TextChoices):
    """What a plan target with `measure: {source: financing, figure: …}` is computed from (docs/plan-format.md)."""

    BONDS_APPROVED = "bonds-approved", _("获批政府债券(专项债券额度)")
    SOCIAL_FINANCING = "social-financing", _("新增社会融资规模")
    BANK_LOANS = "bank-loans", _("新增银行贷款")
    SUBSIDISED_INDUSTRY_SHARE = "subsidised-loan-industry-share", _("贴息贷款投放工业占比")
    PPP_COUNT = "ppp-count", _("新增PPP项目数")
    PPP_INVESTMENT = "ppp-investment", _("新增PPP项目投资")


class FinancingWarningKind(models.TextChoices):
    """Warnings on financing records (keys `kind:<id>:YYYY-MM`), listed beside the project warnings."""

    IDLE_BONDS = "fin_idle_bonds", _("专项债券资金闲置")
    FISCAL_CEILING = "fin_fiscal_ceiling", _("政府投资项目年度财政支出超过上限")
