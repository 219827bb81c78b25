"""The content of a monthly briefing (月度通报), as the renderer takes it.

Plain dataclasses, no Django: whoever computes the figures fills these in and
`touzi.briefings.render` turns them into a Word document, an Excel annex and a
PDF. Headings carry no numbers; the renderer numbers them by depth
(一、 / （一） / 1. / （1）).

The body carries short tables (the counties, the projects with problems); the
annex (`Briefing.annex`) carries every table in full, and is what the .xlsx
holds. Content frozen before the annex existed has none: its body tables are
the annex then.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = ["Briefing", "Cell", "Chart", "Section", "Table"]

Cell = str | int | Decimal | None


@dataclass
class Table:
    title: str  # e.g. "表1 2023年1—6月分县区重大项目投资完成情况"
    headers: list[str]
    rows: list[list[Cell]]
    note: str = ""  # e.g. "单位:亿元"
    key: str = ""  # stable id used by tests, and to match tables across versions
    sheet: str = ""  # the annex sheet's name (Chinese, ≤ 31 characters); default: the title's first word


@dataclass
class Chart:
    title: str
    labels: list[str]
    series: list[tuple[str, list[float | None]]]  # (name, values), drawn as grouped bars
    unit: str = ""
    reference: tuple[str, float] | None = None  # e.g. ("序时进度", 50.0), drawn as a horizontal line


@dataclass
class Section:
    heading: str  # without its number
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    # A run-in heading: "（一）各县区（园区）。" opens the first paragraph instead of standing on its own line.
    run_in: bool = False

    def walk(self) -> Iterator[Section]:
        """This section, then its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Briefing:
    title: str  # 2023年1—6月全市重大项目建设情况通报
    number: str  # 发文字号, e.g. 北投办〔2023〕6号; may be ""
    recipients: str  # 各县区人民政府，市直各有关单位：
    opening: list[str]  # paragraphs before the first numbered section
    sections: list[Section]
    issuer: str  # 北海市投资工作领导小组办公室
    date: datetime.date
    annex_note: str = ""  # e.g. "附件：2023年1—6月重大项目建设情况统计表"
    version: int = 1
    change_note: str = ""  # for a corrected version: what changed, printed under the title as 更正说明
    masthead: str = ""  # 发文机关标志 in red, e.g. 北海市投资工作领导小组办公室文件; "" prints no 版头
    closing: str = ""  # e.g. 特此通报。
    copy_to: list[str] = field(default_factory=list)  # 抄送机关 of the 版记
    printed_by: str = ""  # 印发机关 of the 版记; "" prints no 版记
    printed_on: datetime.date | None = None  # 印发日期; the 成文日期 when not given
    annex: list[Table] = field(default_factory=list)  # every table in full, for the .xlsx annex
    # The title's words, where it may break onto a second line (关于|2023年1—6月|全市重大项目|建设情况的通报);
    # empty: the renderer finds the breaks itself.
    title_segments: list[str] = field(default_factory=list)

    def tables(self) -> list[Table]:
        """Every table of every section, depth first, in document order."""
        return [table for top in self.sections for section in top.walk() for table in section.tables]

    def annex_tables(self) -> list[Table]:
        """The tables of the .xlsx annex: the full ones, or the body's where the content has no annex."""
        return self.annex or self.tables()

    def charts(self) -> list[Chart]:
        """Every chart of every section, depth first, in document order."""
        return [chart for top in self.sections for section in top.walk() for chart in section.charts]
