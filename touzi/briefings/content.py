"""The content of a monthly briefing (月度通报), as the renderer takes it.

Plain dataclasses, no Django: whoever computes the figures fills these in and
`touzi.briefings.render` turns them into a Word document, an Excel annex and a
PDF. Headings carry no numbers; the renderer numbers them by depth
(一、 / （一） / 1. / （1）).
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
    key: str = ""  # stable id used by tests and as the annex sheet name


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

    def tables(self) -> list[Table]:
        """Every table of every section, depth first, in document order."""
        return [table for top in self.sections for section in top.walk() for table in section.tables]

    def charts(self) -> list[Chart]:
        """Every chart of every section, depth first, in document order."""
        return [chart for top in self.sections for section in top.walk() for chart in section.charts]
