"""Importing projects from a workbook. Each row goes through the same services as the form, inside one
transaction that is rolled back for the preview and committed only when every row is clean."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q

from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.core.actor import Actor
from touzi.imports.cells import parse_amount
from touzi.imports.columns import PROJECT_COLUMNS
from touzi.imports.common import Checked, Progress, RowError, import_limits, reason_of, shown
from touzi.imports.messages import (
    MSG_DUPLICATE_CODE,
    MSG_NEGATIVE,
    MSG_NEW_OWNERS,
    MSG_NO_COLLECTION,
    MSG_NO_COUNTY,
    MSG_NO_DOMAIN,
    MSG_NO_LEAD_UNIT,
    MSG_NO_NAME,
    MSG_NO_OWNER,
    MSG_NO_PARK,
    MSG_OWNER_TOO_LONG,
    MSG_REQUIRED,
    MSG_STAGE_WORDS,
    MSG_YES_NO,
)
from touzi.lib.errors import BusinessError
from touzi.lib.messages import Message
from touzi.lib.xlsx import CellError, Row, normalize_text, parse_date, read_table
from touzi.plans.models import Collection, Domain
from touzi.projects.choices import FundingSource, Stage
from touzi.projects.models import Project
from touzi.projects.services import ProjectInput, create_project, move_stage, normalized_name, update_project
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

HEADERS = {c.key: c.headers[0] for c in PROJECT_COLUMNS}
_TRUE = {"是", "y", "yes", "true", "1", "√", "✓"}
_FALSE = {"否", "n", "no", "false", "0", "", "×"}
_SPLIT = re.compile(r"[、,;;/\s]+")


class _Rollback(Exception):
    """Raised to undo a preview's writes."""


def _key(text: str) -> str:
    return normalized_name(text)


class _Directory:
    """Names as sheets write them → domains, units and collections, loaded once."""

    def __init__(self) -> None:
        self.domains: dict[str, Domain] = {}
        for domain in Domain.objects.all():
            self.domains.setdefault(_key(domain.name), domain)
            self.domains[_key(domain.key)] = domain
        self.units: dict[str, dict[str, Unit]] = {}
        for unit in Unit.objects.all():
            names = [unit.name, unit.short_name, unit.key, unit.division_code, *(unit.aliases or [])]
            bucket = self.units.setdefault(unit.kind, {})
            for name in names:
                if name:
                    bucket.setdefault(_key(name), unit)
        self.collections = {}
        for collection in Collection.objects.all():
            self.collections[_key(collection.name)] = collection
            self.collections[_key(collection.key)] = collection
        self.stages = {_key(str(label)): value for value, label in Stage.choices} | {v: v for v in Stage.values}
        self.new_owners: dict[str, Unit] = {}

    def unit(self, kinds: tuple[str, ...], text: str) -> Unit | None:
        for kind in kinds:
            found = self.units.get(kind, {}).get(_key(text))
            if found:
                return found
        return None


def _bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = (normalize_text(value) or "").lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(MSG_YES_NO())


def _month(value: object) -> dt.date | None:
    day = parse_date(value)
    return day.replace(day=1) if day else None


@dataclass
class ProjectRow:
    number: int
    data: ProjectInput
    code: str | None
    stage: str | None


