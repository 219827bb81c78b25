from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已审核")


# The figures that count in every total: reviewed and accepted by the statistics bureau.
COUNTED = (ReportStatus.ACCEPTED,)
# The figures the owner may still change.
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.SUBMITTED)


class Flag(models.TextChoices):
    """Checks that flag a figure for the reviewer without refusing it."""

    SPIKE = "spike", _("本月投资远高于项目以往水平")
    LATE = "late", _("逾期报送")
    EVIDENCE = "evidence_active", _("佐证材料含有脚本、自动动作或未能检查的内容")
