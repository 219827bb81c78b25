"""Early warnings on projects at a month (预警). One query per kind of warning, whatever the portfolio's size.

Each warning says what is wrong in plain Chinese, how bad (yellow / red), who answers for it, and which
project; its `key` is stable so a supervision task can be raised from it.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial, reduce
from typing import Any, NamedTuple

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from touzi.core.actor import Actor
from touzi.core.parallel import each
from touzi.lib.periods import add_months, date_text, judged_on, month_text, months_between
from touzi.monitoring.choices import Level, WarningKind
from touzi.monitoring.extensions import project_alert_kinds, project_alert_sources
from touzi.monitoring.periods import step
from touzi.monitoring.sets import plan_projects
from touzi.monitoring.settings import settings_for
from touzi.plans.models import Plan
from touzi.projects.choices import UNDER_CONSTRUCTION, FactorKind, Stage
from touzi.projects.models import FactorIssue
from touzi.projects.selectors import with_clarities
from touzi.reports.choices import ReportStatus
from touzi.reports.counted import MONEY_FIELD, ZERO, months_sum
from touzi.reports.models import MonthlyReport
from touzi.reports.rules import combines_jan_feb
from touzi.units.models import Unit, unit_labels

UNDER_WAY = sorted(UNDER_CONSTRUCTION)  # 压缩规模 goes on building; 停缓建 does not


@dataclass(frozen=True)
class Alert:
    kind: str
    level: str
    reason: str
    project_id: int
    project_name: str
    project_code: str | None
    unit: str  # who answers for it
    county: str
    unit_id: int | None = None  # the unit a supervision task raised from this warning goes to
    county_id: int | None = None

    @property
    def kind_label(self) -> str:
        return str(WarningKind(self.kind).label)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.project_id}"

    def as_dict(self, period: str) -> dict[str, Any]:
        return {"key": f"{self.key}:{period}", "kind": self.kind, "kind_label": str(WarningKind(self.kind).label),
                "level": self.level, "reason": self.reason, "project": self.project_id,
                "project_name": self.project_name, "project_code": self.project_code, "unit": self.unit,
                "county": self.county, "url": f"/projects/{self.project_id}/"}


class _P(NamedTuple):
    """The columns of a project a warning shows (a row, not a model instance: there can be 10^5 of them)."""

    id: int
    name: str
    code: str | None
    lead_unit_id: int | None
    county_id: int
    owner_id: int


_FIELDS = _P._fields


def _rows(qs: Any, *extra: str, prefix: str = "") -> Any:
    """(project row, *extra values) for each row of qs."""
    width = len(_FIELDS)
    for values in qs.values_list(*[prefix + f for f in _FIELDS], *extra):
        yield _P(*values[:width]), *values[width:]


class _Pending(NamedTuple):
    kind: str
    level: str
    reason: str
    p: _P
    unit_id: int | None  # who answers for it, if not the lead unit (or the county)


def _resolve(pending: list[_Pending]) -> list[Alert]:
    """Alerts with the names of their units, looked up once for all of them."""
    ids = {x.unit_id for x in pending} | {x.p.lead_unit_id for x in pending} | {x.p.county_id for x in pending}
    # Each unit's name in the user's language, worked out once (not once per warning).
    labels = unit_labels(sorted(i for i in ids if i is not None))

    def label(unit_id: int | None) -> str:
        return labels.get(unit_id, "") if unit_id is not None else ""

    alerts = []
    for x in pending:
        unit_id = x.unit_id or x.p.lead_unit_id or x.p.county_id
        alerts.append(Alert(x.kind, x.level, x.reason, x.p.id, x.p.name, x.p.code, label(unit_id),
                            label(x.p.county_id), unit_id, x.p.county_id))
    return alerts


@dataclass(frozen=True)
class _Ask:
    """What every kind of warning is asked with."""

    base: Any  # the user's projects in the plan
    month: dt.date
    rules: Any
    today: dt.date


class _Kind(NamedTuple):
    """One kind of warning computed here: its rows as a queryset with the level in SQL (`lvl`, for counting and
    paging in the database) and, for the rows listed, the warning built in Python from the same columns."""

    kind: str
    rows: Callable[[_Ask], Any]  # the queryset (None: no warnings of this kind this month), annotated `lvl`
    extra: tuple[str, ...]  # the columns `build` needs beside the project's
    build: Callable[[_Ask], Callable[..., _Pending]]  # (p, *extra) → the warning; texts translated once
    prefix: str = ""  # how the rows reach the project ("project__" for factor issues)


def _level(red: Any) -> Case:
    return Case(When(red, then=Value(str(Level.RED))), default=Value(str(Level.YELLOW)), output_field=CharField())


def alerts(user: Actor, plan: Plan, month: dt.date, *, today: dt.date | None = None) -> list[Alert]:
    """Every warning on the projects `user` may see, as of the end of `month` (and `today` for deadlines)."""
    ask = _ask(user, plan, month, today)
    found: list[_Pending] = []
    for kind in _kinds():
        qs = kind.rows(ask)
        if qs is not None:
            make = kind.build(ask)
            found += [make(p, *extra) for p, *extra in _rows(qs, *kind.extra, prefix=kind.prefix)]
    for source in project_alert_sources():  # the approvals' late approvals, papers and commitments
        found += source(ask.base, month, ask.today)
    return sorted(_resolve(found), key=_order)


def _ask(user: Actor, plan: Plan, month: dt.date, today: dt.date | None) -> _Ask:
    return _Ask(plan_projects(user, plan).order_by(), month, settings_for(plan), today or timezone.localdate())


_LEVELS: dict[str, int] = {Level.RED: 0, Level.YELLOW: 1}


def _order(a: Alert) -> tuple[int, str, str, str]:
    return (_LEVELS[a.level], a.kind, a.county, a.project_name)


# A portfolio of more projects than this lists its warnings a page at a time (a nation's million projects have
# ~300,000): the dashboard and the briefing hold their counts by level, kind and county and the first page.
LISTED_PROJECTS = 100_000
FIRST_PAGE = 200


# ---- counted in the database, listed a page at a time ------------------------------------------------------


@dataclass
class AlertCounts:
    """How many warnings there are, counted in the database: by (level, kind), and by (kind, county id)."""

    by_group: dict[tuple[str, str], int]  # (level, kind) → n
    by_county: dict[tuple[str, int], int]  # (kind, county id) → n
    extra: list[Alert]  # the warnings of the other apps' sources (approvals …), few, built in full
    # (level, kind, county id) → n: which counties hold a page (alert_page reads only theirs)
    by_level_county: dict[tuple[str, str, int], int] = field(default_factory=dict)

    @classmethod
    def of(cls, found: list[Alert]) -> AlertCounts:
        """The counts of a list built in full."""
        by_group: dict[tuple[str, str], int] = {}
        by_county: dict[tuple[str, int], int] = {}
        for a in found:
            by_group[(a.level, a.kind)] = by_group.get((a.level, a.kind), 0) + 1
            if a.county_id is not None:
                by_county[(a.kind, a.county_id)] = by_county.get((a.kind, a.county_id), 0) + 1
        return cls(by_group, by_county, [])

    @property
    def total(self) -> int:
        return sum(self.by_group.values())

    def levels(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for (level, _kind), n in self.by_group.items():
            out[level] = out.get(level, 0) + n
        return out

    def kinds(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for (_level, kind), n in self.by_group.items():
            out[kind] = out.get(kind, 0) + n
        return out


def alert_counts(user: Actor, plan: Plan, month: dt.date, *, today: dt.date | None = None) -> AlertCounts:
    """The warnings' numbers, counted in the database (one grouped query per kind), without building them."""
    ask = _ask(user, plan, month, today)
    by_group: dict[tuple[str, str], int] = {}
    by_county: dict[tuple[str, int], int] = {}
    by_level_county: dict[tuple[str, str, int], int] = {}
    counted: list[tuple[_Kind, Any]] = []
    for kind in _kinds():
        qs = kind.rows(ask)
        if qs is not None:
            counted.append((kind, qs.values_list("lvl", f"{kind.prefix}county_id").annotate(n=Count("pk")).order_by()))
    # Each kind is one grouped statement over the projects, independent of the others: they are shared out
    # between this connection and a second one (touzi.core.parallel), so that a nation's counts use two cores.
    found: list[list[tuple[str, int, int]]] = each([partial(list, grouped) for _kind, grouped in counted])
    for (kind, _grouped), rows in zip(counted, found, strict=True):
        for level, county_id, n in rows:
            by_group[(level, kind.kind)] = by_group.get((level, kind.kind), 0) + n
            by_county[(kind.kind, county_id)] = by_county.get((kind.kind, county_id), 0) + n
            by_level_county[(level, kind.kind, county_id)] = n
    extra: list[_Pending] = []
    for source in project_alert_sources():
        extra += source(ask.base, month, ask.today)
    resolved = sorted(_resolve(extra), key=_order)
    for a in resolved:
        by_group[(a.level, a.kind)] = by_group.get((a.level, a.kind), 0) + 1
        if a.county_id is not None:
            by_county[(a.kind, a.county_id)] = by_county.get((a.kind, a.county_id), 0) + 1
    return AlertCounts(by_group, by_county, resolved, by_level_county)


