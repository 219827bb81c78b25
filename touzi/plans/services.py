"""Plan acts: load (or update) a plan from a checked file. Atomic and audited, whoever calls it."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models, transaction

from touzi.audit.choices import Event
from touzi.audit.services import jsonable, record
from touzi.core.actor import Actor
from touzi.lib.regions import narrower
from touzi.plans.loader import CheckedPlan, LoadSummary
from touzi.plans.models import (
    Collection,
    Domain,
    Indicator,
    Plan,
    Responsibility,
    Target,
    Task,
    UnitGroup,
    WorkGroup,
)
from touzi.plans.schema import DomainSpec, PlanFile, parse_period
from touzi.plans.sections import SECTIONS
from touzi.units.models import Unit

# The catalogue entries plans share (`Plan.domains`, `Plan.collections`, both related_name="plans").
_Shared = TypeVar("_Shared", Domain, Collection)


def _same(stored: Any, wanted: Any) -> bool:
    """Equal as the database keeps them: 500 and 500.0000 are the same target value."""
    if isinstance(stored, Decimal) or isinstance(wanted, Decimal):
        return stored is not None and wanted is not None and Decimal(stored) == Decimal(wanted)
    return jsonable(stored) == jsonable(wanted)


class _Sync:
    """Brings rows in line with the file, writing an audit record for each one that really changes."""

    def __init__(self, actor: Actor, summary: LoadSummary) -> None:
        self.actor, self.summary = actor, summary
        # Objects this load created: filling them in (a parent, members, duties) is part of creating them, not a
        # change, so a first load reports only what it created.
        self.fresh: set[tuple[type, int]] = set()

    def _changed(self, obj: models.Model, text: str) -> None:
        if (type(obj), obj.pk) in self.fresh:
            return
        self.summary.updated += 1
        self.summary.changes.append(text)

    def upsert(self, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> Any:
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.save()
            record(Event.CREATE, actor=self.actor, obj=obj, after=jsonable({**lookup, **values}))
            self.fresh.add((model, obj.pk))
            self.summary.created += 1
            self.summary.changes.append(f"+ {model._meta.verbose_name} {obj}")
            return obj
        before = {name: jsonable(getattr(obj, name)) for name in values}
        after = jsonable(values)
        changed = {name for name in values if not _same(getattr(obj, name), values[name])}
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save()
            record(Event.UPDATE, actor=self.actor, obj=obj,
                   before={n: before[n] for n in sorted(changed)}, after={n: after[n] for n in sorted(changed)})
            self._changed(obj, f"~ {model._meta.verbose_name} {obj}: {', '.join(sorted(changed))}")
        return obj

    def set_many(self, obj: models.Model, field: str, targets: Sequence[models.Model]) -> None:
        manager = getattr(obj, field)
        old = sorted(manager.values_list("pk", flat=True))
        new = sorted({t.pk for t in targets})
        if old != new:
            old_keys = sorted(str(x) for x in manager.all())
            manager.set(new)
            record(Event.UPDATE, actor=self.actor, obj=obj, before={field: old_keys},
                   after={field: sorted(str(t) for t in targets)})
            self._changed(obj, f"~ {obj._meta.verbose_name} {obj}: {field}")

    def add_many(self, obj: models.Model, field: str, targets: list[models.Model]) -> None:
        manager = getattr(obj, field)
        missing = [t for t in targets if t.pk not in set(manager.values_list("pk", flat=True))]
        if missing:
            manager.add(*missing)
            record(Event.UPDATE, actor=self.actor, obj=obj, before=None,
                   after={f"{field}_added": sorted(str(t) for t in missing)})
            self._changed(obj, f"~ {obj._meta.verbose_name} {obj}: +{field}")

    def set_duties(self, owner: Task | Target, wanted: list[tuple[str, Unit | None, UnitGroup | None]]) -> None:
        field = "task" if isinstance(owner, Task) else "target"
        rows = list(owner.duties.all().select_related("unit", "group").order_by("order", "id"))
        current = [(d.duty, d.unit_id, d.group_id) for d in rows]
        desired = [(duty, u.pk if u else None, g.pk if g else None) for duty, u, g in wanted]
        if current == desired:
            return
        before = [self._duty_text(d.duty, d.unit, d.group) for d in rows]
        owner.duties.all().delete()
        Responsibility.objects.bulk_create(
            Responsibility(plan_id=owner.plan_id, duty=duty, unit=u, group=g, order=i, **{field: owner})
            for i, (duty, u, g) in enumerate(wanted)
        )
        after = [self._duty_text(duty, u, g) for duty, u, g in wanted]
        if before != after:
            record(Event.UPDATE, actor=self.actor, obj=owner, before={"duties": before}, after={"duties": after})
            self._changed(owner, f"~ {owner._meta.verbose_name} {owner}: duties")

    @staticmethod
    def _duty_text(duty: str, unit: Unit | None, group: UnitGroup | None) -> str:
        if unit is not None:
            return f"{duty}:{unit.key}"
        assert group is not None, "a duty has a unit or a group"
        return f"{duty}:@{group.key}"

    def delete_missing(self, qs: models.QuerySet, keep: set[str]) -> None:
        for obj in qs.exclude(key__in=keep):
            record(Event.DELETE, actor=self.actor, obj=obj, before={"key": obj.key, "name": str(obj)})
            self.summary.deleted += 1
            self.summary.changes.append(f"- {obj._meta.verbose_name} {obj}")
            obj.delete()


class _PlanWriter:
    def __init__(self, spec: PlanFile, checked: CheckedPlan, actor: Actor) -> None:
        self.spec, self.checked = spec, checked
        self.summary = LoadSummary(plan_key=spec.plan.key)
        self.sync = _Sync(actor, self.summary)
        self.units: dict[str, Unit] = {}
        self.groups: dict[str, UnitGroup] = {}
        self.domains: dict[str, Domain] = {}
        self.collections: dict[str, Collection] = {}
        self.tasks: dict[str, Task] = {}
        self.indicators: dict[str, Indicator] = {}

    def unit(self, key: str) -> Unit:
        if key not in self.units:
            self.units[key] = Unit.objects.get(key=key)
        return self.units[key]

    def holders(self, refs: list[str]) -> list[tuple[Unit | None, UnitGroup | None]]:
        return [(None, self.groups[r[1:]]) if r.startswith("@") else (self.unit(r), None) for r in refs]

    def expand(self, refs: list[str]) -> list[Unit]:
        units: list[Unit] = []
        for unit, group in self.holders(refs):
            if unit is not None:
                units.append(unit)
            elif group is not None:
                units.extend(group.members.all())
        return units

    def write(self) -> Plan:
        spec, sync = self.spec, self.sync
        stored = dict(Unit.objects.filter(key__in=[u.key for u in spec.units]).values_list("key", "region_code"))
        for unit in spec.units:
            # A unit answers for its own division, else for what the file says, else for the plan's region; a unit
            # two plans name (a province's and a city's) keeps the smaller of the two.
            region = narrower(stored.get(unit.key, ""), unit.region or unit.division_code or spec.plan.region.code)
            self.units[unit.key] = sync.upsert(Unit, {"key": unit.key}, {
                "name": unit.name, "short_name": unit.short_name, "name_en": unit.name_en, "kind": unit.kind,
                "division_code": unit.division_code or "", "region_code": region, "aliases": list(unit.aliases)})
        for unit in spec.units:  # parents may be declared after their children
            sync.upsert(Unit, {"key": unit.key}, {"parent_id": self.unit(unit.parent).pk if unit.parent else None})
        self._domains(spec.domains, None, [0])
        for order, coll in enumerate(spec.collections):
            self.collections[coll.key] = self._shared(Collection, coll.key) or sync.upsert(
                Collection, {"key": coll.key}, {"name": coll.name, "name_en": coll.name_en, "order": order})
        header = spec.plan
        plan_values = {
            "name": header.name, "name_en": header.name_en, "region_code": header.region.code,
            "region_name": header.region.name, "region_level": header.region.level or "",
            "start_year": header.start_year, "end_year": header.end_year,
            "issuer": header.issuer, "source_title": header.source_title,
            "combine_jan_feb": header.combine_jan_feb, "office_unit_id": self.unit(header.office_unit).pk,
            "content_hash": self.checked.digest,
            "briefing": spec.briefing.model_dump(exclude_defaults=True),
        }
        existing = Plan.objects.filter(key=header.key).first()
        if existing is None or existing.content_hash != self.checked.digest:
            plan_values["file_name"] = self.checked.file_name
        plan = sync.upsert(Plan, {"key": header.key}, plan_values)
        self._unit_groups(plan)
        referenced = set(self.units.values())
        for group in self.groups.values():
            referenced |= set(group.members.all())
        # Participation only grows: a unit added to the plan later (a bank, an owner) stays when the file is reloaded.
        sync.add_many(plan, "units", sorted(referenced, key=lambda u: u.pk))
        sync.set_many(plan, "domains", list(self.domains.values()))
        sync.set_many(plan, "collections", list(self.collections.values()))
        self._work_groups(plan)
        self._tasks(plan)
        self._indicators(plan)
        self._targets(plan)
        return plan

    def _shared(self, model: type[_Shared], key: str) -> _Shared | None:
        """A domain or collection another plan already defines: plans of one installation share the catalogue
        (a province's 交通 is its cities' 交通), so this file uses it as it is and does not rename or reorder it."""
        found = model._default_manager.filter(key=key).first()
        if found is not None and found.plans.exclude(key=self.spec.plan.key).exists():
            return found
        return None

    def _domains(self, specs: list[DomainSpec], parent: Domain | None, counter: list[int]) -> None:
        for spec in specs:
            counter[0] += 1
            shared = self._shared(Domain, spec.key)
            if shared is not None:
                self.domains[spec.key] = shared
                self._domains(spec.children, shared, counter)
                continue
            self.domains[spec.key] = self.sync.upsert(Domain, {"key": spec.key}, {
                "name": spec.name, "name_en": spec.name_en, "parent_id": parent.pk if parent else None,
                "order": counter[0]})
            self._domains(spec.children, self.domains[spec.key], counter)

    def _unit_groups(self, plan: Plan) -> None:
        for group in self.spec.unit_groups:
            obj = self.sync.upsert(UnitGroup, {"plan": plan, "key": group.key}, {"name": group.name})
            self.sync.set_many(obj, "members", [self.unit(k) for k in group.members])
            self.groups[group.key] = obj
        self.sync.delete_missing(plan.unit_groups.all(), set(self.groups))

    def _work_groups(self, plan: Plan) -> None:
        keys = set()
        for order, group in enumerate(self.spec.groups):
            obj = self.sync.upsert(WorkGroup, {"plan": plan, "key": group.key}, {
                "kind": group.kind, "name": group.name, "name_en": group.name_en, "order": order})
            self.sync.set_many(obj, "host_units", self.expand(group.host_units))
            self.sync.set_many(obj, "domains", [self.domains[k] for k in group.domains])
            keys.add(group.key)
        self.sync.delete_missing(plan.work_groups.all(), keys)

    def _duties(self, lead: list[str], cooperating: list[str]) -> list[tuple[str, Unit | None, UnitGroup | None]]:
        return [("lead", u, g) for u, g in self.holders(lead)] + [
            ("cooperate", u, g) for u, g in self.holders(cooperating)]

    def _tasks(self, plan: Plan) -> None:
        for order, task in enumerate(self.spec.tasks):
            obj = self.sync.upsert(Task, {"plan": plan, "key": task.key}, {
                "number": task.number, "title": task.title, "title_en": task.title_en, "quote": task.quote,
                "order": order})
            self.sync.set_duties(obj, self._duties(task.lead_units, task.cooperating_units))
            self.tasks[task.key] = obj

    def _indicators(self, plan: Plan) -> None:
        for order, ind in enumerate(self.spec.indicators):
            self.indicators[ind.key] = self.sync.upsert(Indicator, {"plan": plan, "key": ind.key}, {
                "name": ind.name, "name_en": ind.name_en, "unit_of_measure": ind.unit,
                "reported_by_id": self.unit(ind.reported_by).pk, "frequency": ind.frequency, "order": order})

    def _targets(self, plan: Plan) -> None:
        task_refs = {t.key: t for t in self.spec.tasks}
        for order, target in enumerate(self.spec.targets):
            kind, start, end = parse_period(target.period)
            scope, measure = target.scope, target.measure
            scope_key = scope.key or ""  # None only where no domain or collection is named
            scope_unit = scope_group = None
            if scope.kind in ("county", "unit") and scope.key:
                scope_unit, scope_group = self.holders([scope.key])[0]
            values = {
                "area": target.area, "name": target.name, "name_en": target.name_en,
                "task_id": self.tasks[target.task].pk if target.task else None,
                "scope_kind": scope.kind,
                "scope_domain_id": self.domains[scope_key].pk if scope.kind == "domain" else None,
                "scope_collection_id": self.collections[scope_key].pk if scope.kind == "collection" else None,
                "scope_unit_id": scope_unit.pk if scope_unit else None,
                "scope_group_id": scope_group.pk if scope_group else None,
                "metric": target.metric, "period_kind": kind, "period_start": start, "period_end": end,
                "comparator": target.comparator, "value": target.value, "unit_of_measure": target.unit,
                "measure_source": measure.source,
                "measure": measure.model_dump(exclude_none=True),
                "measure_domain_id": self.domains[measure.domain].pk if measure.domain else None,
                "measure_collection_id": self.collections[measure.collection].pk if measure.collection else None,
                "measure_county_id": self.unit(measure.county).pk if measure.county else None,
                "measure_unit_id": self.unit(measure.unit).pk if measure.unit else None,
                "indicator_id": self.indicators[measure.indicator].pk if measure.indicator else None,
                "base_indicator_id": self.indicators[measure.base_indicator].pk if measure.base_indicator else None,
                "quote": target.quote, "order": order,
            }
            obj = self.sync.upsert(Target, {"plan": plan, "key": target.key}, values)
            task = task_refs.get(target.task) if target.task else None
            lead = target.lead_units if target.lead_units is not None else (task.lead_units if task else [])
            coop = (target.cooperating_units if target.cooperating_units is not None
                    else (task.cooperating_units if task else []))
            self.sync.set_duties(obj, self._duties(lead, coop))
        keep = {t.key for t in self.spec.targets}
        self.sync.delete_missing(plan.targets.all(), keep)
        self.sync.delete_missing(plan.indicators.all(), set(self.indicators))
        self.sync.delete_missing(plan.tasks.all(), set(self.tasks))


@transaction.atomic
def load_plan(checked: CheckedPlan, *, actor: Actor) -> LoadSummary:
    """Create or update the plan the file describes; a second load of the same file changes nothing."""
    writer = _PlanWriter(checked.spec, checked, actor)
    plan = writer.write()
    summary = writer.summary
    for name, section in SECTIONS.items():  # the sections other apps add to the file (touzi.plans.sections)
        if section.store(plan, checked.sections.get(name), actor):
            summary.updated += 1
            summary.changes.append(f"~ {name}")
    if summary.changed:
        record(Event.PLAN_LOAD, actor=actor, obj=plan,
               after={"file": checked.file_name, "sha256": checked.digest, "created": summary.created,
                      "updated": summary.updated, "deleted": summary.deleted})
    return summary


def known_unit_keys() -> set[str]:
    return set(Unit.objects.values_list("key", flat=True))

