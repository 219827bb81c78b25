"""What every import shares: row errors, the checked result, progress, and the error report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from touzi.core import jobs
from touzi.lib.messages import Message, render
from touzi.lib.xlsx import MIB, CellError, Limits, SheetSpec, write_workbook

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowError:
    """One refused cell: the Excel row and column the user sees, the value, and why.

    `reason` is a message code with parameters where the reader gave one (kept so in `as_dict`, rendered in the
    reader's language by `message`), or text already written.
    """

    row: int
    column: str
    value: str
    reason: Message | str

    @property
    def message(self) -> str:
        return render(self.reason)

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "message": stored(self.reason)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RowError:
        """A stored error (ImportBatch.errors); its message as a code, or the text stored before codes."""
        reason = data["message"]
        return cls(data["row"], data["column"], data["value"],
                   Message.from_json(reason) if isinstance(reason, dict) else str(reason))


def stored(message: Message | str) -> dict[str, Any] | str:
    """A message as a batch stores it (JSON): its code and parameters, or text that has no code."""
    return message.as_json() if isinstance(message, Message) else message


def reason_of(exc: ValueError) -> Message | str:
    """Why a cell was refused: the reader's message code, or the text of any other ValueError."""
    return exc.msg if isinstance(exc, CellError) else str(exc)


@dataclass
class Checked:
    """A checked file: what would be written (create / update / unchanged), or why not."""

    kind: str
    rows: list[Any] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[Message | str] = field(default_factory=list)  # shown beside the preview (ImportBatch.notes)
    skipped: list[tuple[int, Message | str]] = field(default_factory=list)  # (row, why not data)
    counts: dict[str, int] = field(default_factory=lambda: {"create": 0, "update": 0, "unchanged": 0})

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, Any]:
        return {**self.counts, "rows": len(self.rows), "errors": len(self.errors), "skipped": len(self.skipped)}


def shown(value: object) -> str:
    return "" if value is None else str(value)[:200]


def error_report(errors: list[RowError]) -> bytes:
    """The row-by-row error report users download (行, 列, 值, 问题), in the reader's language."""
    return write_workbook([SheetSpec(title=_("错误清单"), headers=[_("行"), _("列"), _("值"), _("问题")],
                                     rows=([e.row, e.column, e.value, e.message] for e in errors),
                                     widths=[8, 22, 30, 70])],
                          notes=[_("文件未导入任何数据。请按清单修改后重新上传。")])


def progress_key(batch_id: int) -> str:
    return jobs.progress_key("import", batch_id)


def cache_progress(batch_id: int) -> Progress:
    """Progress goes to the cache, outside the import's transaction, so another request can read it."""
    return jobs.cache_progress(progress_key(batch_id))


def import_limits() -> Limits:
    """The file limits of docs/imports.md, from settings."""
    return Limits(max_bytes=settings.IMPORT_MAX_BYTES, max_rows=settings.IMPORT_MAX_ROWS,
                  parse_memory_bytes=settings.IMPORT_PARSE_MEMORY_MB * MIB,
                  parse_cpu_seconds=settings.IMPORT_PARSE_CPU_SECONDS)