class _RowParser:
    def __init__(self, directory: _Directory, errors: list[RowError]) -> None:
        self.directory, self.errors = directory, errors

    def fail(self, row: Row, key: str, message: Message | str) -> None:
        self.errors.append(RowError(row.number, HEADERS[key], shown(row.values.get(key)), message))

    def text(self, row: Row, key: str) -> str:
        return (normalize_text(row.values.get(key)) or "") if row.values.get(key) is not None else ""

    def parse(self, row: Row) -> ProjectRow | None:
        before = len(self.errors)
        v, d = row.values, self.directory
        values: dict[str, Any] = {"name": self.text(row, "name"), "code": self.text(row, "code") or None}
        if not values["name"]:
            self.fail(row, "name", MSG_NO_NAME())
        domain = d.domains.get(_key(self.text(row, "domain")))
        if domain is None:
            self.fail(row, "domain", MSG_NO_DOMAIN())
        values["domain"] = domain
        county = d.unit((UnitKind.COUNTY,), self.text(row, "county"))
        if county is None:
            self.fail(row, "county", MSG_NO_COUNTY())
        values["county"] = county
        if self.text(row, "park"):
            values["park"] = d.unit((UnitKind.PARK,), self.text(row, "park"))
            if values["park"] is None:
                self.fail(row, "park", MSG_NO_PARK())
        else:
            values["park"] = None
        values["owner"] = self.owner(row)
        if self.text(row, "lead_unit"):
            values["lead_unit"] = d.unit((UnitKind.BUREAU, UnitKind.OFFICE, UnitKind.OTHER), self.text(row, "lead_unit"))
            if values["lead_unit"] is None:
                self.fail(row, "lead_unit", MSG_NO_LEAD_UNIT())
        values["leader"] = self.text(row, "leader")
        values["total_investment"] = self.number(row, "total_investment", required=True)
        values["fiscal_contribution"] = self.number(row, "fiscal_contribution") or Decimal(0)
        for key in ("planned_start", "planned_completion"):
            try:
                values[key] = _month(v.get(key))
            except ValueError as exc:
                self.fail(row, key, reason_of(exc))
        for key in ("is_government", "is_real_estate", "occupies_farmland"):
            try:
                values[key] = _bool(v.get(key))
            except ValueError as exc:
                self.fail(row, key, reason_of(exc))
        industry = self.text(row, "industry")
        values["industry"] = industry[:2] if re.match(r"^\d{2}", industry) else industry
        values["farmland_plan"] = self.text(row, "farmland_plan")
        values["description"] = self.text(row, "description")
        funding = {}
        for source in FundingSource:
            amount = self.number(row, f"funding_{source.value}")
            if amount:
                funding[source.value] = amount
        collections = self.collections(row)
        stage = None
        if self.text(row, "stage"):
            stage = d.stages.get(_key(self.text(row, "stage")))
            if stage is None:
                self.fail(row, "stage", MSG_STAGE_WORDS())
        if len(self.errors) > before:
            return None
        data = ProjectInput(values=values, collections=collections, funding=funding)
        return ProjectRow(row.number, data, values["code"], stage)

    def number(self, row: Row, key: str, *, required: bool = False) -> Decimal | None:
        try:
            value = parse_amount(row.values.get(key))
        except ValueError as exc:
            self.fail(row, key, reason_of(exc))
            return None
        if value is None and required:
            self.fail(row, key, MSG_REQUIRED())
        if value is not None and value < 0:
            self.fail(row, key, MSG_NEGATIVE())
        return value

    def owner(self, row: Row) -> Unit | None:
        name = self.text(row, "owner")
        if not name:
            self.fail(row, "owner", MSG_NO_OWNER())
            return None
        found = self.directory.unit((UnitKind.ENTERPRISE, UnitKind.BUREAU, UnitKind.COUNTY, UnitKind.PARK,
                                     UnitKind.OTHER), name)
        if found is None:
            found = self.directory.new_owners.get(_key(name))
        limit = Unit._meta.get_field("name").max_length
        if found is None and limit is not None and len(name) > limit:
            self.fail(row, "owner", MSG_OWNER_TOO_LONG(limit=limit))
            return None
        if found is None:
            # A new owner is registered as an enterprise unit (reported in the preview, audited on commit).
            found = Unit(key="", name=name, kind=UnitKind.ENTERPRISE)
            self.directory.new_owners[_key(name)] = found
        return found

    def collections(self, row: Row) -> list[tuple[Collection, int | None]]:
        result = []
        for token in _SPLIT.split(self.text(row, "collections")):
            if not token:
                continue
            match = re.match(r"^(.*?)(\d{4})?$", token)
            if match is None:  # never: the pattern matches every token (_SPLIT splits on line breaks)
                continue
            name, year = match[1], int(match[2]) if match[2] else None
            collection = self.directory.collections.get(_key(name))
            if collection is None:
                self.fail(row, "collections", MSG_NO_COLLECTION(name=token))
                continue
            result.append((collection, year))
        return result


