from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class AdjustmentForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("单位"), coerce=int)
    points = forms.DecimalField(label=_("分值(负数为扣分)"), max_digits=6, decimal_places=2,
                                min_value=Decimal("-100"), max_value=Decimal("100"))
    month = forms.IntegerField(label=_("起算月份(空为全年)"), min_value=1, max_value=12, required=False)
    reason = forms.CharField(label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    document = forms.CharField(label=_("依据文件"), max_length=255, required=False)
