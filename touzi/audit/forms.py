"""The audit trail's filters, one form for the page, the exports and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touzi.audit.choices import Event, Source


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(label=_("起始日期"), required=False)
    date_to = forms.DateField(label=_("截止日期"), required=False)
    actor = forms.CharField(label=_("操作人账号"), required=False, max_length=150)
    event = forms.ChoiceField(label=_("事件"), required=False, choices=[("", _("全部事件")), *Event.choices])
    source = forms.ChoiceField(label=_("来源"), required=False, choices=[("", _("全部来源")), *Source.choices])
    object_type = forms.CharField(label=_("对象类型"), required=False, max_length=64)
    object_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)
    success = forms.ChoiceField(label=_("结果"), required=False,
                                choices=[("", _("全部结果")), ("true", _("成功")), ("false", _("失败"))])
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what clean() returns; its stubs allow None
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("起始日期不能晚于截止日期"))
        return data

    def used(self) -> dict[str, str]:
        """The filters in effect, as text (what an export records it was filtered by)."""
        return {name: str(value) for name, value in self.cleaned_data.items() if value not in (None, "")}


def day_start(day: dt.date) -> dt.datetime:
    """Midnight of a day in Asia/Shanghai: date filters mean the user's calendar days."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
