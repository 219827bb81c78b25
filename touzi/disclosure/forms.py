"""Forms of the disclosure pages. The structured parts of an item are entered one row a line, fields separated
by "|" (tenders: 日期|方式|标段|中标单位|金额(万元)|公告链接; funding: 来源|金额(万元); parties: one unit a
line)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from touzi.disclosure.choices import ItemKind, PartyRole, TenderMethod
from touzi.projects.choices import FundingSource

_METHODS = {str(label): value for value, label in TenderMethod.choices} | {v: v for v in TenderMethod.values}
_SOURCES = {str(label): value for value, label in FundingSource.choices} | {v: v for v in FundingSource.values}


def _amount(text: str) -> str:
    try:
        value = Decimal(text.replace(",", "").strip())
    except InvalidOperation as exc:
        raise forms.ValidationError(_("金额应为数字(万元):%(v)s") % {"v": text[:30]}) from exc
    if value < 0 or value >= Decimal("1e12"):
        raise forms.ValidationError(_("金额超出范围:%(v)s") % {"v": text[:30]})
    return str(value)


def parse_tenders(text: str) -> list[dict[str, str]]:
    rows = []
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        cells = [c.strip() for c in line.split("|")] + [""] * 6
        day, method, title, winner, amount, link = cells[:6]
        try:
            dt.date.fromisoformat(day)
        except ValueError as exc:
            raise forms.ValidationError(_("招投标日期应为 YYYY-MM-DD:%(v)s") % {"v": day[:20]}) from exc
        if method not in _METHODS:
            raise forms.ValidationError(_("没有这个招标方式:%(v)s") % {"v": method[:20]})
        if link and not link.startswith(("https://", "http://")):
            raise forms.ValidationError(_("公告链接应以 http:// 或 https:// 开头"))
        key = _METHODS[method]
        rows.append({"date": day, "method": key, "method_label": str(TenderMethod(key).label), "title": title,
                     "winner": winner, "amount": _amount(amount) if amount else "", "link": link})
    return rows


def parse_funding(text: str) -> list[dict[str, str]]:
    rows = []
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        source, _sep, amount = line.partition("|")
        if source.strip() not in _SOURCES:
            raise forms.ValidationError(_("没有这个资金来源:%(v)s") % {"v": source[:20]})
        key = _SOURCES[source.strip()]
        rows.append({"source": key, "label": str(FundingSource(key).label), "amount": _amount(amount)})
    return rows


def _lines(text: str) -> list[str]:
    return [line.strip()[:200] for line in text.splitlines() if line.strip()]


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("公示事项"), choices=ItemKind.choices)
    text = forms.CharField(label=gettext_lazy("公示内容"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    note = forms.CharField(label=gettext_lazy("更正说明(更正已公开内容时必填)"), required=False, max_length=500)
    tenders = forms.CharField(label=gettext_lazy("招投标(每行:日期|方式|标段|中标单位|金额(万元)|公告链接)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    funding = forms.CharField(label=gettext_lazy("资金来源(每行:来源|金额(万元))"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    designer = forms.CharField(label=gettext_lazy("设计单位(每行一个)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    supervisor = forms.CharField(label=gettext_lazy("监理单位(每行一个)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    contractor = forms.CharField(label=gettext_lazy("施工单位(每行一个)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    completion_amount = forms.DecimalField(label=gettext_lazy("竣工决算金额(万元)"), required=False, max_digits=16,
                                           decimal_places=4, min_value=0)
    completion_date = forms.DateField(label=gettext_lazy("决算日期"), required=False)
    audited_by = forms.CharField(label=gettext_lazy("审计单位"), required=False, max_length=200)

    def clean_tenders(self) -> list[dict[str, str]]:
        return parse_tenders(self.cleaned_data.get("tenders", ""))

    def clean_funding(self) -> list[dict[str, str]]:
        return parse_funding(self.cleaned_data.get("funding", ""))

    def data_for(self, kind: str) -> dict[str, Any]:
        """The structured part of the item of `kind`."""
        cd = self.cleaned_data
        if kind == ItemKind.TENDERS:
            return {"tenders": cd["tenders"]}
        if kind == ItemKind.FUNDING:
            return {"lines": cd["funding"]}
        if kind == ItemKind.PARTIES:
            return {role.value: _lines(cd.get(role.value, "")) for role in PartyRole}
        if kind == ItemKind.COMPLETION:
            amount, day = cd.get("completion_amount"), cd.get("completion_date")
            return {"amount": str(amount) if amount is not None else "", "date": day.isoformat() if day else "",
                    "audited_by": cd.get("audited_by", "")}
        return {}


class RefuseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("退回理由"), max_length=500)


class ConsultationForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200)
    question = forms.CharField(label=gettext_lazy("征求意见内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
    deadline = forms.DateField(label=gettext_lazy("截止日期"))


class ModerateForm(forms.Form):
    approve = forms.TypedChoiceField(label=gettext_lazy("审核"), choices=[("1", gettext_lazy("公开")), ("0", gettext_lazy("不予公开"))],
                                     coerce=lambda v: v == "1")
    answer = forms.CharField(label=gettext_lazy("答复"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=20000)


class DecisionForm(forms.Form):
    summary = forms.CharField(label=gettext_lazy("意见采纳情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)
    decision = forms.CharField(label=gettext_lazy("决定"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)


class ExemptionForm(forms.Form):
    project_name = forms.CharField(label=gettext_lazy("项目名称"), max_length=255)
    project_code = forms.CharField(label=gettext_lazy("项目代码"), max_length=24, required=False)
    document = forms.CharField(label=gettext_lazy("批准文件"), max_length=255)
    reason = forms.CharField(label=gettext_lazy("理由"), widget=forms.Textarea(attrs={"rows": 2}))
