"""Forms of the acts that had only a service: record a roadshow / matchmaking event, appoint a 融资服务专员,
enter a PPP project and move it along its pipeline with the joint review (联审)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from touzi.accounts.models import User
from touzi.core.roles import Role
from touzi.financing.choices import EventKind, PPPStage
from touzi.projects.forms import DayField
from touzi.projects.models import Project
from touzi.units.choices import UnitKind
from touzi.units.models import Unit


class EventForm(forms.Form):
    """路演 / 对接会: date, projects presented, banks present, intentions signed and what came of them."""

    name = forms.CharField(label=_("活动名称"), max_length=128)
    kind = forms.ChoiceField(label=_("类型"), choices=EventKind.choices)
    held_on = DayField(label=_("日期"))
    place = forms.CharField(label=_("地点"), max_length=128, required=False)
    projects = forms.ModelMultipleChoiceField(label=_("路演项目"), queryset=Project.objects.none(), required=False)
    banks = forms.ModelMultipleChoiceField(label=_("参会金融机构"), required=False,
                                           queryset=Unit.objects.filter(kind=UnitKind.BANK).order_by("name"))
    intentions = forms.IntegerField(label=_("签约意向(个)"), min_value=0, initial=0)
    intention_amount = forms.DecimalField(label=_("意向金额(万元)"), min_value=0, initial=0, max_digits=16,
                                          decimal_places=4)
    outcome = forms.CharField(label=_("后续成效"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects.order_by("name")  # type: ignore[attr-defined]


class CommissionerForm(forms.Form):
    """融资服务专员: a bank's account assigned to a county or to a set of projects."""

    user = forms.ModelChoiceField(label=_("金融机构账号"),
                                  queryset=User.objects.filter(role=Role.BANK, is_active=True).exclude(unit=None)
                                  .order_by("unit__name", "username"))
    county = forms.ModelChoiceField(label=_("服务县区"), required=False,
                                    queryset=Unit.objects.filter(kind=UnitKind.COUNTY).order_by("name"))
    projects = forms.ModelMultipleChoiceField(label=_("服务项目"), queryset=Project.objects.none(), required=False)

    def __init__(self, *args: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects.order_by("name")  # type: ignore[attr-defined]


class PPPForm(forms.Form):
    """A project as PPP: stage (forward only), size, fiscal responsibility and the joint review (联审)."""

    stage = forms.ChoiceField(label=_("阶段"), choices=PPPStage.choices)
    added_year = forms.IntegerField(label=_("入库年度"), min_value=2000, max_value=2100)
    investment = forms.DecimalField(label=_("PPP总投资(万元)"), min_value=0, max_digits=16, decimal_places=4)
    annual_fiscal = forms.DecimalField(label=_("年度财政支出责任(万元)"), min_value=0, initial=0, max_digits=16,
                                       decimal_places=4)
    term_years = forms.IntegerField(label=_("合作期限(年)"), min_value=1, max_value=50, initial=20)
    joint_review_on = DayField(label=_("联审日期"), required=False)
    joint_review_result = forms.CharField(label=_("联审意见"), required=False,
                                          widget=forms.Textarea(attrs={"rows": 3}))
