from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from touzi.projects.forms import DayField
from touzi.promotion.choices import ORDER, Currency, InvestorKind, ThreeEnterprises
from touzi.promotion.models import PromotionEvent
from touzi.promotion.sectors import sector_choices
from touzi.units.choices import UnitKind
from touzi.units.models import Unit


class AgreementForm(forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=200)
    investor = forms.CharField(label=_("投资方"), max_length=200)
    investor_kind = forms.ChoiceField(label=_("投资方类型"), choices=InvestorKind.choices)
    investor_region = forms.CharField(label=_("来源地区"), max_length=64, required=False)
    investor_country = forms.CharField(label=_("来源国家/地区"), max_length=64, initial="中国")
    three_enterprises = forms.ChoiceField(label=_("三企入桂"), choices=ThreeEnterprises.choices, required=False)
    sector = forms.CharField(label=_("行业(GB/T 4754)"), max_length=5,
                             help_text=_("门类字母,可带大类/中类/小类数字,如 C、C36、C3612"))
    signed_on = DayField(label=_("签约日期"))
    event = forms.ModelChoiceField(label=_("签约活动"), queryset=PromotionEvent.objects.all(), required=False)
    new_event = forms.CharField(label=_("或新增签约活动(名称)"), max_length=128, required=False)
    new_event_place = forms.CharField(label=_("活动地点"), max_length=128, required=False)
    currency = forms.ChoiceField(label=_("币种"), choices=Currency.choices, initial=Currency.CNY)
    agreed_investment = forms.DecimalField(label=_("协议投资(万元)"), required=False, min_value=0, max_digits=16, decimal_places=4)
    agreed_usd = forms.DecimalField(label=_("协议投资(万美元)"), required=False, min_value=0, max_digits=16, decimal_places=4)
    exchange_rate = forms.DecimalField(label=_("汇率(留空取当月汇率)"), required=False, max_digits=10,
                                       decimal_places=4)
    county = forms.ModelChoiceField(label=_("县区"), queryset=Unit.objects.filter(kind=UnitKind.COUNTY))
    park = forms.ModelChoiceField(label=_("园区"), queryset=Unit.objects.filter(kind=UnitKind.PARK), required=False)
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.exclude(
        kind__in=[UnitKind.ENTERPRISE, UnitKind.BANK]))
    due_registration = DayField(label=_("约定注册日期"), required=False)
    due_land = DayField(label=_("约定供地日期"), required=False)
    due_start = DayField(label=_("约定开工日期"))
    due_production = DayField(label=_("约定投产日期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].widget.attrs["list"] = "sectors"
        self.sectors = sector_choices()


class AdvanceForm(forms.Form):
    state = forms.ChoiceField(label=_("进展到"), choices=[(s.value, s.label) for s in ORDER[1:]])
    on = DayField(label=_("日期"))
    project = forms.IntegerField(label=_("落地项目(项目库编号)"), required=False)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class TerminateForm(forms.Form):
    on = DayField(label=_("终止日期"))
    reason = forms.CharField(label=_("终止原因"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class FundsForm(forms.Form):
    month = forms.CharField(label=_("报告期(YYYY-MM)"), max_length=7)
    domestic = forms.DecimalField(label=_("内资到位(万元)"), required=False, min_value=0, max_digits=16, decimal_places=4)
    foreign_usd = forms.DecimalField(label=_("外资到位(万美元)"), required=False, min_value=0, max_digits=16, decimal_places=4)
    exchange_rate = forms.DecimalField(label=_("汇率(留空取当月汇率)"), required=False, max_digits=10,
                                       decimal_places=4)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("佐证材料(PDF、PNG、JPEG)"), required=False)


class EditForm(forms.Form):
    """修改签约项目: the investor, sector, event, responsible unit and the contract's milestones (services.EDITABLE)."""

    name = forms.CharField(label=_("项目名称"), max_length=200)
    investor = forms.CharField(label=_("投资方"), max_length=200)
    investor_kind = forms.ChoiceField(label=_("投资方类型"), choices=InvestorKind.choices)
    investor_region = forms.CharField(label=_("来源地区"), max_length=64, required=False)
    investor_country = forms.CharField(label=_("来源国家/地区"), max_length=64)
    three_enterprises = forms.ChoiceField(label=_("三企入桂"), choices=ThreeEnterprises.choices, required=False)
    sector = forms.CharField(label=_("行业(GB/T 4754)"), max_length=5)
    event = forms.ModelChoiceField(label=_("签约活动"), queryset=PromotionEvent.objects.all(), required=False)
    park = forms.ModelChoiceField(label=_("园区"), queryset=Unit.objects.filter(kind=UnitKind.PARK), required=False)
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.exclude(
        kind__in=[UnitKind.ENTERPRISE, UnitKind.BANK]))
    due_registration = DayField(label=_("约定注册日期"), required=False)
    due_land = DayField(label=_("约定供地日期"), required=False)
    due_start = DayField(label=_("约定开工日期"))
    due_production = DayField(label=_("约定投产日期"))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入内容"), choices=[("agreements", _("签约项目")), ("funds", _("到位资金"))])
    file = forms.FileField(label=_("Excel 文件(.xlsx)"))
