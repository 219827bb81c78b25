from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from touzi.approvals.choices import EiaLevel, Route, SessionKind
from touzi.approvals.models import ApprovalKind
from touzi.projects.forms import DayField
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

class ApprovalsField(forms.ModelMultipleChoiceField):
    """Approvals shown by their project and kind."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.project.name} · {obj.kind.name}"


GOVERNMENT_UNITS = (UnitKind.BUREAU, UnitKind.COUNTY, UnitKind.PARK, UnitKind.OFFICE, UnitKind.CITY)


def unit_field(label: StrOrPromise, required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=label, required=required,
                                  queryset=Unit.objects.filter(kind__in=GOVERNMENT_UNITS).order_by("kind", "name"))


class ProfileForm(forms.Form):
    route = forms.ChoiceField(label=_("立项方式"), required=False, choices=[("", _("按项目类型")), *Route.choices])
    eia = forms.ChoiceField(label=_("环评类别"), required=False, choices=[("", _("报告表(默认)")), *EiaLevel.choices])
    uses_sea = forms.BooleanField(label=_("用海"), required=False)
    uses_forest = forms.BooleanField(label=_("用林"), required=False)
    agent_unit = unit_field(_("代办单位"), required=False)
    agent_person = forms.CharField(label=_("代办员"), required=False, max_length=64)
    agent_phone = forms.CharField(label=_("代办员电话"), required=False, max_length=32)


class AddForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("审批事项"), queryset=ApprovalKind.objects.all())
    approving_unit = unit_field(_("审批部门"), required=False)


class ActForm(forms.Form):
    """The fields of every act on an approval; each act checks the ones it needs (in the service)."""

    act = forms.CharField(max_length=16)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    on = DayField(label=_("日期"), required=False)
    approving_unit = unit_field(_("审批部门"), required=False)
    promised_days = forms.IntegerField(label=_("承诺时限(工作日)"), required=False, min_value=1, max_value=365)
    missing_papers = forms.CharField(label=_("容缺材料"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    papers_due_on = DayField(label=_("承诺补齐日期"), required=False)
    commitment = forms.CharField(label=_("承诺事项(承诺制)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    commitment_due_on = DayField(label=_("核查日期"), required=False)
    document_number = forms.CharField(label=_("文号"), required=False, max_length=64)
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("方式"), choices=SessionKind.choices)
    title = forms.CharField(label=_("会议名称"), max_length=128)
    held_on = DayField(label=_("会议日期"))
    convened_by = unit_field(_("召集单位"))
    units = forms.ModelMultipleChoiceField(label=_("参会单位"), required=False,
                                           queryset=Unit.objects.filter(kind__in=GOVERNMENT_UNITS).order_by("name"))
    approvals = ApprovalsField(label=_("审查事项"), queryset=ApprovalKind.objects.none())
    decisions = forms.CharField(label=_("会议决定"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, approvals=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if approvals is not None:
            field = self.fields["approvals"]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = approvals


class OpinionForm(forms.Form):
    unit = unit_field(_("单位"))
    project = forms.TypedChoiceField(label=_("项目"), required=False, coerce=int, empty_value=None)
    opinion = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, projects=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("全部审查项目"))] + [(p.pk, p.name) for p in projects]


class FollowUpForm(forms.Form):
    text = forms.CharField(label=_("跟进事项"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = unit_field(_("责任单位"))
    due_on = DayField(label=_("完成时限"))
