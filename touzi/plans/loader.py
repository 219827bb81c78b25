"""Reading and validating a plan file. Nothing here writes: `services.load_plan` writes a checked file.

Every problem is reported with the line it is on, in Chinese, and all problems
are collected so the author can fix the file in one pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import ValidationError

from touzi.lib.regions import contains
from touzi.plans.schema import DomainSpec, PlanFile, parse_period
from touzi.plans.sections import SECTIONS


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str

    def render(self, file_name: str) -> str:
        return f"{file_name}:{self.line}: {self.message}" if self.line else f"{file_name}: {self.message}"


@dataclass
class CheckedPlan:
    """A plan file that passed every check, with the digest used to tell whether anything changed."""

    spec: PlanFile
    digest: str
    file_name: str
    # The sections other apps registered (touzi.plans.sections), as written; stored by load_plan.
    sections: dict[str, Any] = field(default_factory=dict)


class PlanFileInvalid(Exception):
    def __init__(self, file_name: str, problems: list[Problem]) -> None:
        self.file_name = file_name
        self.problems = problems
        super().__init__("\n".join(p.render(file_name) for p in problems))

    def lines(self) -> list[str]:
        return [p.render(self.file_name) for p in self.problems]


class _Dict(dict):
    line: int = 0
    key_lines: dict[Any, int]


class _List(list):
    line: int = 0


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers where each mapping, key and list starts, and refuses duplicate keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Dict:
    loader.flatten_mapping(node)
    result = _Dict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"重复的字段 {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _List:
    result = _List(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest node the location reaches."""
    line = getattr(data, "line", None)
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            line = node.key_lines.get(part, line) if isinstance(node, _Dict) else line
            node = node[part]
            line = getattr(node, "line", line)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            line = getattr(node, "line", line)
        else:
            break
    return line


_PYDANTIC_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段",
    "literal_error": "取值无效",
    "string_pattern_mismatch": "格式不符",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "decimal_parsing": "应为数值",
    "decimal_type": "应为数值",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为映射(键: 值)",
    "model_type": "应为映射(键: 值)",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "string_too_long": "文本过长",
}


def _describe(error: Mapping[str, Any]) -> str:
    path = ".".join(str(p) for p in error["loc"])
    kind = error["type"]
    text = _PYDANTIC_MESSAGES.get(kind)
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{path}: 取值 {error.get('input')!r} 无效,应为 {expected}"
    if kind == "value_error":
        return f"{path}: {error['msg'].removeprefix('Value error, ')}"
    if kind == "extra_forbidden":
        return f"未知字段 {path}"
    return f"{path}: {text or error['msg']}"


def _walk_domains(domains: list[DomainSpec]) -> list[DomainSpec]:
    out: list[DomainSpec] = []
    for domain in domains:
        out.append(domain)
        out.extend(_walk_domains(domain.children))
    return out


