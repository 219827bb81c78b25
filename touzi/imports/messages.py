"""The messages an import batch stores as code and parameters (`ImportBatch.message_code`).

Importing this module registers every code a batch may hold: the reader's (lib.xlsx), the domain's cell
rules (imports.cells), the batch's own outcomes, the row errors and the notes below, so a stored batch
always renders in the reader's language (the English catalogue has each template).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from touzi.imports import cells  # noqa: F401  (registers the imports.* cell codes)
from touzi.lib.messages import define
from touzi.lib.xlsx import errors  # noqa: F401  (registers the xlsx.* codes)
from touzi.projects.choices import Stage

MSG_WRITE_FAILED = define("imports.write_failed", _("导入失败,未写入任何数据:%(error)s"))
MSG_CHANGED = define("imports.changed_since_preview", _("数据在预览后发生了变化,重新检查发现错误,未写入任何数据"))

# --- one row of a file: why a cell is refused (RowError.reason) --------------------------------------------
MSG_NO_CODE = define("imports.no_code", _("缺少项目代码"))
MSG_NO_PERIOD = define("imports.no_period", _("缺少报告期"))
MSG_UNKNOWN_CODE = define("imports.unknown_code", _("项目库中没有这个项目代码"))
MSG_NOT_YOURS = define("imports.not_yours", _("无权为该项目填报(只能填报本单位或本县区的项目)"))
MSG_NAME_MISMATCH = define("imports.name_mismatch", _("项目名称与代码不符(项目库中为「%(name)s」)"))
MSG_STAGE_CLOSED = define("imports.stage_closed", _("项目处于「%(stage)s」阶段,不应填报完成投资"))
MSG_NO_NAME = define("imports.no_name", _("缺少项目名称"))
MSG_NO_DOMAIN = define("imports.no_domain", _("没有这个领域(请按模板“代码表”填写)"))
MSG_NO_COUNTY = define("imports.no_county", _("没有这个县区"))
MSG_NO_PARK = define("imports.no_park", _("没有这个园区"))
MSG_NO_LEAD_UNIT = define("imports.no_lead_unit", _("没有这个牵头单位"))
MSG_STAGE_WORDS = define("imports.stage_words", _("阶段应为:储备、前期、新开工、续建、竣工、投产或取消"))
MSG_REQUIRED = define("imports.required", _("必填"))
MSG_NEGATIVE = define("imports.negative", _("不能为负数"))
MSG_NO_OWNER = define("imports.no_owner", _("缺少项目业主"))
MSG_OWNER_TOO_LONG = define("imports.owner_too_long", _("项目业主名称过长(最多 %(limit)s 个字)"))
MSG_NO_COLLECTION = define("imports.no_collection", _("没有专项「%(name)s」"))
MSG_YES_NO = define("imports.yes_no", _("请填写“是”或“否”"))
MSG_DUPLICATE_CODE = define("imports.duplicate_code", _("与第%(row)s行的项目代码重复"))

# --- what the preview tells besides errors (ImportBatch.notes) ----------------------------------------------
MSG_NEW_OWNERS = define("imports.new_owners", _("将新建项目业主 %(count)s 个:%(names)s"))
MSG_SKIPPED_ROW = define("imports.skipped_row", _("第%(row)s行:%(reason)s"))


# The stages' labels, as nested parameters (MSG_STAGE_CLOSED) shown in the reader's language.
_STAGES = {stage.value: define(f"imports.stage.{stage.value}", stage.label) for stage in Stage}


def stage_label(stage: str) -> dict[str, Any]:
    """A project stage as a nested message parameter: its label in the reader's language."""
    return _STAGES[stage]().as_json()
