"""Business acts of the consulting register: firms, engagements, stage figures, the published evaluation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.consulting.choices import EngagementKind, Stage
from touzi.consulting.figures import firm_years
from touzi.consulting.models import Engagement, Evaluation, Firm, StageFigure
from touzi.core.actor import Actor, allowed, is_user
from touzi.core.roles import Role
from touzi.lib.errors import BusinessError, Forbidden
from touzi.projects.models import Project


def _office(actor: Actor) -> None:
    if not allowed(actor, lambda user: user.role == Role.PLAN_OFFICE):
        raise Forbidden(_("只有行动方案办公室可以维护工程咨询单位评价"))


@transaction.atomic
def add_firm(name: str, *, actor: Actor, credit_code: str = "", credit_grade: str = "", contact: str = "") -> Firm:
    _office(actor)
    if not name.strip():
        raise BusinessError(_("请填写单位名称"), "name")
    if Firm.objects.filter(name=name.strip()).exists():
        raise BusinessError(_("该咨询单位已登记"), "name")
    firm = Firm.objects.create(name=name.strip(), credit_code=credit_code, credit_grade=credit_grade,
                               contact=contact)
    record(Event.CREATE, actor=actor, obj=firm, after={"name": firm.name, "credit_code": credit_code})
    return firm


@transaction.atomic
def add_engagement(firm: Firm, project: Project, kind: str, *, contracted_on: dt.date, actor: Actor,
                   due_on: dt.date | None = None, delivered_on: dt.date | None = None,
                   document: str = "") -> Engagement:
    _office(actor)
    if kind not in EngagementKind.values:
        raise BusinessError(_("委托内容无效"), "kind")
    if due_on and due_on < contracted_on:
        raise BusinessError(_("约定交付日期早于委托日期"), "due_on")
    engagement = Engagement.objects.create(firm=firm, project=project, kind=kind, contracted_on=contracted_on,
                                           due_on=due_on, delivered_on=delivered_on, document=document)
    record(Event.CREATE, actor=actor, obj=engagement,
           after={"firm": firm.name, "project": project.pk, "kind": kind, "contracted_on": contracted_on,
                  "due_on": due_on, "delivered_on": delivered_on, "document": document})
    return engagement


@transaction.atomic
def deliver(engagement: Engagement, on: dt.date, *, actor: Actor) -> Engagement:
    _office(actor)
    before = engagement.delivered_on
    engagement.delivered_on = on
    engagement.save(update_fields=["delivered_on"])
    record(Event.UPDATE, actor=actor, obj=engagement, before={"delivered_on": before},
           after={"delivered_on": on})
    return engagement


@transaction.atomic
def set_stage_figure(project: Project, stage: str, amount: Decimal, *, dated: dt.date, actor: Actor,
                     firm: Firm | None = None, document: str = "") -> StageFigure:
    """The project's total investment at a stage (one per stage; a second call corrects it, audited)."""
    _office(actor)
    if stage not in Stage.values:
        raise BusinessError(_("阶段无效"), "stage")
    if amount <= 0:
        raise BusinessError(_("总投资应大于 0"), "amount")
    found = StageFigure.objects.filter(project=project, stage=stage).first()
    before: dict[str, Any] | None = None
    if found is None:
        found = StageFigure(project=project, stage=stage)
    else:
        before = {"amount": found.amount, "dated": found.dated, "firm": found.firm_id, "document": found.document}
    found.amount, found.dated, found.firm, found.document = amount, dated, firm, document
    found.save()
    record(Event.CREATE if before is None else Event.UPDATE, actor=actor, obj=found, before=before,
           after={"project": project.pk, "stage": stage, "amount": amount, "dated": dated,
                  "firm": firm.pk if firm else None, "document": document})
    return found


@transaction.atomic
def publish_evaluation(year: int, *, actor: Actor) -> list[Evaluation]:
    """评价结果: freeze every firm's figures and grade of the year (published again: replaced, audited)."""
    _office(actor)
    published = []
    for entry in firm_years(year):
        figures = entry.as_json()
        evaluation, created = Evaluation.objects.update_or_create(
            firm=entry.firm, year=year, defaults={"grade": entry.grade, "figures": figures,
                                                  "published_by": actor if is_user(actor) else None})
        record(Event.CREATE if created else Event.UPDATE, actor=actor, obj=evaluation,
               after={"firm": entry.firm.name, "year": year, "grade": entry.grade})
        published.append(evaluation)
    return published
