"""The demo's literal data, read once from the YAML files in data/ (package data, so it works from a wheel).

The planner and the province generator draw from these lists with a seeded random number generator: their
order is part of the demo's output, and YAML keeps it (mappings in file order, lists as written). Categorical
values come back as the project's choices (Stage), the rest as plain Python values; nothing here touches the
database.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from touzi.projects.choices import Stage

DATA_DIR = Path(__file__).parent / "data"
YI = 10_000  # 万元 in one 亿元


@cache
def load(name: str) -> dict[str, Any]:
    """One data file (data/<name>.yaml) as a mapping; read once per process."""
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@dataclass(frozen=True)
class Seed:
    """A project the plan names. `start`/`end` are actual (or, before the start, planned) months."""

    name: str
    domain: str
    county: str
    total: int  # 万元
    stage: Stage
    start: str
    end: str
    owner: str  # "@unit-key" of a plan unit, else an enterprise name
    park: str | None = None
    gov: bool = False
    collections: tuple[str, ...] = ()
    industry: str = ""


@dataclass(frozen=True)
class Template:
    """How a generated project is named and who owns it."""

    pattern: str
    sector: str  # the kind of enterprise that owns it (see TRADES)
    gov: float  # chance it is a government project ({co} patterns: 0)
    codes: tuple[str, ...] = ()
    lead: str | None = None  # overrides the domain's lead bureau
    park: float = 0.0  # chance it lies in a park (the template's parks)
    parks: tuple[str, ...] = ()
    real_estate: bool = False
    weight: float = 1.0
    scale: float = 1.0  # size relative to the domain's median


def _seed(row: dict[str, Any]) -> Seed:
    return Seed(**{**row, "stage": Stage(row["stage"]), "collections": tuple(row.get("collections", ()))})


def _template(row: dict[str, Any]) -> Template:
    return Template(**{**row, "codes": tuple(row.get("codes", ())), "parks": tuple(row.get("parks", ()))})


def _tuples(mapping: dict[str, list[Any]]) -> dict[str, tuple[Any, ...]]:
    return {key: tuple(value) for key, value in mapping.items()}


# --- Beihai: targets, places, units (data/beihai.yaml) -----------------------------------------------
_BEIHAI = load("beihai")
MAJOR_TARGETS: dict[int, int] = _BEIHAI["major_targets"]  # 亿元 per year, as the plan states them
MAJOR_OUTCOME: dict[int, float] = _BEIHAI["major_outcome"]  # the factor the demo lands on
# Leaf domain → (2021–2023 target in 亿元, outcome factor).
DOMAIN_GOALS: dict[str, tuple[float, float]] = {k: tuple(v) for k, v in _BEIHAI["domain_goals"].items()}
LEAF_DOMAINS = tuple(DOMAIN_GOALS)
NAMED_SHARE_CAP: float = _BEIHAI["named_share_cap"]
COUNTY_CODES: dict[str, str] = _BEIHAI["county_codes"]
COUNTY_NAMES: dict[str, str] = _BEIHAI["county_names"]
COUNTY_WEIGHTS: dict[str, float] = _BEIHAI["county_weights"]
PARK_COUNTY: dict[str, str] = _BEIHAI["park_county"]
PARK_NAMES: dict[str, str] = _BEIHAI["park_names"]
TOWNS: dict[str, list[str]] = _BEIHAI["towns"]
LEAD_UNITS: dict[str, str] = _BEIHAI["lead_units"]
CITY_OWNERS: dict[str, str] = _BEIHAI["city_owners"]
INDUSTRY_CODES: dict[str, list[str]] = _BEIHAI["industry_codes"]
WUWANG_DOMAINS = tuple(_BEIHAI["wuwang_domains"])

# --- The projects the plan names (data/named_projects.yaml) ------------------------------------------
SEEDS: tuple[Seed, ...] = tuple(_seed(row) for row in load("named_projects")["named_projects"])

# --- What generated projects are made of (data/generator.yaml) ----------------------------------------
_GENERATOR = load("generator")
TEMPLATES: dict[str, tuple[Template, ...]] = {
    domain: tuple(_template(row) for row in rows) for domain, rows in _GENERATOR["templates"].items()}
WORDS: dict[str, tuple[str, ...]] = _tuples(_GENERATOR["words"])
LOCAL_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    key: _tuples(by_county) for key, by_county in _GENERATOR["local_words"].items()}
RURAL_DOMAINS = tuple(_GENERATOR["rural_domains"])
RURAL_TOWNS: dict[str, list[str]] = _GENERATOR["rural_towns"]
DOMAIN_COUNTY_WEIGHTS: dict[str, dict[str, float]] = _GENERATOR["domain_county_weights"]
TRADES: dict[str, tuple[str, ...]] = _tuples(_GENERATOR["trades"])
BRANDS = tuple(_GENERATOR["brands"])
PREFIXES = tuple(_GENERATOR["prefixes"])
COUNT_WEIGHTS: dict[str, float] = _GENERATOR["count_weights"]
SIZES: dict[str, tuple[float, float]] = {k: tuple(v) for k, v in _GENERATOR["sizes"].items()}
LIVES: dict[str, tuple[int, int]] = {k: tuple(v) for k, v in _GENERATOR["lives"].items()}
STAGE_WEIGHTS: dict[Stage, float] = {Stage(k): v for k, v in _GENERATOR["stage_weights"].items()}
PRODUCTIVE = frozenset(_GENERATOR["productive"])
RETURN_REASONS = tuple(_GENERATOR["return_reasons"])
ADJUST_DOWN = tuple(_GENERATOR["adjust_down"])
ADJUST_UP = tuple(_GENERATOR["adjust_up"])
PROBLEMS = tuple(_GENERATOR["problems"])
