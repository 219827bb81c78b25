"""The messages an import batch stores as code and parameters (`ImportBatch.message_code`).

Importing this module registers every code a batch may hold: the reader's (lib.xlsx), the domain's cell
rules (imports.cells) and the batch's own outcomes below, so a stored batch always renders.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from touzi.imports import cells  # noqa: F401  (registers the imports.* cell codes)
from touzi.lib.messages import define
from touzi.lib.xlsx import errors  # noqa: F401  (registers the xlsx.* codes)

MSG_WRITE_FAILED = define("imports.write_failed", _("导入失败,未写入任何数据:%(error)s"))
MSG_CHANGED = define("imports.changed_since_preview", _("数据在预览后发生了变化,重新检查发现错误,未写入任何数据"))
