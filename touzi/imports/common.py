"""What every import shares: row errors, the checked result, progress, and the error report."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from touzi.core import jobs
from touzi.lib.errors import BusinessError
from touzi.lib.messages import Message, render
from touzi.lib.xlsx import MIB, CellError, Column, Limits, SheetSpec, read_table, write_workbook

if TYPE_CHECKING:
    from touzi.core.actor import Actor

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


class CellRefused(Exception):
    """A cell a row-by-row import cannot take: the row's error as (column header, the value as shown, why)."""

    def __init__(self, header: str, value: object, message: Message | str) -> None:
        super().__init__(str(message))
        self.error = (header, shown(value), message)


def run_rows(content: bytes, columns: list[Column], kind: str, one: Callable[[dict, Actor], None], user: Actor, *,
             headers: Mapping[str, str], keep: bool = True, field_column: Mapping[str, str] | None = None) -> Checked:
    """Every row of the file through ``one`` (a service call per row) in one transaction, all or none.

    Each row runs in its own savepoint so that a refused row leaves nothing behind and the next rows are still
    checked: the report lists every refused row. The file is rolled back if any row was refused, and always with
    ``keep=False`` (the check before an import). A refusal names its cell: `CellRefused` from reading the row, a
    service's `BusinessError` (its ``field`` → the column, through ``field_column`` where the names differ), or
    the model's own validators (`ValidationError`).
    """
    checked = Checked(kind=kind)
    table = read_table(content, columns, limits=import_limits())
    checked.notes, checked.skipped = list(table.notes), list(table.skipped)

    def error(number: int, key: str, message: Message | str, values: dict) -> RowError:
        column = headers.get(key, "")
        return RowError(number, column, shown(values.get(key)) if column else "", message)

    with transaction.atomic():
        for row in table.rows:
            try:
                with transaction.atomic():
                    one(row.values, user)
            except CellRefused as exc:
                checked.errors.append(RowError(row.number, *exc.error))
            except BusinessError as exc:
                key = (field_column or {}).get(exc.field or "", exc.field or "")
                checked.errors.append(error(row.number, key, exc.message, row.values))
            except ValidationError as exc:
                checked.errors += [error(row.number, key, "；".join(found), row.values)
                                   for key, found in exc.message_dict.items()]
            else:
                checked.rows.append(row.number)
                checked.counts["create"] += 1
        if checked.errors or not keep:
            transaction.set_rollback(True)
        if checked.errors:
            checked.counts["create"] = 0
    return checked