def alert_page(user: Actor, plan: Plan, month: dt.date, counts: AlertCounts, offset: int, limit: int, *,
               kinds: set[str] | None = None, level: str = "", today: dt.date | None = None) -> list[Alert]:
    """The warnings `offset` … `offset + limit` in the list's order (red before yellow, then by kind, county and
    project), of the given kinds and level, read from the database a page at a time: whole groups of
    (level, kind) before the page are skipped by their counts, the page's part of a group is one ordered slice."""
    ask = _ask(user, plan, month, today)
    by_kind = {k.kind: k for k in _kinds()}
    groups = sorted((g for g in counts.by_group if (not kinds or g[1] in kinds) and (not level or g[0] == level)),
                    key=lambda g: (_LEVELS[g[0]], g[1]))
    english = (get_language() or "").startswith("en")
    done: list[Alert] = []
    for group in groups:
        n = counts.by_group[group]
        if limit <= 0:
            break
        if offset >= n:
            offset -= n
            continue
        lvl, kind_key = group
        take = min(limit, n - offset)
        kind = by_kind.get(kind_key)
        if kind is None:  # another app's warnings: built in full already
            done += [a for a in counts.extra if a.kind == kind_key and a.level == lvl][offset:offset + take]
        else:
            qs = kind.rows(ask).filter(lvl=lvl)
            holding = _page_counties(counts, group, offset, take, english)
            start = offset
            if holding is not None:  # only the counties the page falls in, and the offset within them
                ids, before = holding
                qs, start = qs.filter(**{f"{kind.prefix}county_id__in": ids}), offset - before
            qs = qs.annotate(county_label=_unit_label(kind.prefix + "county__", english))
            qs = qs.order_by("county_label", f"{kind.prefix}name", f"{kind.prefix}id", "pk")[start:start + take]
            make = kind.build(ask)
            done += _resolve([make(p, *extra) for p, *extra in _rows(qs, *kind.extra, prefix=kind.prefix)])
        limit -= take
        offset = 0
    return done


