from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    PROJECTS = "projects", _("项目")
    REPORTS = "reports", _("月报")
    APPROVALS = "approvals", _("审批事项")
    CONCEPTS = "concepts", _("谋划项目")  # touzi.pipeline
    FINANCING_ARRIVALS = "fin_arrivals", _("到位资金")
    FINANCING_BONDS = "fin_bonds", _("专项债券额度")
    FACTOR_QUOTAS = "factor_quotas", _("要素指标")
    FACTOR_REQUESTS = "factor_requests", _("要素指标申请")
    IDLE_PARCELS = "idle_parcels", _("存量土地")


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("待确认")
    REFUSED = "refused", _("有错误,未导入")
    RUNNING = "running", _("导入中")
    COMMITTED = "committed", _("已导入")
    FAILED = "failed", _("导入失败,未写入")
