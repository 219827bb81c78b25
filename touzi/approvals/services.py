"""Approval acts (审批): each one atomic, audited in the same transaction, taking the actor (a User or System).

Who does what: the owner, the project's county or lead unit and its agent (代办员) set up and submit; the
approving unit (审批部门) accepts (容缺受理 with missing papers, 承诺制 with a commitment), decides, returns
for 补正 and verifies commitments; the plan office can do both (it records for units not on the platform) and
grants exemptions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.approvals.choices import MOVES, ApprovalState
from touzi.approvals.models import (
    Approval,
    ApprovalKind,
    ApprovalProfile,
    FollowUp,
    ReviewSession,
    SessionOpinion,
)
from touzi.approvals.rules import kinds_for
from touzi.approvals.workdays import add_workdays, workdays_between
from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.core.actor import Actor, allowed, is_system, user_of
from touzi.core.scoping import Action, can, scope_of
from touzi.lib.bounds import day_problem
from touzi.lib.errors import BusinessError, Conflict, Forbidden
from touzi.projects.clarities import refresh_clarities
from touzi.projects.models import KeyApproval, Project
from touzi.units.models import Unit

_FIELDS = ["state", "approving_unit_id", "submitted_on", "accepted_on", "promised_days", "due_on", "done_on",
           "document_number", "missing_papers", "papers_due_on", "papers_supplied_on", "commitment",
           "commitment_due_on", "commitment_verified_on", "exempt", "return_reason", "parallel"]


def _snap(a: Approval) -> dict[str, Any]:
    return {f: getattr(a, f) for f in _FIELDS}


# --- who may act ---------------------------------------------------------------------------------------

def is_applicant(user: Actor, approval: Approval) -> bool:
    """The owner, the project's county or lead unit, its agent, or the plan office."""
    if is_system(user):
        return True
    who = scope_of(user)
    if who.is_office:
        return True
    profile = ApprovalProfile.objects.filter(project_id=approval.project_id).first()
    if profile and profile.agent_unit_id in who.unit_ids:
        return True
    return can(user, approval.project, Action.CHANGE)


def is_approving_unit(user: Actor, approval: Approval) -> bool:
    if is_system(user):
        return True
    who = scope_of(user)
    return who.is_office or (approval.approving_unit_id is not None and approval.approving_unit_id in who.unit_ids)


def _need_applicant(user: Actor, approval: Approval) -> None:
    if not is_applicant(user, approval):
        raise Forbidden(_("只有项目业主、代办员、项目所在县区或牵头单位可以办理申报"))


def _need_unit(user: Actor, approval: Approval) -> None:
    if not is_approving_unit(user, approval):
        raise Forbidden(_("只有该事项的审批部门可以办理"))


def _need_office(user: Actor, what: str) -> None:
    if not allowed(user, lambda u: scope_of(u).is_office):
        raise Forbidden(_("只有领导小组办公室可以%(what)s") % {"what": what})


def _day(value: dt.date | None, field: str, label: str, *, not_after: dt.date | None = None) -> dt.date:
    """A date the act requires: filled in, a real day, and (with `not_after`) not in the future."""
    if value is None:
        raise BusinessError(_("请填写%(label)s") % {"label": label}, field=field)
    problem = day_problem(value)
    if problem:
        raise BusinessError(problem, field=field)
    if not_after is not None and value > not_after:
        raise BusinessError(_("%(label)s不能晚于今天") % {"label": label}, field=field)
    return value


# --- the record's life ----------------------------------------------------------------------------------

