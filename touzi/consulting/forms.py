from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from touzi.consulting.choices import EngagementKind, Stage


class FirmForm(forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=200)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    credit_grade = forms.CharField(label=_("资信等级"), max_length=32, required=False)


class EngagementForm(forms.Form):
    project = forms.CharField(label=_("项目代码"), max_length=24)
    kind = forms.ChoiceField(label=_("委托内容"), choices=EngagementKind.choices)
    contracted_on = forms.DateField(label=_("委托日期"), widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(label=_("约定交付日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    delivered_on = forms.DateField(label=_("实际交付日期"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.CharField(label=_("成果文件"), max_length=255, required=False)


class StageForm(forms.Form):
    project = forms.CharField(label=_("项目代码"), max_length=24)
    stage = forms.ChoiceField(label=_("阶段"), choices=Stage.choices)
    amount = forms.DecimalField(label=_("总投资(万元)"), max_digits=16, decimal_places=2, min_value=Decimal("0.01"))
    dated = forms.DateField(label=_("批复或编制日期"), widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.CharField(label=_("文件及文号"), max_length=255, required=False)