def _page_counties(counts: AlertCounts, group: tuple[str, str], offset: int, take: int,
                   english: bool) -> tuple[list[int], int] | None:
    """The counties that hold warnings offset … offset + take of a (level, kind) group, in the list's order (by
    county label, read from the database so that its collation decides), and how many warnings of the group come
    before them. A page of a nation's 300,000 warnings then reads a few counties' projects, not all of them.
    None when the counts by county do not account for the whole group (a project without a county)."""
    per_county = {c: n for (lvl, kind, c), n in getattr(counts, "by_level_county", {}).items() if (lvl, kind) == group}
    if not per_county or sum(per_county.values()) != counts.by_group.get(group) or None in per_county:
        return None
    ordered = list(Unit.objects.filter(pk__in=per_county).annotate(sort_label=_unit_label("", english))
                   .order_by("sort_label").values_list("pk", "sort_label"))
    if len(ordered) != len(per_county):
        return None
    # Counties of one label interleave in the list (ordered by label, then project): they go in or out together.
    tied: list[tuple[str, list[int]]] = []
    for pk, label in ordered:
        if tied and tied[-1][0] == label:
            tied[-1][1].append(pk)
        else:
            tied.append((label, [pk]))
    before, seen, chosen = 0, 0, list[int]()
    for _label, ids in tied:
        n = sum(per_county[pk] for pk in ids)
        if not chosen and seen + n <= offset:
            before = seen = seen + n
            continue
        chosen += ids
        seen += n
        if seen >= offset + take:
            break
    return chosen, before


def _unit_label(path: str, english: bool) -> Any:
    """A unit's label (touzi.units.models.unit_label) as an SQL expression, to order by."""
    named = Coalesce(NullIf(F(f"{path}short_name"), Value("")), F(f"{path}name"))
    return Coalesce(NullIf(F(f"{path}name_en"), Value("")), named) if english else named


# ---- the kinds -----------------------------------------------------------------------------------------------


