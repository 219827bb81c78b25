from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from touzi.lib.bounds import MONEY_FORM
from touzi.pipeline.choices import OUTCOMES, ConceptStatus
from touzi.pipeline.rules import rules
from touzi.plans.models import Domain
from touzi.projects.choices import Stage
from touzi.projects.forms import DayField, MonthField
from touzi.projects.models import Project
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

RATING_CHOICES = [(0, _("未开展")), (1, _("部分完成")), (2, _("已完成"))]


class ConceptForm(forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=200)
    domain = forms.ModelChoiceField(label=_("所属领域"), queryset=Domain.objects.all())
    county = forms.ModelChoiceField(label=_("县区"), queryset=Unit.objects.filter(kind=UnitKind.COUNTY))
    place = forms.CharField(label=_("建设地点"), max_length=200, required=False)
    estimated_investment = forms.DecimalField(label=_("估算总投资(万元)"), **MONEY_FORM)
    scale = forms.CharField(label=_("建设规模及内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    rationale = forms.CharField(label=_("谋划依据"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_government = forms.BooleanField(label=_("政府投资项目"), required=False)
    planned_start = MonthField(label=_("设想开工年月"), required=False)


class ScreenForm(forms.Form):
    outcome = forms.ChoiceField(label=_("筛选结果"), choices=[(s.value, s.label) for s in OUTCOMES])
    note = forms.CharField(label=_("筛选意见(退回须填写)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for c in rules().criteria:
            self.fields[f"r_{c.key}"] = forms.TypedChoiceField(
                label=f"{c.label}({_('权重')} {c.weight})", choices=RATING_CHOICES, coerce=int, initial=0)

    def ratings(self) -> dict[str, int]:
        return {c.key: self.cleaned_data[f"r_{c.key}"] for c in rules().criteria}


class FundForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    county = forms.ModelChoiceField(label=_("县区"), queryset=Unit.objects.filter(kind=UnitKind.COUNTY))
    project = forms.ModelChoiceField(label=_("项目(留空为县区统筹)"), required=False,
                                     queryset=Project.objects.filter(stage__in=[Stage.RESERVE, Stage.PRELIMINARY])
                                     .order_by("county__division_code", "name"))
    allocated = forms.DecimalField(label=_("安排经费(万元)"), **MONEY_FORM)
    spent = forms.DecimalField(label=_("已支出(万元)"), required=False, **MONEY_FORM)
    document = forms.CharField(label=_("安排文件"), max_length=128, required=False)


class RegistrationForm(forms.Form):
    registered_on = DayField(label=_("入库日期"), required=False)
    register_number = forms.CharField(label=_("入库编号"), max_length=64, required=False)


STATUS_FILTER = [("", _("全部"))] + [(s.value, s.label) for s in ConceptStatus]
