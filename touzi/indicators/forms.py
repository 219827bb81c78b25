from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from touzi.lib.bounds import MEASURE_FORM
from touzi.projects.forms import MonthField
from touzi.units.choices import UnitKind
from touzi.units.models import Unit


class ValueForm(forms.Form):
    month = MonthField(label=_("所属月份"))
    value = forms.DecimalField(label=_("数值(本年累计)"), **MEASURE_FORM)
    source = forms.CharField(label=_("数据来源"), max_length=255)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("佐证材料(PDF、PNG、JPEG)"), required=False)
    reason = forms.CharField(label=_("更正原因(已锁定月份必填)"), required=False, max_length=500)
    county = forms.ModelChoiceField(label=_("县区(分县区填报时选择)"), required=False, queryset=Unit.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        county = self.fields["county"]
        assert isinstance(county, forms.ModelChoiceField)
        county.queryset = Unit.objects.filter(kind=UnitKind.COUNTY).order_by("division_code", "key")
