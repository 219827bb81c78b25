"""Freezing a briefing's content as JSON (exact decimals), reading it back, and saying what changed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from touzi.briefings.content import Briefing, Chart, Section, Table
from touzi.briefings.typeset import cell_text, chinese_text, is_percent_column


def _cell(value: Any) -> Any:
    return {"d": str(value)} if isinstance(value, Decimal) else value


def _uncell(value: Any) -> Any:
    return Decimal(value["d"]) if isinstance(value, dict) and "d" in value else value


def _table_rows(table: dict[str, Any]) -> None:
    table["rows"] = [[_cell(c) for c in row] for row in table["rows"]]


def to_json(b: Briefing) -> dict[str, Any]:
    data = dataclasses.asdict(b)
    data["date"] = b.date.isoformat()
    data["printed_on"] = b.printed_on.isoformat() if b.printed_on else None
    for table in data["annex"]:
        _table_rows(table)

    def fix(section: dict[str, Any]) -> None:
        for table in section["tables"]:
            _table_rows(table)
        for child in section["children"]:
            fix(child)

    for section in data["sections"]:
        fix(section)
    return data


def _table(t: dict[str, Any]) -> Table:
    return Table(
        title=t["title"],
        headers=list(t["headers"]),
        rows=[[_uncell(c) for c in r] for r in t["rows"]],
        note=t.get("note", ""),
        key=t.get("key", ""),
        sheet=t.get("sheet", ""),
    )


def _section(data: dict[str, Any]) -> Section:
    return Section(
        heading=data["heading"],
        paragraphs=list(data["paragraphs"]),
        tables=[_table(t) for t in data["tables"]],
        charts=[
            Chart(
                title=c["title"],
                labels=list(c["labels"]),
                series=[(name, list(values)) for name, values in c["series"]],
                unit=c.get("unit", ""),
                reference=tuple(c["reference"]) if c.get("reference") else None,
            )
            for c in data["charts"]
        ],
        children=[_section(child) for child in data["children"]],
        run_in=data.get("run_in", False),
    )


def from_json(data: dict[str, Any]) -> Briefing:
    """The content back; content frozen before a field existed gets that field's default."""
    printed_on = data.get("printed_on")
    return Briefing(
        title=data["title"],
        number=data["number"],
        recipients=data["recipients"],
        opening=list(data["opening"]),
        sections=[_section(s) for s in data["sections"]],
        issuer=data["issuer"],
        date=dt.date.fromisoformat(data["date"]),
        annex_note=data.get("annex_note", ""),
        version=data.get("version", 1),
        change_note=data.get("change_note", ""),
        masthead=data.get("masthead", ""),
        closing=data.get("closing", ""),
        copy_to=list(data.get("copy_to", [])),
        printed_by=data.get("printed_by", ""),
        printed_on=dt.date.fromisoformat(printed_on) if printed_on else None,
        annex=[_table(t) for t in data.get("annex", [])],
        title_segments=list(data.get("title_segments", [])),
    )


def _row_key(table: Table) -> Any:
    """What identifies a row across versions: its name where the first column is a rank (ranks move),
    else its first two cells."""
    if table.headers and table.headers[0] in ("排名", "序号"):
        return lambda row: str(row[1] if len(row) > 1 else "")
    return lambda row: str(row[0]) + "|" + str(row[1] if len(row) > 1 else "")


def changes(old: Briefing, new: Briefing, *, limit: int = 40) -> list[str]:
    """What a corrected version changes against the published one, cell by cell, in plain Chinese."""
    before = {t.key or t.title: t for t in old.annex_tables()}
    lines: list[str] = []
    for table in new.annex_tables():
        previous = before.get(table.key or table.title)
        if previous is None:
            continue
        label = table.title.split(" ")[0]
        key = _row_key(table)
        old_rows = {key(r): r for r in previous.rows}
        for row in table.rows:
            was = old_rows.get(key(row))
            if was is None:
                continue
            # Columns are matched by header: a version frozen before a column was added or moved still compares.
            before_at = {chinese_text(h): i for i, h in enumerate(previous.headers)}
            for header, b in zip(table.headers, row, strict=False):
                at = before_at.get(chinese_text(header))
                a = was[at] if at is not None and at < len(was) else b
                if a != b:
                    name = row[1] if isinstance(row[0], int) or table.headers[:1] in (["排名"], ["序号"]) else row[0]
                    percent = is_percent_column(header)
                    lines.append(f"{label}「{name}」{chinese_text(header)}："
                                 f"{cell_text(a, percent=percent)} → {cell_text(b, percent=percent)}")
    if len(lines) > limit:
        lines = [*lines[:limit], f"……另有{len(lines) - limit}处变化"]
    return lines