def _lock(approval: Approval, expected_version: int | None) -> Approval:
    locked = Approval.objects.select_for_update().select_related("kind", "project").get(pk=approval.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict()
    return locked


def _move(locked: Approval, to: str) -> None:
    if to not in MOVES[locked.state]:
        raise BusinessError(_("审批事项不能从「%(from)s」变为「%(to)s」") % {
            "from": ApprovalState(locked.state).label, "to": ApprovalState(to).label})


def _finish(locked: Approval, before: dict[str, Any], actor: Actor, message: str = "") -> Approval:
    locked.due_on = add_workdays(locked.accepted_on, locked.limit_days) if locked.accepted_on else None
    started = locked.accepted_on or locked.submitted_on
    locked.working_days = workdays_between(started, locked.done_on) if (started and locked.done_on) else None
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    _sync_key_approval(locked)
    after = _snap(locked)
    changed = {k for k in after if after[k] != before.get(k)}
    record(Event.UPDATE if before else Event.CREATE, actor=actor, obj=locked, subject=locked.subject,
           before={k: before[k] for k in changed if k in before} if before else None,
           after={k: after[k] for k in changed}, message=message)
    return locked


def _sync_key_approval(approval: Approval) -> None:
    """The five clarities' key approval (审批时限明确) and older figures read the same dates."""
    item = approval.kind.key_item
    if not item:
        return
    KeyApproval.objects.update_or_create(project_id=approval.project_id, item=item, defaults={
        "deadline": approval.due_on or approval.papers_due_on, "done_on": approval.done_on})
    refresh_clarities([approval.project_id])  # 审批时限明确 is a stored flag (touzi/projects/clarities.py)


@transaction.atomic
def save_profile(project: Project, *, route: str = "", eia: str = "", uses_sea: bool = False,
                 uses_forest: bool = False, agent_unit: Unit | None = None, agent_person: str = "",
                 agent_phone: str = "", actor: Actor) -> ApprovalProfile:
    """立项方式, 环评类别, 用海/用林 and the agent (代办制) of a project."""
    if not allowed(actor, lambda user: can(user, project, Action.CHANGE)):
        raise Forbidden(_("只有可以修改该项目的单位可以设置审批信息和代办员"))
    if agent_unit is not None and not agent_person.strip():
        raise BusinessError(_("请填写代办员姓名"), field="agent_person")
    profile, created = ApprovalProfile.objects.select_for_update().get_or_create(project=project)
    before = {} if created else {"route": profile.route, "eia": profile.eia, "uses_sea": profile.uses_sea,
                                 "uses_forest": profile.uses_forest, "agent_unit": profile.agent_unit_id,
                                 "agent_person": profile.agent_person}
    profile.route, profile.eia, profile.uses_sea, profile.uses_forest = route, eia, uses_sea, uses_forest
    profile.agent_unit, profile.agent_person = agent_unit, agent_person.strip()[:64]
    profile.agent_phone = agent_phone.strip()[:32]
    profile.save()
    record(Event.CREATE if created else Event.UPDATE, actor=actor, obj=profile, subject=project.subject,
           before=before or None, after={"route": route, "eia": eia, "uses_sea": uses_sea,
                                         "uses_forest": uses_forest, "agent_unit": profile.agent_unit_id,
                                         "agent_person": profile.agent_person})
    return profile


@transaction.atomic
def set_up(project: Project, *, units: dict[str, Unit] | None = None, actor: Actor) -> list[Approval]:
    """The approvals the project needs by the rules and is missing, created 未申报 (existing ones are kept)."""
    if not allowed(actor, lambda user: scope_of(user).is_office or can(user, project, Action.CHANGE)):
        raise Forbidden(_("只有可以修改该项目的单位可以生成审批事项"))
    profile = ApprovalProfile.objects.filter(project=project).first()
    have = set(Approval.objects.filter(project=project).values_list("kind_id", flat=True))
    created = []
    for kind in kinds_for(project, profile).exclude(pk__in=have):
        approval = Approval(project=project, kind=kind, legal_days=kind.legal_days,
                            approving_unit=(units or {}).get(kind.key))
        approval.save()
        created.append(_finish(approval, {}, actor))
    return created


@transaction.atomic
def add_approval(project: Project, kind: ApprovalKind, *, approving_unit: Unit | None = None,
                 actor: Actor) -> Approval:
    """One more approval for the project, by hand (an item the rules do not list for it)."""
    if not allowed(actor, lambda user: scope_of(user).is_office or can(user, project, Action.CHANGE)):
        raise Forbidden(_("只有可以修改该项目的单位可以添加审批事项"))
    if Approval.objects.filter(project=project, kind=kind).exists():
        raise BusinessError(_("该项目已有此审批事项"), field="kind")
    approval = Approval.objects.create(project=project, kind=kind, legal_days=kind.legal_days,
                                       approving_unit=approving_unit)
    return _finish(Approval.objects.select_related("kind").get(pk=approval.pk), {}, actor)


@transaction.atomic
def assign_unit(approval: Approval, unit: Unit, *, actor: Actor,
                expected_version: int | None = None) -> Approval:
    """Which unit handles it (before it is accepted)."""
    locked = _lock(approval, expected_version)
    _need_applicant(actor, locked)
    if locked.state not in (ApprovalState.NOT_SUBMITTED, ApprovalState.RETURNED, ApprovalState.SUBMITTED):
        raise BusinessError(_("已受理的审批事项不能更换审批部门"), field="approving_unit")
    before = _snap(locked)
    locked.approving_unit = unit
    return _finish(locked, before, actor)


@transaction.atomic
def submit(approval: Approval, on: dt.date, *, actor: Actor, expected_version: int | None = None) -> Approval:
    """申报 (or resubmit after 退回补正): the approving unit then has it in its queue."""
    locked = _lock(approval, expected_version)
    _need_applicant(actor, locked)
    _move(locked, ApprovalState.SUBMITTED)
    if locked.approving_unit_id is None:
        raise BusinessError(_("请先确定审批部门"), field="approving_unit")
    before = _snap(locked)
    locked.submitted_on = _day(on, "submitted_on", _("申报日期"), not_after=timezone.localdate())
    locked.state = ApprovalState.SUBMITTED
    return _finish(locked, before, actor)


@transaction.atomic
def accept(approval: Approval, on: dt.date, *, promised_days: int | None = None, missing_papers: str = "",
           papers_due_on: dt.date | None = None, commitment: str = "", commitment_due_on: dt.date | None = None,
           actor: Actor, expected_version: int | None = None) -> Approval:
    """受理; with missing papers it is 容缺受理 (the date they are promised for is required); with a commitment
    it is 承诺制 (the date it will be verified is required). The time limit runs from acceptance."""
    locked = _lock(approval, expected_version)
    _need_unit(actor, locked)
    deferred = bool((missing_papers or "").strip())
    _move(locked, ApprovalState.DEFERRED if deferred else ApprovalState.ACCEPTED)
    on = _day(on, "accepted_on", _("受理日期"), not_after=timezone.localdate())
    if locked.submitted_on and on < locked.submitted_on:
        raise BusinessError(_("受理日期不能早于申报日期"), field="accepted_on")
    if promised_days is not None and not 0 < promised_days <= locked.legal_days:
        raise BusinessError(_("承诺时限应在 1 到法定时限 %(n)s 个工作日之间") % {"n": locked.legal_days},
                            field="promised_days")
    before = _snap(locked)
    if deferred:
        papers_due_on = _day(papers_due_on, "papers_due_on", _("承诺补齐日期"))
        if papers_due_on < on:
            raise BusinessError(_("承诺补齐日期不能早于受理日期"), field="papers_due_on")
        locked.missing_papers, locked.papers_due_on = missing_papers.strip(), papers_due_on
    if (commitment or "").strip():
        commitment_due_on = _day(commitment_due_on, "commitment_due_on", _("核查日期"))
        if commitment_due_on < on:
            raise BusinessError(_("核查日期不能早于受理日期"), field="commitment_due_on")
        locked.commitment, locked.commitment_due_on = commitment.strip(), commitment_due_on
    locked.accepted_on, locked.promised_days = on, promised_days
    locked.state = ApprovalState.DEFERRED if deferred else ApprovalState.ACCEPTED
    locked.submitted_on = locked.submitted_on or on
    return _finish(locked, before, actor)


@transaction.atomic
def supply_papers(approval: Approval, on: dt.date, *, actor: Actor,
                  expected_version: int | None = None) -> Approval:
    """容缺后补: the missing papers are in (the applicant or the unit records it)."""
    locked = _lock(approval, expected_version)
    if not (is_applicant(actor, locked) or is_approving_unit(actor, locked)):
        raise Forbidden(_("只有申报方或审批部门可以登记补齐材料"))
    if not locked.missing_papers or locked.papers_supplied_on:
        raise BusinessError(_("该审批事项没有待补齐的容缺材料"))
    before = _snap(locked)
    locked.papers_supplied_on = _day(on, "papers_supplied_on", _("补齐日期"), not_after=timezone.localdate())
    if locked.accepted_on and on < locked.accepted_on:
        raise BusinessError(_("补齐日期不能早于受理日期"), field="papers_supplied_on")
    if locked.state == ApprovalState.DEFERRED:
        locked.state = ApprovalState.ACCEPTED
    return _finish(locked, before, actor)


@transaction.atomic
def decide(approval: Approval, on: dt.date, document_number: str, *, actor: Actor,
           expected_version: int | None = None) -> Approval:
    """办结: the approval is granted, with its document number (文号)."""
    locked = _lock(approval, expected_version)
    _need_unit(actor, locked)
    _move(locked, ApprovalState.DONE)
    if not (document_number or "").strip():
        raise BusinessError(_("请填写批复文号"), field="document_number")
    on = _day(on, "done_on", _("办结日期"), not_after=timezone.localdate())
    if locked.accepted_on and on < locked.accepted_on:
        raise BusinessError(_("办结日期不能早于受理日期"), field="done_on")
    before = _snap(locked)
    locked.state, locked.done_on, locked.document_number = ApprovalState.DONE, on, document_number.strip()[:64]
    return _finish(locked, before, actor)


@transaction.atomic
def refuse(approval: Approval, on: dt.date, reason: str, *, actor: Actor,
           expected_version: int | None = None) -> Approval:
    """不予许可, with the reason."""
    locked = _lock(approval, expected_version)
    _need_unit(actor, locked)
    _move(locked, ApprovalState.REFUSED)
    if not (reason or "").strip():
        raise BusinessError(_("请说明不予许可的理由"), field="reason")
    on = _day(on, "done_on", _("决定日期"), not_after=timezone.localdate())
    before = _snap(locked)
    locked.state, locked.done_on, locked.return_reason = ApprovalState.REFUSED, on, reason.strip()
    locked = _finish(locked, before, actor, message=reason.strip())
    # A refusal is a decision, not a grant: the key approval stays open.
    KeyApproval.objects.filter(project_id=locked.project_id, item=locked.kind.key_item).update(done_on=None)
    refresh_clarities([locked.project_id])
    return locked


@transaction.atomic
def send_back(approval: Approval, reason: str, *, actor: Actor, expected_version: int | None = None) -> Approval:
    """退回补正: the applicant must complete the file and submit again (the time limit starts again then)."""
    locked = _lock(approval, expected_version)
    _need_unit(actor, locked)
    _move(locked, ApprovalState.RETURNED)
    if not (reason or "").strip():
        raise BusinessError(_("请说明需要补正的内容"), field="reason")
    before = _snap(locked)
    locked.state, locked.return_reason, locked.accepted_on = ApprovalState.RETURNED, reason.strip(), None
    return _finish(locked, before, actor, message=reason.strip())


@transaction.atomic
def verify_commitment(approval: Approval, on: dt.date, *, actor: Actor,
                      expected_version: int | None = None) -> Approval:
    """承诺制: the unit has checked that the applicant kept its commitment."""
    locked = _lock(approval, expected_version)
    _need_unit(actor, locked)
    if not locked.commitment or locked.commitment_verified_on:
        raise BusinessError(_("该审批事项没有待核查的承诺"))
    before = _snap(locked)
    locked.commitment_verified_on = _day(on, "commitment_verified_on", _("核查完成日期"),
                                         not_after=timezone.localdate())
    return _finish(locked, before, actor)


@transaction.atomic
def grant_exemption(approval: Approval, basis: str, *, actor: Actor,
                    expected_version: int | None = None) -> Approval:
    """经批准免于办理 (e.g. 施工许可 below the threshold): the procedure checks count it as done."""
    _need_office(actor, _("批准免于办理"))
    locked = _lock(approval, expected_version)
    if not (basis or "").strip():
        raise BusinessError(_("请填写免办依据"), field="basis")
    before = _snap(locked)
    locked.exempt, locked.exemption_basis = True, basis.strip()[:255]
    return _finish(locked, before, actor, message=basis.strip())


@transaction.atomic
def record_history(project: Project, kind: ApprovalKind, *, approving_unit: Unit | None, submitted_on: dt.date | None,
                   accepted_on: dt.date | None, done_on: dt.date | None, document_number: str = "",
                   promised_days: int | None = None, missing_papers: str = "", papers_due_on: dt.date | None = None,
                   actor: Actor) -> Approval:
    """An approval as it stands, recorded at once (the Excel import): created or brought up to date."""
    if not allowed(actor, lambda user: scope_of(user).is_office or can(user, project, Action.CHANGE)):
        raise Forbidden(_("无权登记该项目的审批事项"))
    today = timezone.localdate()
    for value, field, label in ((submitted_on, "submitted_on", _("申报日期")), (accepted_on, "accepted_on",
                                _("受理日期")), (done_on, "done_on", _("办结日期"))):
        if value is not None:
            _day(value, field, label, not_after=today)
    if accepted_on and submitted_on and accepted_on < submitted_on:
        raise BusinessError(_("受理日期不能早于申报日期"), field="accepted_on")
    if done_on and accepted_on and done_on < accepted_on:
        raise BusinessError(_("办结日期不能早于受理日期"), field="done_on")
    if done_on and not document_number.strip():
        raise BusinessError(_("已办结的审批事项请填写批复文号"), field="document_number")
    if missing_papers.strip() and not papers_due_on:
        raise BusinessError(_("容缺受理请填写承诺补齐日期"), field="papers_due_on")
    if promised_days is not None and not 0 < promised_days <= kind.legal_days:
        raise BusinessError(_("承诺时限应在 1 到法定时限 %(n)s 个工作日之间") % {"n": kind.legal_days},
                            field="promised_days")
    existing = Approval.objects.select_for_update().filter(project=project, kind=kind).first()
    locked = existing or Approval(project=project, kind=kind, legal_days=kind.legal_days)
    before = _snap(locked) if existing else {}
    if existing and existing.state in (ApprovalState.DONE, ApprovalState.REFUSED) and not done_on:
        raise BusinessError(_("该审批事项已办结,不能改回未办结"), field="done_on")
    locked.approving_unit = approving_unit or locked.approving_unit
    locked.submitted_on = submitted_on or accepted_on
    locked.accepted_on, locked.done_on, locked.promised_days = accepted_on, done_on, promised_days
    locked.document_number = document_number.strip()[:64]
    locked.missing_papers, locked.papers_due_on = missing_papers.strip(), papers_due_on
    locked.state = (ApprovalState.DONE if done_on else ApprovalState.DEFERRED if accepted_on and missing_papers.strip()
                    else ApprovalState.ACCEPTED if accepted_on else ApprovalState.SUBMITTED if submitted_on
                    else ApprovalState.NOT_SUBMITTED)
    if locked.state == ApprovalState.SUBMITTED and locked.approving_unit is None:
        raise BusinessError(_("请填写审批部门"), field="approving_unit")
    if not existing:
        locked.save()
    return _finish(locked, before, actor)


# --- sessions ------------------------------------------------------------------------------------------

@transaction.atomic
def record_session(*, kind: str, title: str, held_on: dt.date, convened_by: Unit, units: list[Unit],
                   approvals: list[Approval], decisions: str = "", actor: Actor) -> ReviewSession:
    """联评联审 / 并联审批: the meeting, its units and the approvals reviewed (those are marked parallel)."""
    who = None if is_system(actor) else scope_of(actor)
    if who is not None and not who.is_office and convened_by.pk not in who.unit_ids:
        raise Forbidden(_("只有领导小组办公室或召集单位可以登记联评联审会议"))
    if not (title or "").strip():
        raise BusinessError(_("请填写会议名称"), field="title")
    _day(held_on, "held_on", _("会议日期"), not_after=timezone.localdate())
    if not approvals:
        raise BusinessError(_("请选择审查的审批事项"), field="approvals")
    session = ReviewSession.objects.create(kind=kind, title=title.strip()[:128], held_on=held_on,
                                           convened_by=convened_by, decisions=(decisions or "").strip(),
                                           created_by=user_of(actor))
    session.units.set({u.pk for u in units} | {a.approving_unit_id for a in approvals if a.approving_unit_id})
    session.approvals.set(approvals)
    Approval.objects.filter(pk__in=[a.pk for a in approvals]).update(parallel=True, version=F("version") + 1)
    record(Event.CREATE, actor=actor, obj=session, after={
        "kind": kind, "title": session.title, "held_on": held_on, "convened_by": convened_by.key,
        "units": sorted(session.units.values_list("key", flat=True)), "approvals": sorted(a.pk for a in approvals)})
    return session


def _need_session_keeper(user: Actor, session: ReviewSession) -> None:
    if is_system(user):
        return
    who = scope_of(user)
    if not who.is_office and session.convened_by_id not in who.unit_ids:
        raise Forbidden(_("只有领导小组办公室或召集单位可以修改会议记录"))


@transaction.atomic
def add_opinion(session: ReviewSession, unit: Unit, opinion: str, *, project: Project | None = None,
                actor: Actor) -> SessionOpinion:
    """One unit's opinion (the convener records it, or the unit itself)."""
    who = None if is_system(actor) else scope_of(actor)
    if who is not None and unit.pk not in who.unit_ids:
        _need_session_keeper(actor, session)
    if not (opinion or "").strip():
        raise BusinessError(_("请填写意见"), field="opinion")
    if project is not None and not session.approvals.filter(project=project).exists():
        raise BusinessError(_("该项目不在本次会议审查范围内"), field="project")
    item = SessionOpinion.objects.create(session=session, unit=unit, project=project, opinion=opinion.strip())
    record(Event.CREATE, actor=actor, obj=item, after={"session": session.pk, "unit": unit.key,
                                                             "project": project.pk if project else None})
    return item


@transaction.atomic
def add_follow_up(session: ReviewSession, text: str, owner: Unit, due_on: dt.date, *, actor: Actor) -> FollowUp:
    _need_session_keeper(actor, session)
    if not (text or "").strip():
        raise BusinessError(_("请填写跟进事项"), field="text")
    _day(due_on, "due_on", _("完成时限"))
    item = FollowUp.objects.create(session=session, text=text.strip(), owner=owner, due_on=due_on)
    record(Event.CREATE, actor=actor, obj=item, after={"session": session.pk, "owner": owner.key,
                                                             "due_on": due_on})
    return item


@transaction.atomic
def complete_follow_up(item: FollowUp, on: dt.date, *, actor: Actor) -> FollowUp:
    who = None if is_system(actor) else scope_of(actor)
    if who is not None and item.owner_id not in who.unit_ids:
        _need_session_keeper(actor, item.session)
    if item.done_on:
        raise BusinessError(_("该跟进事项已完成"))
    item.done_on = _day(on, "done_on", _("完成日期"), not_after=timezone.localdate())
    item.save(update_fields=["done_on"])
    record(Event.UPDATE, actor=actor, obj=item, before={"done_on": None}, after={"done_on": on})
    return item
