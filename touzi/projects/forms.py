from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from touzi.lib.bounds import MONEY_FORM, YEAR_MAX, YEAR_MIN, FormDigits, validate_day
from touzi.lib.formfields import field_of
from touzi.plans.models import Collection, Domain
from touzi.projects.choices import ApprovalItem, FactorKind, FundingSource, Stage
from touzi.projects.codes import industry_divisions
from touzi.projects.models import Project
from touzi.projects.services import EDITABLE, FIELDS, ProjectInput
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

MONEY = FormDigits(**MONEY_FORM, min_value=0)


class DomainField(forms.ModelChoiceField):
    """A domain named under its parent's (基础设施 / 交通) where it has one."""

    def label_from_instance(self, obj: Domain) -> str:
        return f"{obj.parent.label} / {obj.label}" if obj.parent else obj.label


class MonthField(forms.DateField):
    """A month as <input type=month> (YYYY-MM), stored as the first day of the month."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_validators = [validate_day]


class DayField(forms.DateField):
    """A day as <input type=date>, within the years the platform plans for (touzi.lib.bounds)."""

    # ISO always: a date input takes only yyyy-mm-dd, whatever the language's format (zh-hans would give 2026/12/17,
    # which the browser drops, losing the initial value and blocking the submit).
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    default_validators = [validate_day]


class ProjectForm(forms.Form):
    code = forms.CharField(label=_("项目代码"), required=False, max_length=24,
                           help_text=_("24位,格式 YYYY-RRRRRR-DD-TT-NNNNNC;储备项目可暂缺"))
    name = forms.CharField(label=_("项目名称"), max_length=255)
    domain = DomainField(label=_("所属领域"), queryset=Domain.objects.none())
    county = forms.ModelChoiceField(label=_("县区"), queryset=Unit.objects.filter(kind=UnitKind.COUNTY))
    park = forms.ModelChoiceField(label=_("园区"), queryset=Unit.objects.filter(kind=UnitKind.PARK), required=False)
    owner = forms.ModelChoiceField(label=_("项目业主"), queryset=Unit.objects.filter(kind=UnitKind.ENTERPRISE))
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), required=False,
                                       queryset=Unit.objects.filter(kind__in=[UnitKind.BUREAU, UnitKind.OFFICE]))
    leader = forms.CharField(label=_("责任市领导"), required=False, max_length=64)
    total_investment = forms.DecimalField(label=_("总投资(万元)"), **MONEY)
    planned_start = MonthField(label=_("计划开工"), required=False)
    planned_completion = MonthField(label=_("计划竣工"), required=False)
    is_government = forms.BooleanField(label=_("政府投资项目"), required=False)
    fiscal_contribution = forms.DecimalField(label=_("财政出资(万元)"), required=False, **MONEY)
    is_real_estate = forms.BooleanField(label=_("房地产项目"), required=False)
    industry = forms.ChoiceField(label=_("行业(GB/T 4754 大类)"), required=False)
    occupies_farmland = forms.BooleanField(label=_("占用耕地"), required=False)
    farmland_plan = forms.CharField(label=_("耕地占补平衡方案"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(label=_("建设内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    collections = forms.MultipleChoiceField(label=_("专项归属"), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, role: str, plan: Any = None, project: Project | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.project = project
        domains = plan.domains.all() if plan is not None else Domain.objects.all()
        field_of(self, "domain", DomainField).queryset = domains.select_related("parent").order_by("order")
        field_of(self, "industry", forms.ChoiceField).choices = [("", "—")] + [
            (k, f"{k} {v}") for k, v in industry_divisions().items()]
        field_of(self, "collections", forms.ChoiceField).choices = collection_choices(plan)
        for source in FundingSource:
            self.fields[f"funding_{source.value}"] = forms.DecimalField(label=source.label, required=False, **MONEY)
        for item in ApprovalItem:
            self.fields[f"deadline_{item.value}"] = DayField(label=item.label, required=False)
            self.fields[f"done_{item.value}"] = DayField(label=_("办结"), required=False)
        allowed = EDITABLE.get(role, set())
        for name, form_field in self.fields.items():
            if name == "version":
                continue
            base = "funding" if name.startswith("funding_") else (
                "approvals" if name.startswith(("deadline_", "done_")) else name)
            if base not in allowed:
                form_field.disabled = True

    def funding_fields(self) -> list[Any]:
        return [self[f"funding_{s.value}"] for s in FundingSource]

    def approval_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"deadline_{i.value}"], self[f"done_{i.value}"]) for i in ApprovalItem]

    def to_input(self) -> ProjectInput:
        data = self.cleaned_data
        values = {name: data.get(name) for name in FIELDS if name in self.fields and not self.fields[name].disabled}
        if "code" in values:
            values["code"] = values["code"] or None
        if "fiscal_contribution" in values and values["fiscal_contribution"] is None:
            values["fiscal_contribution"] = 0
        if "industry" in values:
            values["industry"] = values["industry"] or ""
        result = ProjectInput(values=values)
        if not self.fields["collections"].disabled:
            result.collections = parse_collections(data.get("collections") or [])
        if not self.fields[f"funding_{FundingSource.FISCAL.value}"].disabled:
            result.funding = {s.value: data[f"funding_{s.value}"] for s in FundingSource
                              if data.get(f"funding_{s.value}")}
        if not self.fields[f"deadline_{ApprovalItem.PROJECT.value}"].disabled:
            result.approvals = {i.value: (data.get(f"deadline_{i.value}"), data.get(f"done_{i.value}"))
                                for i in ApprovalItem if data.get(f"deadline_{i.value}") or data.get(f"done_{i.value}")}
        return result


def collection_choices(plan: Any) -> list[tuple[str, str]]:
    """Static tags as their key; the yearly major-project list once per plan year as key:year."""
    yearly = settings.MAJOR_LIST_COLLECTION
    collections = plan.collections.all() if plan is not None else Collection.objects.all()
    choices = []
    for collection in collections.order_by("order"):
        if collection.key == yearly and plan is not None:
            choices += [(f"{collection.key}:{y}", f"{collection.label} {y}") for y in plan.years]
        else:
            choices.append((collection.key, collection.label))
    return choices


def parse_collections(values: list[str]) -> list[tuple[Collection, int | None]]:
    keys = {v.split(":")[0] for v in values}
    found = {c.key: c for c in Collection.objects.filter(key__in=keys)}
    result = []
    for value in values:
        key, _sep, year = value.partition(":")
        if key in found:
            result.append((found[key], int(year) if year.isdigit() else None))
    return result


def initial_for(project: Project) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(project, name) for name in FIELDS if name != "is_demo"}
    initial["code"] = project.code or ""
    initial["version"] = project.version
    initial["collections"] = [f"{m.collection.key}:{m.year}" if m.year else m.collection.key
                              for m in project.memberships.select_related("collection")]
    for line in project.funding.all():
        initial[f"funding_{line.source}"] = line.amount
    for approval in project.approvals.all():
        initial[f"deadline_{approval.item}"] = approval.deadline
        initial[f"done_{approval.item}"] = approval.done_on
    return initial


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("变更为"), choices=Stage.choices)
    on_date = DayField(label=_("日期"), required=False)
    reason = forms.CharField(label=_("说明"), required=False, max_length=500)
    document = forms.CharField(label=_("决定文件(停缓建、压缩规模)"), required=False, max_length=255)
    new_total = forms.DecimalField(label=_("压缩后总投资(万元)"), required=False, **MONEY)


class AnnualPlanForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    planned_investment = forms.DecimalField(label=_("年度计划投资(万元)"), required=False, **MONEY)
    planned_start = MonthField(label=_("计划开工月份"), required=False)
    planned_completion = MonthField(label=_("计划竣工月份"), required=False)
    progress_target = forms.CharField(label=_("年度进度目标"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    category = forms.ChoiceField(label=_("计划类别"), required=False,
                                 choices=[("", "—"), (Stage.NEW_START, Stage.NEW_START.label),
                                          (Stage.CONTINUING, Stage.CONTINUING.label),
                                          (Stage.PRELIMINARY, Stage.PRELIMINARY.label)])
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class FactorIssueForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=FactorKind.choices)
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 2}))
    owed_by = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.exclude(kind=UnitKind.ENTERPRISE))
    due = DayField(label=_("解决时限"), required=False)
