"""The portfolio in memory: what the planner decides and the writer stores (no database, no clock)."""

from __future__ import annotations

from dataclasses import dataclass, field

from touzi.demo.months import LAST_REPORT
from touzi.projects.choices import Clarity, Stage
from touzi.reports.choices import ReportStatus

OWNER_KEY_PREFIX = "demo-owner-"
STARTED = frozenset({Stage.NEW_START, Stage.CONTINUING, Stage.COMPLETED, Stage.IN_OPERATION})
DONE = frozenset({Stage.COMPLETED, Stage.IN_OPERATION})


@dataclass(eq=False)
class ProjectDraft:
    name: str
    domain: str
    county: str
    park: str | None
    owner: str  # unit key
    lead: str | None
    total: float  # 万元
    stage: Stage
    start: int | None  # month index: actual start (started projects) or planned start
    end: int | None  # actual completion (finished) or planned completion
    gov: bool
    industry: str
    named: bool = False
    real_estate: bool = False
    delay: int = 0  # months between planned and actual start
    collections: list[str] = field(default_factory=list)
    code: str | None = None
    amounts: dict[int, float] = field(default_factory=dict)  # report month → 万元 (Feb holds Jan too)
    open_status: ReportStatus | None = ReportStatus.ACCEPTED  # what the open month (2023-12) ends as; None: no report
    missing: tuple[Clarity, ...] = ()  # the clarities left out
    prelim_years: tuple[int, ...] = ()
    farmland_mu: int = 0
    fiscal: float = 0.0
    town: str = ""
    major_years: list[int] = field(default_factory=list)

    @property
    def known_start(self) -> int:
        """`start` where the planner has set it (every started project, every one with a planned start)."""
        if self.start is None:
            raise ValueError(f"{self.name}: no start month")
        return self.start

    @property
    def known_end(self) -> int:
        """`end` where the planner has set it (with `start`)."""
        if self.end is None:
            raise ValueError(f"{self.name}: no end month")
        return self.end

    @property
    def started(self) -> bool:
        return self.stage in STARTED

    def counted(self, year: int | None = None) -> float:
        """What the ledger counts: accepted reports (the open month only when accepted)."""
        return sum(amount for month, amount in self.amounts.items()
                   if (year is None or month // 12 == year)
                   and (month != LAST_REPORT or self.open_status == ReportStatus.ACCEPTED))


@dataclass(eq=False)
class OwnerDraft:
    key: str
    name: str
    sector: str

    @property
    def short(self) -> str:
        return self.name.removesuffix("股份有限公司").removesuffix("有限公司")


@dataclass
class PortfolioDraft:
    projects: list[ProjectDraft]
    owners: list[OwnerDraft]
