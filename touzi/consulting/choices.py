from django.db import models
from django.utils.translation import gettext_lazy as _


class EngagementKind(models.TextChoices):
    """What a consulting firm (工程咨询单位) was engaged for on a project."""

    FEASIBILITY = "feasibility", _("可行性研究")
    DESIGN = "design", _("初步设计及概算")
    APPRAISAL = "appraisal", _("评估咨询")
    COST = "cost", _("造价咨询")
    SUPERVISION = "supervision", _("工程监理")
    OTHER = "other", _("其他")


class Stage(models.TextChoices):
    """The stages of a project's total investment: 估算 → 概算 → 预算 → 决算."""

    ESTIMATE = "estimate", _("投资估算")
    BUDGET_ESTIMATE = "budget_estimate", _("设计概算")
    BUDGET = "budget", _("施工图预算")
    FINAL = "final", _("竣工决算")


STAGE_RANK = {Stage.ESTIMATE: 1, Stage.BUDGET_ESTIMATE: 2, Stage.BUDGET: 3, Stage.FINAL: 4}


class Grade(models.TextChoices):
    """评价结果 of a firm for a year (docs/consulting.md defines them)."""

    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")
    NONE = "none", _("不予评价")
