from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from touzi.lib.bounds import MONEY_FORM
from touzi.lib.formfields import field_of
from touzi.projects.forms import MonthField

MONEY = MONEY_FORM


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def _add_upload_fields(form: forms.Form) -> None:
    """The inputs apps above add to the report forms (touzi.reports.extensions: the progress photos)."""
    from touzi.reports.extensions import upload_handlers

    for handler in upload_handlers():
        attrs = {"accept": handler.accept, "multiple": True, "data-resize": "1"}
        if handler.capture:
            attrs["capture"] = handler.capture
        form.fields[handler.field] = MultipleFileField(label=handler.label, required=False,
                                                       widget=MultipleFileInput(attrs=attrs))


class ReportForm(forms.Form):
    project = forms.TypedChoiceField(label=_("项目"), coerce=int)
    month = MonthField(label=_("报告期"))
    amount = forms.DecimalField(label=_("本月完成投资(万元)"), **MONEY)
    progress = forms.CharField(label=_("形象进度"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = MultipleFileField(label=_("佐证材料(PDF、PNG、JPEG)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "project", forms.ChoiceField).choices = [(p.pk, f"{p.code or '—'} {p.name}") for p in projects]
        _add_upload_fields(self)


class CorrectionForm(forms.Form):
    amount = forms.DecimalField(label=_("本月完成投资(万元)"), **MONEY)
    progress = forms.CharField(label=_("形象进度"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = MultipleFileField(label=_("补充佐证材料"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _add_upload_fields(self)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 2}))


class BulkAcceptForm(forms.Form):
    reports = forms.TypedMultipleChoiceField(coerce=int)
    confirmed = forms.BooleanField()

    def __init__(self, *args: Any, ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "reports", forms.ChoiceField).choices = [(i, str(i)) for i in ids]


class AdjustmentForm(forms.Form):
    month = MonthField(label=_("所属月份(已锁定)"))
    delta = forms.DecimalField(label=_("调整额(万元,可为负数)"), **MONEY)
    reason = forms.CharField(label=_("调整原因"), widget=forms.Textarea(attrs={"rows": 2}))
