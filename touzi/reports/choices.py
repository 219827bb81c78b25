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
    PHOTO = "photo", _("现场照片待核实")


class ReturnReason(models.TextChoices):
    """The usual reasons a report goes back (the review queue's list); "other" asks for the reviewer's words."""

    AMOUNT_EVIDENCE = "amount_evidence", _("金额与佐证材料不符")
    NO_EVIDENCE = "no_evidence", _("缺少佐证材料或现场照片")
    PHOTO = "photo", _("现场照片时间或位置不符")
    PROGRESS = "progress", _("形象进度描述不清")
    OVER_PLAN = "over_plan", _("累计完成超出年度计划,请核实")
    OTHER = "other", _("其他(请说明)")
