"""Exports of the filtered audit trail: .xlsx (streamed to a temporary file) and CSV (streamed to the client).

Both are written from the database in chunks, so an export of a million records needs no more memory
than one of fifty. Text never becomes a formula: the .xlsx goes through `touzi.lib.xlsx`; in CSV a cell
that starts like a formula (= + - @ tab CR) gets a leading apostrophe, as spreadsheet programs expect.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.audit.models import AuditRecord
from touzi.lib.xlsx import SheetSpec, write_workbook_stream

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def headers() -> list[str]:
    return [_("编号"), _("时间"), _("操作人账号"), _("来源"), _("地址"), _("请求号"), _("事件"), _("对象类型"),
            _("对象编号"), _("对象"), _("所属"), _("变更前"), _("变更后"), _("结果"), _("说明"), _("哈希"),
            _("前一条哈希")]


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def row(record: AuditRecord) -> list[Any]:
    """One record as cells; the time with its UTC offset (+08:00), so it is unambiguous anywhere."""
    return [record.id, timezone.localtime(record.at).isoformat(timespec="seconds"), record.actor_name,
            record.get_source_display(), record.ip or "", record.request_id, record.get_event_display(),
            record.object_type, record.object_id, record.object_repr, record.subject, _json(record.before),
            _json(record.after), _("成功") if record.success else _("失败"), record.message, record.hash,
            record.prev_hash]


def write_xlsx(records: Iterable[AuditRecord]) -> Any:
    """The workbook in a temporary file (deleted when closed), positioned at its start."""
    target = tempfile.NamedTemporaryFile(suffix=".xlsx")  # the response closes (and so deletes) it
    write_workbook_stream(SheetSpec(title=_("审计记录"), headers=headers(), rows=(row(r) for r in records),
                                    widths=[10, 26, 16, 8, 16, 18, 14, 20, 12, 30, 16, 40, 40, 8, 30, 20, 20]),
                          target.name)
    target.seek(0)
    return target


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_lines(records: Iterable[AuditRecord]) -> Iterator[str]:
    """CSV text line by line, with a BOM so that Excel reads it as UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers())
    for record in records:
        yield writer.writerow([_safe(value) for value in row(record)])
