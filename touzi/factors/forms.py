from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from touzi.factors.choices import BalanceSource, Disposal, ParcelKind, QuotaKind
from touzi.lib.bounds import MONEY_FORM
from touzi.projects.forms import DayField
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

AMOUNT = MONEY_FORM  # 亩, 公顷, 吨: four places, bounded like money


class QuotaForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("要素类别"), choices=QuotaKind.choices)
    county = forms.ModelChoiceField(label=_("县区"), queryset=Unit.objects.filter(kind=UnitKind.COUNTY))
    park = forms.ModelChoiceField(label=_("园区(留空:全县区)"), queryset=Unit.objects.filter(kind=UnitKind.PARK),
                                  required=False)
    amount = forms.DecimalField(label=_("指标量(亩/公顷/吨标准煤/吨)"), **AMOUNT)
    document = forms.CharField(label=_("下达文件"), max_length=200)
    granted_on = DayField(label=_("下达日期"), required=False)
    balance_source = forms.ChoiceField(label=_("占补平衡来源"), choices=BalanceSource.choices, required=False)
    intensity_limit = forms.DecimalField(label=_("能耗强度上限(吨标准煤/万元)"), required=False, min_value=0,
                                         max_digits=10, decimal_places=4)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RequestForm(forms.Form):
    project = forms.IntegerField(label=_("项目"))
    requested = forms.DecimalField(label=_("申请量"), **AMOUNT)
    requested_on = DayField(label=_("申请日期"), required=False)
    intensity = forms.DecimalField(label=_("项目能耗强度(吨标准煤/万元,能耗指标填写)"), required=False, min_value=0,
                                   max_digits=10, decimal_places=4)
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("批准")), ("refuse", _("不予批准")), ("take_back", _("收回"))])
    approved = forms.DecimalField(label=_("批准量"), required=False, **AMOUNT)
    document = forms.CharField(label=_("批准文件"), required=False, max_length=200)
    approved_on = DayField(label=_("批准日期"), required=False)
    reason = forms.CharField(label=_("理由"), required=False, max_length=500)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ParcelForm(forms.Form):
    code = forms.CharField(label=_("地块编号"), max_length=64)
    location = forms.CharField(label=_("坐落"), max_length=200)
    kind = forms.ChoiceField(label=_("类型"), choices=ParcelKind.choices)
    county = forms.ModelChoiceField(label=_("县区"), queryset=Unit.objects.filter(kind=UnitKind.COUNTY))
    park = forms.ModelChoiceField(label=_("园区"), queryset=Unit.objects.filter(kind=UnitKind.PARK), required=False)
    area = forms.DecimalField(label=_("面积(亩)"), **AMOUNT)
    reason = forms.CharField(label=_("闲置原因"), required=False, max_length=500)
    holder = forms.CharField(label=_("土地使用权人/责任主体"), required=False, max_length=200)
    approved_year = forms.IntegerField(label=_("批准(供地)年度"), required=False, min_value=1990, max_value=2100)


class DisposeForm(forms.Form):
    disposal = forms.ChoiceField(label=_("处置方式"), choices=Disposal.choices)
    disposed_on = DayField(label=_("处置日期"), required=False)
    disposed_area = forms.DecimalField(label=_("盘活面积(亩,留空:整宗)"), required=False, **AMOUNT)
    note = forms.CharField(label=_("说明"), required=False, max_length=500)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class KeeperForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("主管部门"), queryset=Unit.objects.filter(
        kind__in=[UnitKind.BUREAU, UnitKind.OFFICE]))
    kind = forms.ChoiceField(label=_("要素类别"), choices=QuotaKind.choices)
    keeps = forms.ChoiceField(label=_("操作"), choices=[("1", _("指定")), ("0", _("取消"))], initial="1")


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入内容"), choices=[("quotas", _("要素指标")), ("allocations", _("指标配置")),
                                                        ("parcels", _("存量土地"))])
    file = forms.FileField(label=_("Excel 文件(.xlsx)"))
