from django.db import models
from django.utils.translation import gettext_lazy as _


class ConceptStatus(models.TextChoices):
    """谋划项目 screening outcome: proposed, then 入库 / 退回 / 储备观察 by the plan office."""

    PROPOSED = "proposed", _("待筛选")
    ACCEPTED = "accepted", _("入库")
    RETURNED = "returned", _("退回")
    WATCH = "watch", _("储备观察")


# The outcomes the office may give a concept (a 储备观察 concept may be screened again).
OUTCOMES = [ConceptStatus.ACCEPTED, ConceptStatus.RETURNED, ConceptStatus.WATCH]
SCREENABLE = [ConceptStatus.PROPOSED, ConceptStatus.WATCH]


class Readiness(models.TextChoices):
    """A reserve or preliminary project's readiness to start, read from its 前期工作 milestones."""

    READY = "ready", _("具备开工条件")
    ON_TRACK = "on_track", _("前期推进中")
    LATE = "late", _("前期节点逾期")
    BLOCKED = "blocked", _("节点晚于计划开工")
    NO_MILESTONES = "none", _("未设前期节点")


class RegisterStatus(models.TextChoices):
    """统计入库 (纳统): whether a project is in the statistics register."""

    NOT_REGISTERED = "not_registered", _("未入库")
    REGISTERED = "registered", _("已入库")