def _behind_plan_rows(ask: _Ask) -> Any:
    """Year-to-date investment (accepted reports plus adjustments) below the annual plan's time-proportional share.

    One pass: each under-way project joined to its annual plan and its counted year (one row each), no
    grouping and no correlated sums.
    """
    month, rules = ask.month, ask.rules
    elapsed = Decimal(month.month) / Decimal(12)
    return (ask.base.filter(stage__in=UNDER_WAY)
            .annotate(plan_row=FilteredRelation("annual_plans", condition=Q(annual_plans__year=month.year)),
                      counted_row=FilteredRelation("counted_years", condition=Q(counted_years__year=month.year)))
            .annotate(planned=F("plan_row__planned_investment"),
                      ytd=Coalesce(months_sum(1, month.month, "counted_row__"), ZERO, output_field=MONEY_FIELD))
            .filter(planned__gt=0, ytd__lt=F("planned") * elapsed * rules.project_yellow_ratio)
            .annotate(lvl=_level(Q(ytd__lt=F("planned") * elapsed * rules.project_red_ratio))))


def _behind_plan(ask: _Ask) -> Callable[..., _Pending]:
    month, rules = ask.month, ask.rules
    elapsed = Decimal(month.month) / Decimal(12)
    percent = (elapsed * 100).quantize(Decimal("0.1"))
    text = _("1—%(m)s月完成投资 %(ytd)s 万元,为年度计划 %(plan)s 万元的 %(share)s%%,低于序时进度 %(elapsed)s%%")

    def make(p: _P, planned: Decimal, ytd: Decimal) -> _Pending:
        share = (ytd / planned * 100).quantize(Decimal("0.1"))
        level = Level.RED if ytd < planned * elapsed * rules.project_red_ratio else Level.YELLOW
        reason = text % {
            "m": month.month, "ytd": f"{ytd:,.0f}", "plan": f"{planned:,.0f}", "share": share, "elapsed": percent}
        return _Pending(WarningKind.BEHIND_PLAN, level, reason, p, None)
    return make


def _late_red(field: str, ask: _Ask) -> Q:
    # months_between(date, month) >= late_red_months, as a date comparison.
    return Q(**{f"{field}__lt": add_months(ask.month, 1 - ask.rules.late_red_months)})


def _start_late_rows(ask: _Ask) -> Any:
    return (ask.base.filter(stage__in=[Stage.RESERVE, Stage.PRELIMINARY], planned_start__lt=ask.month)
            .annotate(lvl=_level(_late_red("planned_start", ask))))


def _late(kind: str, message: str) -> Callable[[_Ask], Callable[..., _Pending]]:
    def build(ask: _Ask) -> Callable[..., _Pending]:
        text = _(message)

        def make(p: _P, day: dt.date) -> _Pending:
            late = months_between(day, ask.month)
            level = Level.RED if late >= ask.rules.late_red_months else Level.YELLOW
            return _Pending(kind, level, text % {"date": month_text(day), "n": late}, p, None)
        return make
    return build


def _completion_late_rows(ask: _Ask) -> Any:
    return (ask.base.filter(stage__in=UNDER_WAY, planned_completion__lt=ask.month)
            .annotate(lvl=_level(_late_red("planned_completion", ask))))


def _report_missing_rows(ask: _Ask) -> Any:
    """No report (other than a draft) for the month once the deadline (the Nth of the next month) has passed."""
    month = ask.month
    if month.month == 1 and combines_jan_feb(month.year):
        return None
    deadline = add_months(month, 1).replace(day=ask.rules.report_deadline_day)
    if ask.today <= deadline:
        return None
    reported = MonthlyReport.objects.filter(project=OuterRef("pk"), month=month).exclude(status=ReportStatus.DRAFT)
    previous = step(month, -1)  # the reporting month before: a January reported with February is stepped over
    reported_before = MonthlyReport.objects.filter(project=OuterRef("pk"), month=previous).exclude(
        status=ReportStatus.DRAFT)
    return (ask.base.filter(stage__in=UNDER_WAY).filter(Q(actual_start__isnull=True) | Q(actual_start__lte=month))
            .annotate(has=Exists(reported), had=Exists(reported_before)).filter(has=False)
            .annotate(lvl=_level(Q(had=False))))


def _report_missing(ask: _Ask) -> Callable[..., _Pending]:
    month = ask.month
    deadline = add_months(month, 1).replace(day=ask.rules.report_deadline_day)
    # The two possible texts, translated once.
    texts = {had: _("%(month)s 月报未在 %(deadline)s 前报送%(more)s") % {
        "month": month_text(month, combined=combines_jan_feb(month.year)), "deadline": date_text(deadline),
        "more": "" if had else _(",上月也未报送")}
        for had in (True, False)}

    def make(p: _P, had: bool) -> _Pending:
        return _Pending(WarningKind.REPORT_MISSING, Level.YELLOW if had else Level.RED, texts[had], p, p.owner_id)
    return make


