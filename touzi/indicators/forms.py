from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from touzi.lib.bounds import MEASURE_FORM
from touzi.projects.forms import MonthField


class ValueForm(forms.Form):
    month = MonthField(label=_("所属月份"))
    value = forms.DecimalField(label=_("数值(本年累计)"), **MEASURE_FORM)
    source = forms.CharField(label=_("数据来源"), max_length=255)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("佐证材料(PDF、PNG、JPEG)"), required=False)
    reason = forms.CharField(label=_("更正原因(已锁定月份必填)"), required=False, max_length=500)
