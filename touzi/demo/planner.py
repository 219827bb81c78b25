"""What the demo portfolio holds, decided in memory: `plan_portfolio(size, seed)` → drafts of projects and owners.

Every project the plan names (data/named_projects.yaml) is there in its domain; generated projects fill the
library up to `size` across every leaf domain, county and park. Each started project's spending follows a
gentle S-curve over its life, shaped month by month by the national seasonal pattern (touzi.demo.shape), and
each domain is scaled so that its counted 2021–2023 sum lands on the plan's target × the demo's outcome.

Deterministic: everything comes from one `random.Random(seed)`, in a fixed order, with no database and no
clock; the same size and seed give the same portfolio (the tests pin its totals). Money in 万元.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from typing import TypeVar

from touzi.demo.catalog import (
    BRANDS,
    CITY_OWNERS,
    COUNT_WEIGHTS,
    COUNTY_CODES,
    COUNTY_NAMES,
    COUNTY_WEIGHTS,
    DOMAIN_COUNTY_WEIGHTS,
    DOMAIN_GOALS,
    INDUSTRY_CODES,
    LEAD_UNITS,
    LEAF_DOMAINS,
    LIVES,
    LOCAL_WORDS,
    MAJOR_OUTCOME,
    MAJOR_TARGETS,
    NAMED_SHARE_CAP,
    PARK_COUNTY,
    PARK_NAMES,
    PREFIXES,
    PRODUCTIVE,
    RURAL_DOMAINS,
    RURAL_TOWNS,
    SEEDS,
    SIZES,
    STAGE_WEIGHTS,
    TEMPLATES,
    TOWNS,
    TRADES,
    WORDS,
    WUWANG_DOMAINS,
    YI,
)
from touzi.demo.drafts import DONE, OWNER_KEY_PREFIX, OwnerDraft, PortfolioDraft, ProjectDraft
from touzi.demo.months import LAST_LOCKED, LAST_REPORT, WINDOW_START, YEARS, month_index, parse_month
from touzi.demo.shape import calendar_weights
from touzi.projects.choices import Clarity, Stage
from touzi.reports.choices import ReportStatus

K = TypeVar("K", bound=str)


def _short_town(town: str) -> str:
    return town.removesuffix("街道").removesuffix("镇").removesuffix("乡")


class _Words(dict):
    """Fills a name pattern, drawing each placeholder from the word lists once."""

    def __init__(self, rng: random.Random, county_key: str, towns: list[str], **given: str) -> None:
        super().__init__(**given)
        self.rng, self.county_key, self.towns = rng, county_key, towns

    def __missing__(self, key: str) -> str:
        if key == "town":
            value = self.rng.choice(self.towns)
        elif key in LOCAL_WORDS:
            value = self.rng.choice(LOCAL_WORDS[key][self.county_key])
        elif key == "place2":
            others = [t for t in self.towns if t != self["town"]] or self.towns
            value = _short_town(self.rng.choice(others))
        elif key == "place":
            value = _short_town(self["town"])
        else:
            value = self.rng.choice(WORDS[key])
        self[key] = value
        return value


def _pick(rng: random.Random, weights: Mapping[K, float]) -> K:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _allocate(total: int, weights: dict[str, float], minimum: int = 1) -> dict[str, int]:
    """Split `total` by weights (largest remainder), each at least `minimum` when there is enough."""
    if total <= 0:
        return dict.fromkeys(weights, 0)
    floor = minimum if total >= minimum * len(weights) else 0
    rest = total - floor * len(weights)
    whole = sum(weights.values())
    exact = {k: rest * w / whole for k, w in weights.items()}
    counts = {k: floor + int(v) for k, v in exact.items()}
    short = total - sum(counts.values())
    for key in sorted(exact, key=lambda k: (-(exact[k] - int(exact[k])), k))[:short]:
        counts[key] += 1
    return counts


class _Planner:
    def __init__(self, size: int, seed: int) -> None:
        self.size, self.rng = size, random.Random(seed)
        self.projects: list[ProjectDraft] = []
        self.owners: list[OwnerDraft] = []
        self.owner_names: dict[str, OwnerDraft] = {}
        self.by_sector: dict[str, list[OwnerDraft]] = {}
        self.names: set[str] = set()
        self.weights = calendar_weights()

    # -- owners ---------------------------------------------------------------------------------
    def _new_owner(self, sector: str, name: str | None = None) -> OwnerDraft:
        rng = self.rng
        if name is not None and name in self.owner_names:
            return self.owner_names[name]  # a named firm with several projects
        pooled = name is None  # the firms the plan names build only their own projects
        while name is None or name in self.owner_names:
            suffix = "股份有限公司" if rng.random() < 0.1 else "有限公司"
            name = f"{rng.choice(PREFIXES)}{rng.choice(BRANDS)}{rng.choice(TRADES[sector])}{suffix}"
        owner = OwnerDraft(f"{OWNER_KEY_PREFIX}{len(self.owners) + 1:04d}", name, sector)
        self.owners.append(owner)
        self.owner_names[name] = owner
        if pooled:
            self.by_sector.setdefault(sector, []).append(owner)
        return owner

    def _owner_for(self, sector: str) -> OwnerDraft:
        if sector == "industry:*":  # technical renovation: any manufacturer
            pool = [o for key, owners in self.by_sector.items() if key.startswith("industry:")
                    for o in owners]
            sector = "industry:misc"
        else:
            pool = self.by_sector.get(sector, [])
        if pool and self.rng.random() < 0.55:
            # Reuse, favouring the first firms of the sector (a few firms build many projects).
            return pool[int(len(pool) * self.rng.random() ** 2)]
        return self._new_owner(sector)

    def _unique(self, name: str) -> str:
        base, phase = name, 2
        while name in self.names:
            stem = base.removesuffix("项目").removesuffix("工程")
            tail = base[len(stem):]
            name = f"{stem}({'二三四五六七八九'[min(phase - 2, 7)]}期){tail}"
            if phase > 9:
                name = f"{stem}({phase}){tail}"
            phase += 1
        self.names.add(name)
        return name

    # -- projects -------------------------------------------------------------------------------
    def named(self) -> None:
        for seed in SEEDS:
            if seed.owner.startswith("@"):
                owner = seed.owner[1:]
            else:
                owner = self._new_owner(seed.domain, seed.owner).key
            start, end = parse_month(seed.start), parse_month(seed.end)
            lead = LEAD_UNITS[seed.domain]
            if seed.domain == "water" and seed.owner == "@hepu":
                lead = "hepu"  # county-level water works are run by the county
            draft = ProjectDraft(
                name=seed.name, domain=seed.domain, county=seed.county, park=seed.park, owner=owner,
                lead=lead, total=float(seed.total), stage=seed.stage, start=start, end=end, gov=seed.gov,
                industry=seed.industry or INDUSTRY_CODES[seed.domain][0], named=True,
                collections=list(seed.collections), town=self.rng.choice(TOWNS[seed.county]),
            )
            self.names.add(seed.name)
            self.projects.append(draft)

    def generated(self, count: int) -> None:
        counts = _allocate(count, COUNT_WEIGHTS)
        real_estate = _allocate(round(self.size * 0.03),
                                {"urbanization": 0.7, "services": 0.2, "tourism": 0.1}, minimum=0)
        for domain in LEAF_DOMAINS:
            n = counts[domain]
            n_re = min(real_estate.get(domain, 0), n)
            for i in range(n):
                self.projects.append(self._one(domain, re=i < n_re))

    def _one(self, domain: str, *, re: bool) -> ProjectDraft:
        for attempt in range(6):  # a name already taken is drawn again a few times before it gets a phase
            draft = self._draw(domain, re=re, last=attempt == 5)
            if draft is not None:
                return draft
        raise AssertionError("unreachable")

    def _draw(self, domain: str, *, re: bool, last: bool) -> ProjectDraft | None:
        rng = self.rng
        templates = [t for t in TEMPLATES[domain] if t.real_estate == re] or list(TEMPLATES[domain])
        template = rng.choices(templates, weights=[t.weight or 1.0 for t in templates])[0]
        park = rng.choice(template.parks) if template.parks and rng.random() < template.park else None
        if park is None and domain == "tourism" and rng.random() < 0.15:
            park = "weizhou"
        county = PARK_COUNTY[park] if park else _pick(rng, DOMAIN_COUNTY_WEIGHTS.get(domain, COUNTY_WEIGHTS))
        if domain in ("railway", "waterway") and not park:
            county = rng.choice(["tieshangang", "tieshangang", "haicheng", "hepu"])
        gov = "{co}" not in template.pattern and rng.random() < template.gov
        city_level = gov and rng.random() < 0.3
        lead = template.lead or LEAD_UNITS[domain]
        if gov:
            owner = park if park else (CITY_OWNERS[domain] if city_level else county)
            if domain == "water" and not city_level:
                lead = county  # county-level water works are run by the county (measure water-city)
            words = _Words(rng, county, self._towns(domain, county),
                           county="北海市" if city_level else COUNTY_NAMES[county])
        else:
            owner_draft = self._owner_for(template.sector)
            owner = owner_draft.key
            words = _Words(rng, county, self._towns(domain, county), county=COUNTY_NAMES[county],
                           co=owner_draft.short)
        if domain == "aviation":
            owner = "airport"
        if park:
            words["park"] = PARK_NAMES[park]
        median, spread = SIZES[domain]
        median *= template.scale
        total = min(max(rng.lognormvariate(math.log(median), spread), median / 10), median * 10)
        draft = ProjectDraft(
            name="", domain=domain, county=county, park=park, owner=owner, lead=lead, total=total,
            stage=_pick(rng, STAGE_WEIGHTS), start=None, end=None, gov=gov,
            industry=rng.choice(template.codes or tuple(INDUSTRY_CODES[domain])), real_estate=re,
        )
        self._schedule(draft)
        words["year"] = str(draft.known_start // 12)  # a yearly programme is named for the year it starts
        name = template.pattern.format_map(words)
        if name in self.names and not last:
            return None
        draft.name = self._unique(name)
        draft.town = words.get("town") or rng.choice(self._towns(domain, county))
        return draft

    @staticmethod
    def _towns(domain: str, county: str) -> list[str]:
        return RURAL_TOWNS.get(county, TOWNS[county]) if domain in RURAL_DOMAINS else TOWNS[county]

    def dates(self) -> None:
        """Named projects: delays and preparation years (generated ones are scheduled as they are drawn)."""
        rng = self.rng
        for p in self.projects:
            if not p.named:
                continue
            if p.stage in (Stage.CONTINUING, Stage.NEW_START) and rng.random() < 0.3:
                p.delay = rng.randint(1, 3)
            if p.stage == Stage.PRELIMINARY:
                p.prelim_years = (2023,) if p.known_start >= month_index(2024, 6) else (2022, 2023)
            self._prepared(p)

    def _schedule(self, p: ProjectDraft) -> None:
        """Start and completion months consistent with a generated project's stage."""
        rng = self.rng
        lo, hi = LIVES[p.domain]
        median = SIZES[p.domain][0]
        bigness = min(max(0.5 + math.log(p.total / median) / 3 + rng.uniform(-0.25, 0.25), 0), 1)
        life = round(lo + (hi - lo) * bigness)
        if p.stage == Stage.COMPLETED:
            end = rng.randint(month_index(2021, 3), LAST_LOCKED)
            p.start, p.end = end - life + 1, end
            if p.domain in PRODUCTIVE and not p.gov and end <= month_index(2023, 9) and rng.random() < 0.6:
                p.stage = Stage.IN_OPERATION
        elif p.stage == Stage.NEW_START:
            p.start = rng.randint(month_index(2023, 1), month_index(2023, 11))
            p.end = max(p.start + life - 1, month_index(2024, 1) + rng.randint(0, 6))
        elif p.stage == Stage.CONTINUING:
            p.start = month_index(2019, 1) + int((month_index(2022, 12) - month_index(2019, 1)) * rng.random() ** 0.6)
            p.end = max(p.start + life - 1, month_index(2024, 1) + rng.randint(0, 18))
        elif p.stage == Stage.PRELIMINARY:
            p.start = rng.randint(month_index(2024, 1), month_index(2024, 12))
            p.end = p.start + life - 1
            p.prelim_years = (2023,) if rng.random() < 0.6 else (2022, 2023)
        elif p.stage == Stage.RESERVE:
            p.start = rng.randint(month_index(2024, 3), month_index(2025, 12))
            p.end = p.start + life - 1
        else:  # cancelled: planned, then dropped before it started
            p.start = rng.randint(month_index(2022, 3), month_index(2023, 12))
            p.end = p.start + life - 1
            p.prelim_years = tuple(y for y in YEARS if y < p.start // 12 and rng.random() < 0.7) or (2021,)
        if p.started and rng.random() < 0.3:
            p.delay = rng.randint(1, 4)
        self._prepared(p)

    def _prepared(self, p: ProjectDraft) -> None:
        """Half the projects starting in 2022 or 2023 were in the year before's plan as preliminary work."""
        if p.started and p.known_start // 12 - 1 in YEARS and self.rng.random() < 0.5:
            p.prelim_years = (p.known_start // 12 - 1,)

    def spending(self) -> None:
        """Each started project's monthly figures: an S-curve over its life shaped by the seasonal weights."""
        rng, weights = self.rng, self.weights
        for p in self.projects:
            if not p.started:
                continue
            life = p.known_end - p.known_start + 1
            finished = p.stage in DONE
            ratio = rng.uniform(0.9, 0.99) if finished else rng.uniform(0.95, 1.0)
            raw = []
            for i in range(life):
                month = p.known_start + i
                curve = 0.35 + math.sin(math.pi * (i + 0.5) / life)
                raw.append(curve * weights[month % 12] * rng.lognormvariate(0, 0.22))
            scale = p.total * ratio / sum(raw)
            for i, value in enumerate(raw):
                month = p.known_start + i
                if WINDOW_START <= month <= LAST_REPORT:
                    report = month + 1 if month % 12 == 0 else month
                    p.amounts[report] = p.amounts.get(report, 0.0) + value * scale
            if LAST_REPORT in p.amounts:
                u = rng.random()
                p.open_status = (None if u < 0.03 else ReportStatus.RETURNED if u < 0.06 else
                                 ReportStatus.SUBMITTED if u < 0.14 else ReportStatus.ACCEPTED)
                if p.open_status is None:  # no report for the open month
                    del p.amounts[LAST_REPORT]

    def scale_to_goals(self) -> dict[str, float]:
        """Scale each domain so that its counted 2021–2023 total lands on target × outcome."""
        factors = {}
        for domain, (target, outcome) in DOMAIN_GOALS.items():
            goal = target * outcome * YI
            named = [p for p in self.projects if p.domain == domain and p.named]
            rest = [p for p in self.projects if p.domain == domain and not p.named]
            named_sum = sum(p.counted() for p in named)
            if named_sum > NAMED_SHARE_CAP * goal and rest:
                cut = NAMED_SHARE_CAP * goal / named_sum
                for p in named:
                    p.amounts = {m: a * cut for m, a in p.amounts.items()}
                named_sum *= cut
            rest_sum = sum(p.counted() for p in rest)
            factor = (goal - named_sum) / rest_sum if rest_sum else 1.0
            factors[domain] = factor
            for p in rest:
                p.total *= factor
                p.amounts = {m: a * factor for m, a in p.amounts.items()}
        return factors

    def round_money(self) -> None:
        """Totals up to whole 10 万元 (generated); figures down to 0.01 万元, so no project passes its total."""
        for p in self.projects:
            if not p.named:
                step = 10 if p.total >= 1000 else 1
                p.total = float(math.ceil(p.total / step) * step)
            p.amounts = {m: math.floor(a * 100) / 100 for m, a in p.amounts.items()}

    def codes(self) -> None:
        rng, used = self.rng, set()
        no_code = [p for p in self.projects if p.stage == Stage.RESERVE and not p.named]
        rng.shuffle(no_code)
        skip = {id(p) for p in no_code[:round(self.size * 0.03)]}
        for p in self.projects:
            if id(p) in skip:
                continue
            year = min(max(p.known_start // 12 - rng.choice((0, 0, 1)), 2017), 2023)  # issued by the end of 2023
            kind = "01" if p.gov else ("02" if p.domain in ("energy", "railway", "waterway") else "03")
            while True:
                serial = f"{rng.randrange(100000):05d}"
                check = sum((i + 2) * int(c) for i, c in enumerate(serial)) % 10
                code = f"{year}-{COUNTY_CODES[p.county]}-{p.industry}-{kind}-{serial}{check}"
                if code not in used:
                    break
            used.add(code)
            p.code = code

    def clarities(self) -> None:
        """Most projects have the five clarities; a realistic minority leaves one or two out."""
        rng = self.rng
        for p in self.projects:
            if p.real_estate or p.stage == Stage.CANCELLED:
                continue
            p.farmland_mu = (rng.choice((0, 0, 0, 30, 50, 80, 120, 200, 350, 600))
                             if p.domain in ("industry", "railway", "highway", "urbanization", "energy",
                                             "agriculture", "services", "aviation", "waterway") else 0)
            if rng.random() < 0.2:
                kinds = [Clarity.FUNDING, Clarity.APPROVALS, Clarity.PROGRESS, Clarity.INVESTMENT]
                if p.farmland_mu:
                    kinds.append(Clarity.FARMLAND)
                p.missing = tuple(rng.sample(kinds, 2 if rng.random() < 0.3 else 1))

    def fiscal(self) -> None:
        """Government projects' fiscal money: about a third at or above 1000 万元."""
        rng = self.rng
        gov = [p for p in self.projects if p.gov]
        big = [p for p in gov if p.total >= 2500]
        chosen = {id(p) for p in rng.sample(big, min(len(big), round(len(gov) / 3)))}
        for p in gov:
            if id(p) in chosen:
                p.fiscal = round(rng.uniform(1000, max(1000, min(p.total * 0.5, 60_000))), 2)
            else:
                p.fiscal = round(min(rng.uniform(0.05, 0.4) * p.total, rng.uniform(100, 999)), 2)

    def collections(self) -> None:
        rng = self.rng
        active = [p for p in self.projects if p.stage != Stage.CANCELLED]
        for p in active:
            if p.domain in WUWANG_DOMAINS:
                p.collections.append("wuwang")
            if p.domain == "industry" and not p.gov and "shuangbai" not in p.collections and (
                    p.total >= 50_000 or (("技术改造" in p.name or p.total >= 20_000) and rng.random() < 0.3)):
                p.collections.append("shuangbai")
            owned = p.owner.startswith(OWNER_KEY_PREFIX)
            if (owned and "sanqi" not in p.collections
                    and p.domain in ("industry", "services", "energy", "tourism") and rng.random() < 0.14):
                p.collections.append("sanqi")
            if p.gov:
                p.collections.append("gov-invest")
        biggest = sorted((p for p in active if p.stage != Stage.RESERVE), key=lambda p: (-p.total, p.name))[:45]
        for p in biggest:
            if "region-coordinated" not in p.collections:
                p.collections.append("region-coordinated")

    def major_lists(self) -> None:
        """Each year's major-project list: named and carried-over projects first, then others, to the goal."""
        rng = self.rng
        previous: set[int] = set()
        for year in YEARS:
            goal = MAJOR_TARGETS[year] * MAJOR_OUTCOME[year] * YI
            amount = {id(p): p.counted(year) for p in self.projects}
            eligible = [p for p in self.projects if amount[id(p)] > 0 and (p.named or p.total >= 5_000)]
            named = [p for p in eligible if p.named]
            carried = [p for p in eligible if not p.named and id(p) in previous]
            keyed = [p for p in eligible if not p.named and id(p) not in previous]
            rng.shuffle(keyed)
            chosen, total = [], 0.0
            for p in [*named, *carried, *keyed]:
                if total >= goal * 0.997:
                    break
                if total + amount[id(p)] <= goal * 1.003:
                    chosen.append(p)
                    total += amount[id(p)]
            # Big projects still in preparation are listed too (预备项目), with nothing to count yet.
            chosen += [p for p in self.projects if p.stage == Stage.PRELIMINARY and year in p.prelim_years
                       and p.total >= 100_000]
            for p in chosen:
                p.major_years.append(year)
            previous = {id(p) for p in chosen}


def _renumber(projects: list[ProjectDraft], owners: list[OwnerDraft]) -> list[OwnerDraft]:
    """Keep the owners that own something (a redrawn name can leave one idle), numbered in order."""
    used = {p.owner for p in projects}
    kept = [o for o in owners if o.key in used]
    keys = {o.key: f"{OWNER_KEY_PREFIX}{i:04d}" for i, o in enumerate(kept, start=1)}
    for p in projects:
        p.owner = keys.get(p.owner, p.owner)
    for o in kept:
        o.key = keys[o.key]
    return kept


def plan_portfolio(*, size: int = 2000, seed: int = 2021) -> PortfolioDraft:
    """Decide the whole portfolio in memory; the same size and seed give the same portfolio."""
    planner = _Planner(size, seed)
    planner.named()
    planner.generated(max(0, size - len(SEEDS)))
    planner.dates()
    planner.spending()
    planner.scale_to_goals()
    planner.round_money()
    planner.codes()
    planner.clarities()
    planner.fiscal()
    planner.collections()
    planner.major_lists()
    return PortfolioDraft(planner.projects, _renumber(planner.projects, planner.owners))


# ---------------------------------------------------------------------------------------------------
