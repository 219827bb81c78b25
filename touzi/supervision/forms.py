from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from touzi.projects.forms import DayField
from touzi.units.choices import UnitKind
from touzi.units.models import Unit


class TaskForm(forms.Form):
    problem = forms.CharField(label=_("问题"), widget=forms.Textarea(attrs={"rows": 2}))
    required_action = forms.CharField(label=_("整改要求"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible_unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.exclude(kind=UnitKind.BANK),
                                              widget=forms.Select(attrs={"data-searchable": "1"}))
    co_responsible_unit = forms.ModelChoiceField(
        label=_("配合单位(项目所在县区)"), required=False,
        queryset=Unit.objects.filter(kind__in=(UnitKind.COUNTY, UnitKind.PARK)))
    deadline = DayField(label=_("整改时限"))
    project = forms.IntegerField(widget=forms.HiddenInput, required=False)
    warning_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=96)


class AnswerForm(forms.Form):
    rectification = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("整改佐证(PDF、PNG、JPEG)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