_CLARITY_NAMES = ("clear_funding", "clear_farmland", "clear_progress", "clear_investment", "clear_approvals")


def _clarities_rows(ask: _Ask) -> Any:
    month = ask.month
    starting = Q(stage__in=UNDER_WAY) | Q(stage__in=[Stage.RESERVE, Stage.PRELIMINARY],
                                          planned_start__year=month.year)
    missing = reduce(operator.add, (Case(When(**{name: False}, then=Value(1)), default=Value(0),
                                         output_field=IntegerField()) for name in _CLARITY_NAMES))
    return (with_clarities(ask.base.filter(starting, is_real_estate=False), month.year)
            .filter(Q(clear_funding=False) | Q(clear_farmland=False) | Q(clear_progress=False)
                    | Q(clear_investment=False) | Q(clear_approvals=False))
            .annotate(missing=missing).annotate(lvl=_level(Q(missing__gte=3))))


def _clarities(ask: _Ask) -> Callable[..., _Pending]:
    names = {"clear_funding": _("资金筹措方案"), "clear_farmland": _("耕地占补平衡方案"),
             "clear_progress": _("年度进度目标"), "clear_investment": _("年度投资计划"),
             "clear_approvals": _("重要审批环节办理时限")}
    text, comma = _("五明确未落实:%(items)s"), _("、")
    labels = [str(label) for label in names.values()]

    def make(p: _P, *flags: bool) -> _Pending:
        missing = [label for flag, label in zip(flags, labels, strict=True) if not flag]
        level = Level.RED if len(missing) >= 3 else Level.YELLOW
        return _Pending(WarningKind.CLARITIES, level, text % {"items": comma.join(missing)}, p, None)
    return make


def _factors_rows(ask: _Ask) -> Any:
    as_of = _factor_day(ask)
    return (FactorIssue.objects.filter(project__in=ask.base.values("id"), resolved_at__isnull=True,
                                       raised_at__date__lte=as_of).order_by("pk")
            .annotate(lvl=_level(Q(due__isnull=False, due__lt=as_of))))


def _factor_day(ask: _Ask) -> dt.date:
    return judged_on(ask.month, ask.today)


def _factors(ask: _Ask) -> Callable[..., _Pending]:
    as_of = _factor_day(ask)
    text, late = _("%(kind)s问题未解决:%(text)s"), _("(时限 %(due)s 已过)")

    def make(p: _P, kind: str, description: str, due: dt.date | None, owed_by: int | None) -> _Pending:
        reason = text % {"kind": FactorKind(kind).label, "text": description[:60]}
        overdue = due is not None and due < as_of
        if due is not None and overdue:
            reason += late % {"due": date_text(due)}
        return _Pending(WarningKind.FACTOR_OPEN, Level.RED if overdue else Level.YELLOW, reason, p, owed_by)
    return make


# In the order the full list was always built in (its sort is stable).
KINDS = (
    _Kind(WarningKind.BEHIND_PLAN, _behind_plan_rows, ("planned", "ytd"), _behind_plan),
    _Kind(WarningKind.START_LATE, _start_late_rows, ("planned_start",),
          _late(WarningKind.START_LATE, gettext_noop("计划 %(date)s 开工,已逾期 %(n)s 个月仍未开工"))),
    _Kind(WarningKind.COMPLETION_LATE, _completion_late_rows, ("planned_completion",),
          _late(WarningKind.COMPLETION_LATE, gettext_noop("计划 %(date)s 竣工,已逾期 %(n)s 个月仍未竣工"))),
    _Kind(WarningKind.REPORT_MISSING, _report_missing_rows, ("had",), _report_missing),
    _Kind(WarningKind.CLARITIES, _clarities_rows, _CLARITY_NAMES, _clarities),
    _Kind(WarningKind.FACTOR_OPEN, _factors_rows, ("kind", "description", "due", "owed_by_id"), _factors,
          prefix="project__"),
)

# What other apps' kinds (touzi.monitoring.extensions.register_alert_kinds) are built from.
AlertKind, Ask, Pending, level_case, project_rows = _Kind, _Ask, _Pending, _level, _rows


def _kinds() -> tuple[_Kind, ...]:
    """Monitoring's kinds, then those other apps register (the pipeline's 未统计入库)."""
    return KINDS + tuple(project_alert_kinds())