class _Checker:
    """Cross-reference checks: unique keys and every reference resolving, each with its line."""

    def __init__(self, spec: PlanFile, raw: dict[str, Any], known_units: set[str]) -> None:
        self.spec, self.raw = spec, raw
        self.units = {u.key for u in spec.units} | known_units
        self.groups = {g.key for g in spec.unit_groups}
        self.domains = {d.key for d in _walk_domains(spec.domains)}
        self.collections = {c.key for c in spec.collections}
        self.indicators = {i.key for i in spec.indicators}
        self.tasks = {t.key for t in spec.tasks}
        self.problems: list[Problem] = []

    def at(self, *loc: Any) -> int | None:
        return _line_of(self.raw, loc)

    def add(self, loc: tuple[Any, ...], message: str) -> None:
        self.problems.append(Problem(self.at(*loc), message))

    def unique(self, section: str, keys: list[str], label: str) -> None:
        seen: set[str] = set()
        for index, key in enumerate(keys):
            if key in seen:
                self.add((section, index, "key"), f"{label}标识 {key!r} 重复")
            seen.add(key)

    def unit_ref(self, loc: tuple[Any, ...], ref: str, *, groups_allowed: bool = True) -> None:
        if ref.startswith("@"):
            if not groups_allowed or ref[1:] not in self.groups:
                self.add(loc, f"未知的单位组 {ref!r}")
        elif ref not in self.units:
            self.add(loc, f"未知的单位 {ref!r}")

    def ref(self, loc: tuple[Any, ...], value: str | None, known: set[str], label: str) -> None:
        if value is not None and value not in known:
            self.add(loc, f"未知的{label} {value!r}")

    def run(self) -> list[Problem]:
        spec = self.spec
        if spec.plan.end_year < spec.plan.start_year:
            self.add(("plan", "end_year"), "终止年早于起始年")
        self.unit_ref(("plan", "office_unit"), spec.plan.office_unit, groups_allowed=False)
        self.unique("units", [u.key for u in spec.units], "单位")
        for i, unit in enumerate(spec.units):
            if unit.kind in ("county", "city") and not unit.division_code:
                self.add(("units", i), f"县区或设区市 {unit.key!r} 缺少行政区划代码 division_code")
            elif (unit.kind in ("county", "city") and unit.division_code is not None
                  and not contains(spec.plan.region.code, unit.division_code)):
                # A plan covers the projects of its region: a county outside it would count in no figure.
                self.add(("units", i, "division_code"),
                         f"{unit.name} 的行政区划代码 {unit.division_code} 不在方案地区 {spec.plan.region.code} 内")
            if unit.kind == "city" and unit.division_code and not unit.division_code.endswith("00"):
                self.add(("units", i, "division_code"), f"设区市 {unit.name} 的行政区划代码应以 00 结尾")
            if unit.parent:
                self.unit_ref(("units", i, "parent"), unit.parent, groups_allowed=False)
        self.unique("unit_groups", [g.key for g in spec.unit_groups], "单位组")
        for i, group in enumerate(spec.unit_groups):
            for j, member in enumerate(group.members):
                self.unit_ref(("unit_groups", i, "members", j), member, groups_allowed=False)
        all_domains = [d.key for d in _walk_domains(spec.domains)]
        if len(all_domains) != len(set(all_domains)):
            dupes = sorted({k for k in all_domains if all_domains.count(k) > 1})
            self.add(("domains",), f"领域标识重复: {', '.join(dupes)}")
        self.unique("collections", [c.key for c in spec.collections], "专项")
        self.unique("groups", [g.key for g in spec.groups], "工作组")
        for i, work_group in enumerate(spec.groups):
            for j, ref in enumerate(work_group.host_units):
                self.unit_ref(("groups", i, "host_units", j), ref)
            for j, key in enumerate(work_group.domains):
                self.ref(("groups", i, "domains", j), key, self.domains, "领域")
        self.unique("tasks", [t.key for t in spec.tasks], "任务")
        for i, task in enumerate(spec.tasks):
            for field_name in ("lead_units", "cooperating_units"):
                for j, ref in enumerate(getattr(task, field_name)):
                    self.unit_ref(("tasks", i, field_name, j), ref)
        self.unique("indicators", [x.key for x in spec.indicators], "指标")
        for i, indicator in enumerate(spec.indicators):
            self.unit_ref(("indicators", i, "reported_by"), indicator.reported_by, groups_allowed=False)
        self.unique("targets", [t.key for t in spec.targets], "目标")
        for i, target in enumerate(spec.targets):
            self.check_target(i, target)
        return self.problems

    def check_target(self, i: int, target: Any) -> None:
        loc = ("targets", i)
        self.ref((*loc, "task"), target.task, self.tasks, "任务")
        scope = target.scope
        if scope.kind == "overall":
            if scope.key:
                self.add((*loc, "scope"), "全市范围(overall)不应填写 key")
        elif not scope.key:
            self.add((*loc, "scope"), f"范围 {scope.kind} 需要填写 key")
        elif scope.kind == "domain":
            self.ref((*loc, "scope", "key"), scope.key, self.domains, "领域")
        elif scope.kind == "collection":
            self.ref((*loc, "scope", "key"), scope.key, self.collections, "专项")
        else:
            self.unit_ref((*loc, "scope", "key"), scope.key)
        measure = target.measure
        self.ref((*loc, "measure", "domain"), measure.domain, self.domains, "领域")
        self.ref((*loc, "measure", "collection"), measure.collection, self.collections, "专项")
        for name in ("county", "unit"):
            value = getattr(measure, name)
            if value:
                self.unit_ref((*loc, "measure", name), value, groups_allowed=False)
        self.ref((*loc, "measure", "indicator"), measure.indicator, self.indicators, "指标")
        self.ref((*loc, "measure", "base_indicator"), measure.base_indicator, self.indicators, "指标")
        if measure.source == "indicator" and not measure.indicator:
            self.add((*loc, "measure"), "指标来源(indicator)需要填写 indicator")
        if measure.source != "indicator" and measure.indicator:
            self.add((*loc, "measure"), "只有指标来源(indicator)可以填写 indicator")
        _, start, end = parse_period(target.period)
        if start > end:
            self.add((*loc, "period"), "期间起始年晚于终止年")
        for name in ("lead_units", "cooperating_units"):
            for j, ref in enumerate(getattr(target, name) or []):
                self.unit_ref((*loc, name, j), ref)
        if not target.quote:
            self.add((*loc, "quote"), "缺少原文 quote")


def check_plan_file(content: bytes, file_name: str, known_units: set[str] | None = None) -> CheckedPlan:
    """Parse and check a plan file; raise PlanFileInvalid listing every problem with its line."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanFileInvalid(file_name, [Problem(None, f"文件不是 UTF-8 编码(第{exc.start}字节)")]) from exc
    try:
        raw = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "YAML 语法错误"
        if not any("\u4e00" <= ch <= "\u9fff" for ch in problem):
            problem = f"YAML 语法错误: {problem}"
        raise PlanFileInvalid(file_name, [Problem(mark.line + 1 if mark else None, problem)]) from exc
    except yaml.YAMLError as exc:
        raise PlanFileInvalid(file_name, [Problem(None, f"YAML 语法错误: {exc}")]) from exc
    if not isinstance(raw, dict):
        raise PlanFileInvalid(file_name, [Problem(1, "方案文件应为一个映射(format、plan、units、targets …)")])
    sections = {name: raw[name] for name in SECTIONS if name in raw}
    try:
        spec = PlanFile.model_validate({k: v for k, v in raw.items() if k not in sections})
    except ValidationError as exc:
        problems = [Problem(_line_of(raw, tuple(e["loc"])), _describe(e)) for e in exc.errors()]
        raise PlanFileInvalid(file_name, problems) from exc
    problems = _Checker(spec, raw, known_units or set()).run()
    units = {u.key for u in spec.units} | (known_units or set())
    for name, value in sections.items():
        problems += [Problem(_line_of(raw, (name, *loc)), message)
                     for loc, message in SECTIONS[name].check(value, spec, units)]
    if problems:
        raise PlanFileInvalid(file_name, problems)
    return CheckedPlan(spec=spec, digest=hashlib.sha256(content).hexdigest(), file_name=file_name, sections=sections)


@dataclass
class LoadSummary:
    """What a load did: counts per kind of change, for the command's and the page's report."""

    plan_key: str
    created: int = 0
    updated: int = 0
    deleted: int = 0
    changes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)