def _run(content: bytes, user: Actor, progress: Progress | None) -> Checked:
    table = read_table(content, PROJECT_COLUMNS, limits=import_limits())
    checked = Checked(kind="projects", notes=list(table.notes), skipped=list(table.skipped))
    directory = _Directory()
    parser = _RowParser(directory, checked.errors)
    parsed = [p for p in (parser.parse(row) for row in table.rows) if p is not None]
    seen_codes: dict[str, int] = {}
    for item in parsed:
        if item.code:
            if item.code in seen_codes:
                checked.errors.append(RowError(item.number, HEADERS["code"], item.code,
                                               MSG_DUPLICATE_CODE(row=seen_codes[item.code])))
            seen_codes.setdefault(item.code, item.number)
    if directory.new_owners:
        names = "、".join(u.name for u in list(directory.new_owners.values())[:10])
        checked.notes.append(MSG_NEW_OWNERS(count=len(directory.new_owners),
                                            names=names + ("…" if len(directory.new_owners) > 10 else "")))
    for owner in directory.new_owners.values():
        owner.key = "ent-" + hashlib.sha1(owner.name.encode()).hexdigest()[:12]  # stable per name
        owner.save()
        record(Event.CREATE, actor=user, obj=owner, after={"name": owner.name, "kind": owner.kind},
               message="导入项目时新建业主")
    by_code = {p.code: p for p in Project.objects.filter(code__in=[c for c in seen_codes])}
    for done, item in enumerate(parsed, 1):
        existing = by_code.get(item.code) if item.code else _by_name(item)
        try:
            with transaction.atomic():
                if existing is None:
                    item.data.extra["stage"] = item.stage
                    create_project(item.data, actor=user)
                    checked.counts["create"] += 1
                else:
                    before = existing.version
                    project = update_project(existing, item.data, actor=user)
                    if item.stage and item.stage != project.stage:
                        move_stage(project, item.stage, actor=user, reason="导入")
                    project.refresh_from_db()
                    checked.counts["update" if project.version != before else "unchanged"] += 1
        except BusinessError as exc:
            column = HEADERS.get(exc.field or "", HEADERS["name"])
            checked.errors.append(RowError(item.number, column, shown(item.data.values.get(exc.field or "name")),
                                           exc.message))
        if progress and done % 50 == 0:
            progress(done, len(parsed))
    checked.rows = parsed
    checked.errors.sort(key=lambda e: (e.row, e.column))
    return checked


def _by_name(item: ProjectRow) -> Project | None:
    owner = item.data.values.get("owner")
    if owner is None or not owner.pk:
        return None
    key = normalized_name(item.data.values["name"])
    for project in Project.objects.filter(Q(owner=owner)).only("id", "name", "version", "stage"):
        if normalized_name(project.name) == key:
            return Project.objects.get(pk=project.pk)
    return None


def check_projects(content: bytes, user: Actor, *, progress: Progress | None = None) -> Checked:
    """Run the whole import and roll it back: the preview is exactly what a commit would do."""
    try:
        with transaction.atomic():
            checked = _run(content, user, progress)
            raise _Rollback
    except _Rollback:
        pass
    return checked


def write_projects(content: bytes, user: Actor, *, file_name: str, progress: Progress | None = None) -> Checked:
    """Run the import for real; any error anywhere undoes every row."""
    try:
        with transaction.atomic():
            checked = _run(content, user, progress)
            if not checked.ok:
                raise _Rollback
            record(Event.CREATE, actor=user, object_type="imports.projects", object_repr=file_name,
                   after=checked.summary(), message="导入项目")
    except _Rollback:
        pass
    return checked
