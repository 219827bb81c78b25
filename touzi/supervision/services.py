"""Supervision acts (督办): raise, start, answer, verify and close or send back. Atomic, audited, notified."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.core.actor import Actor, allowed, user_of
from touzi.core.scoping import scope_of
from touzi.lib.bounds import day_problem
from touzi.lib.errors import AlreadyExists, BusinessError, Conflict, Forbidden
from touzi.lib.evidence import check_upload, stored_name
from touzi.monitoring.alerts import Alert
from touzi.plans.models import Plan
from touzi.projects.models import Project
from touzi.supervision.choices import MOVES, TaskStatus
from touzi.supervision.models import Notification, SupervisionTask
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

log = logging.getLogger(__name__)


def _office_only(actor: Actor, what: str) -> None:
    if not allowed(actor, lambda user: scope_of(user).is_office):
        raise Forbidden(_("只有领导小组办公室可以%(what)s") % {"what": what})


def _unit_only(actor: Actor, task: SupervisionTask) -> None:
    if not allowed(actor, lambda user: task.responsible_unit_id in scope_of(user).unit_ids):
        raise Forbidden(_("只有责任单位可以办理该督办任务"))


def notify(task: SupervisionTask, message: str) -> Notification:
    """A to-do item for the responsible unit, and an e-mail when the hook is switched on."""
    item = Notification.objects.create(unit=task.responsible_unit, task=task, message=message[:255])
    if settings.SUPERVISION_EMAIL:
        recipients = list(task.responsible_unit.users.filter(is_active=True).exclude(email="")
                          .values_list("email", flat=True))
        if recipients:
            transaction.on_commit(lambda: _send(message, recipients))
    return item


def _send(message: str, recipients: list[str]) -> None:
    try:
        send_mail(_("【督办】%(msg)s") % {"msg": message[:60]}, message, None, recipients)
    except OSError:  # mail is a courtesy; the to-do list is the record
        log.exception("supervision e-mail failed")


def _move(task: SupervisionTask, to: str, expected_version: int | None) -> SupervisionTask:
    locked = SupervisionTask.objects.select_for_update().get(pk=task.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict()
    if to not in MOVES[locked.status]:
        raise BusinessError(_("督办任务不能从「%(from)s」变为「%(to)s」") % {
            "from": TaskStatus(locked.status).label, "to": TaskStatus(to).label})
    return locked


def _save(task: SupervisionTask, before: str, actor: Actor, message: str = "") -> SupervisionTask:
    task.version = F("version") + 1
    task.save()
    task.refresh_from_db()
    record(Event.UPDATE, actor=actor, obj=task, subject=f"project:{task.project_id}" if task.project_id else "",
           before={"status": before}, after={"status": task.status}, message=message)
    return task


def units_for_warning(alert: Alert) -> tuple[Unit, Unit | None]:
    """Who a task raised from a warning goes to: the unit the warning names (the lead bureau, the owner who has
    not reported, the unit that owes a factor fix); when that is not a county or park, the project's county is
    the co-responsible unit."""
    if alert.unit_id is None:
        raise Unit.DoesNotExist("the warning names no unit")
    unit = Unit.objects.get(pk=alert.unit_id)
    county_id = alert.county_id
    if unit.kind in (UnitKind.COUNTY, UnitKind.PARK) or county_id is None or county_id == unit.pk:
        return unit, None
    return unit, Unit.objects.get(pk=county_id)


@transaction.atomic
def raise_task(plan: Plan, *, problem: str, required_action: str, responsible_unit: Unit, deadline: dt.date,
               project: Project | None = None, warning_key: str = "", co_responsible_unit: Unit | None = None,
               actor: Actor) -> SupervisionTask:
    """下发: by hand, or from a warning (its key, so the same warning is not raised twice while open).

    `co_responsible_unit` is the county of the project when a bureau answers for it: it sees the task and is
    told of it, the bureau answers.
    """
    _office_only(actor, _("下发督办任务"))
    if not (problem or "").strip() or not (required_action or "").strip():
        raise BusinessError(_("请填写问题和整改要求"))
    if deadline < timezone.localdate():
        raise BusinessError(_("整改时限不能早于今天"), field="deadline")
    out_of_range = day_problem(deadline)
    if out_of_range:
        raise BusinessError(out_of_range, field="deadline")
    try:
        with transaction.atomic():
            task = SupervisionTask.objects.create(
                plan=plan, project=project, warning_key=warning_key, problem=problem.strip(),
                required_action=required_action.strip(), responsible_unit=responsible_unit, deadline=deadline,
                co_responsible_unit=co_responsible_unit if co_responsible_unit != responsible_unit else None,
                raised_by=user_of(actor))
    except IntegrityError as exc:
        raise AlreadyExists(_("该预警已有未核销的督办任务")) from exc
    record(Event.CREATE, actor=actor, obj=task, subject=f"project:{project.pk}" if project else "",
           after={"problem": task.problem, "unit": responsible_unit.key, "deadline": deadline,
                  "warning": warning_key,
                  **({"co_unit": task.co_responsible_unit.key} if task.co_responsible_unit else {})})
    notify(task, _("收到督办任务:%(problem)s(时限 %(deadline)s)") % {"problem": task.problem[:80],
                                                                     "deadline": deadline})
    return task


@transaction.atomic
def start(task: SupervisionTask, *, actor: Actor, expected_version: int | None = None) -> SupervisionTask:
    _unit_only(actor, task)
    locked = _move(task, TaskStatus.RECTIFYING, expected_version)
    before = locked.status
    locked.status = TaskStatus.RECTIFYING
    return _save(locked, before, actor)


@transaction.atomic
def answer(task: SupervisionTask, rectification: str, *, evidence: UploadedFile | None = None, actor: Actor,
           expected_version: int | None = None) -> SupervisionTask:
    """The responsible unit reports its rectification, with evidence; the office then verifies it."""
    _unit_only(actor, task)
    if not (rectification or "").strip():
        raise BusinessError(_("请填写整改情况"), field="rectification")
    locked = _move(task, TaskStatus.RECTIFIED, expected_version)
    before = locked.status
    if evidence is not None:
        checked = check_upload(evidence)
        locked.evidence.save(stored_name(checked), evidence, save=False)
        locked.evidence_name, locked.evidence_type = checked.name, checked.content_type
        locked.evidence_flags = checked.flags
    locked.status, locked.rectification, locked.rectified_at = TaskStatus.RECTIFIED, rectification.strip(), \
        timezone.now()
    return _save(locked, before, actor, message=locked.rectification)


@transaction.atomic
def close(task: SupervisionTask, *, actor: Actor, expected_version: int | None = None) -> SupervisionTask:
    """核销: the office verifies the rectification."""
    _office_only(actor, _("核销督办任务"))
    locked = _move(task, TaskStatus.CLOSED, expected_version)
    before = locked.status
    locked.status, locked.closed_at = TaskStatus.CLOSED, timezone.now()
    return _save(locked, before, actor)


@transaction.atomic
def send_back(task: SupervisionTask, reason: str, *, actor: Actor,
              expected_version: int | None = None) -> SupervisionTask:
    """退回: the rectification does not satisfy; the unit must answer again."""
    _office_only(actor, _("退回督办任务"))
    if not (reason or "").strip():
        raise BusinessError(_("退回时请说明原因"), field="reason")
    locked = _move(task, TaskStatus.RETURNED, expected_version)
    before = locked.status
    locked.status, locked.return_reason = TaskStatus.RETURNED, reason.strip()
    task = _save(locked, before, actor, message=locked.return_reason)
    notify(task, _("督办任务被退回:%(reason)s") % {"reason": reason.strip()[:80]})
    return task


def remind_overdue(*, today: dt.date | None = None) -> int:
    """One to-do reminder per overdue open task per day (run daily, e.g. by cron: `touzi supervision remind`)."""
    today = today or timezone.localdate()
    count = 0
    overdue = SupervisionTask.objects.filter(deadline__lt=today).exclude(status=TaskStatus.CLOSED).exclude(
        notifications__created_at__date=today, notifications__message__startswith="【逾期】")
    for task in overdue.select_related("responsible_unit"):
        with transaction.atomic():
            notify(task, "【逾期】" + _("督办任务已超过整改时限 %(deadline)s:%(problem)s") % {
                "deadline": task.deadline, "problem": task.problem[:60]})
        count += 1
    return count
