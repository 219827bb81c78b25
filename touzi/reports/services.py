"""Monthly report acts: report, submit, review, lock the month, adjust a locked month. Atomic and audited.

Only the reporting unit changes its figures (统计法); the statistics bureau accepts or returns them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Avg, F
from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.audit.choices import Event
from touzi.audit.services import diff, record, snapshot
from touzi.core.actor import Actor, allowed, user_of
from touzi.core.scoping import Action, can
from touzi.lib.bounds import day_problem, money_problem
from touzi.lib.errors import AlreadyExists, BusinessError, Conflict, Forbidden
from touzi.lib.evidence import check_upload, stored_name
from touzi.lib.periods import add_months, period_label
from touzi.projects.choices import Stage
from touzi.projects.models import Project
from touzi.reports import counted
from touzi.reports.checks import already_accepted, amount_problem, cap_problem, is_spike, month_problem
from touzi.reports.choices import COUNTED, EDITABLE, Flag, ReportStatus
from touzi.reports.keys import audit_id
from touzi.reports.models import Adjustment, Evidence, MonthLock, MonthlyReport
from touzi.reports.rules import combines_jan_feb, spike_factor
from touzi.reports.totals import since_start_including

_FIELDS = ["amount", "progress", "problems", "status", "flags", "return_reason"]


def is_locked(month: dt.date) -> bool:
    return MonthLock.objects.filter(month=month).exists()


def _check_month(project: Project, month: dt.date) -> None:
    if month.day != 1:
        raise BusinessError(_("报告期应为月份(YYYY-MM)"))
    problem = month_problem(month, current_month=timezone.localdate().replace(day=1),
                            combined=combines_jan_feb(month.year), locked=is_locked(month))
    if problem:
        raise BusinessError(problem.render(), field="month")
    if project.stage in (Stage.RESERVE, Stage.CANCELLED):
        raise BusinessError(_("项目处于「%(stage)s」阶段,不应填报完成投资") % {"stage": Stage(project.stage).label})


def _flags(project: Project, month: dt.date, amount: Decimal) -> list[str]:
    """A month far above the project's own trend is flagged for the reviewer, not refused."""
    recent = (MonthlyReport.objects.filter(project=project, status__in=COUNTED,
                                           month__gte=add_months(month, -6), month__lt=month)
              .aggregate(avg=Avg("amount"))["avg"])
    return [Flag.SPIKE] if is_spike(amount, recent, spike_factor()) else []


@transaction.atomic
def report_month(project: Project, month: dt.date, amount: Decimal, *, progress: str = "", problems: str = "",
                 actor: Actor, submit: bool = True, expected_version: int | None = None,
                 must_be_new: bool = False) -> MonthlyReport:
    """The owner reports (or corrects) one month; `submit` sends it to the statistics bureau for review."""
    if not allowed(actor, lambda user: can(user, project, Action.CHANGE)):
        raise Forbidden(_("只有项目业主(或所在县区)可以填报、更正该项目的月报"))
    project = Project.objects.select_for_update().get(pk=project.pk)
    _check_month(project, month)
    problem = amount_problem(amount)
    if problem:
        raise BusinessError(problem.render(), field="amount")
    report = MonthlyReport.objects.select_for_update().filter(project=project, month=month).first()
    if report is not None and must_be_new:
        raise AlreadyExists(_("%(project)s 已有 %(month)s 的月报,请在原月报上更正(不重复填报)")
                            % {"project": project.name, "month": f"{month:%Y-%m}"})
    if report is not None and expected_version is not None and report.version != expected_version:
        raise Conflict()
    if report is not None and report.status not in EDITABLE:
        raise BusinessError(f"{project.name} {month:%Y-%m}:{already_accepted()}", field="amount")
    problem = cap_problem(since_start_including(project.pk, month, replacing=amount), project.total_investment)
    if problem:
        raise BusinessError(problem.render(), field="amount")
    before = snapshot(report, _FIELDS) if report else None
    report = report or MonthlyReport(project=project, month=month)
    report.amount, report.progress, report.problems = amount, progress, problems
    report.flags = _flags(project, month, amount)
    if report.pk and any(e.flags for e in report.evidence.all()):  # a flagged file stays flagged on correction
        report.flags.append(Flag.EVIDENCE)
    if submit:
        report.status, report.submitted_at, report.submitted_by = ReportStatus.SUBMITTED, timezone.now(), user_of(actor)
        report.return_reason = ""  # the reason stays in the audit trail
    elif report.status != ReportStatus.RETURNED:
        report.status = ReportStatus.DRAFT
    if report.pk:
        report.version = F("version") + 1
    report.save()
    counted.refresh([project.pk])  # a correction of a returned or draft figure may be what counted before
    report.refresh_from_db()
    old, new = diff(before, snapshot(report, _FIELDS))
    if before is None or new:
        record(Event.CREATE if before is None else Event.UPDATE, actor=actor, obj=report,
               object_id=audit_id(project.pk, month), subject=project.subject, before=old or None, after=new)
    return report


@transaction.atomic
def add_evidence(report: MonthlyReport, upload: UploadedFile, *, actor: Actor) -> Evidence:
    if not allowed(actor, lambda user: can(user, report, Action.CHANGE)):
        raise Forbidden(_("只有填报单位可以上传佐证材料"))
    if report.status == ReportStatus.ACCEPTED or is_locked(report.month):
        raise BusinessError(_("已审核或已锁定的月报不能再添加佐证材料"))
    checked = check_upload(upload)
    item = Evidence(report=report, original_name=checked.name, content_type=checked.content_type,
                    size=upload.size or 0,  # check_upload refused an upload of unknown or zero size
                    sha256=checked.sha256, flags=checked.flags,
                    uploaded_by=user_of(actor))
    item.file.save(stored_name(checked), upload, save=False)
    item.save()
    if checked.flags:  # the review queue shows it on the report, as it shows a spike
        flags = MonthlyReport.objects.filter(pk=report.pk).values_list("flags", flat=True).get()
        if Flag.EVIDENCE not in flags:
            MonthlyReport.objects.filter(pk=report.pk).update(flags=[*flags, Flag.EVIDENCE])
    record(Event.CREATE, actor=actor, obj=item, subject=report.project.subject,
           after={"report": report.pk, "name": item.original_name, "type": checked.content_type, "size": item.size,
                  "sha256": checked.sha256, "flags": checked.flags})
    return item


def _review(report: MonthlyReport, actor: Actor) -> MonthlyReport:
    if not allowed(actor, lambda user: can(user, report, Action.REVIEW)):
        raise Forbidden(_("只有统计局可以审核月报"))
    locked = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    if locked.status != ReportStatus.SUBMITTED:
        raise BusinessError(_("只能审核「已报送」的月报,该月报为「%(status)s」")
                            % {"status": ReportStatus(locked.status).label})
    if is_locked(locked.month):
        raise BusinessError(_("%(month)s 已锁定") % {"month": f"{locked.month:%Y-%m}"})
    return locked


@transaction.atomic
def accept_report(report: MonthlyReport, *, actor: Actor) -> MonthlyReport:
    locked = _review(report, actor)
    locked.status, locked.reviewed_at = ReportStatus.ACCEPTED, timezone.now()
    locked.reviewed_by = user_of(actor)
    locked.version = F("version") + 1
    locked.save()
    counted.refresh([locked.project_id])  # an accepted figure counts from now on
    record(Event.UPDATE, actor=actor, obj=locked, object_id=audit_id(locked.project_id, locked.month),
           subject=f"project:{locked.project_id}",
           before={"status": ReportStatus.SUBMITTED}, after={"status": ReportStatus.ACCEPTED})
    return locked


@transaction.atomic
def accept_clean(reports: list[MonthlyReport], *, actor: Actor) -> tuple[list[MonthlyReport], list[MonthlyReport]]:
    """Bulk acceptance (批量审核) of the reports the reviewer ticked, in one transaction, one audit record each.

    Only clean reports are accepted: submitted, without a flag (spike, late, evidence, photo) and in an unlocked
    month; the others are returned as skipped, untouched, for a look one by one. Answers (accepted, skipped).
    """
    accepted: list[MonthlyReport] = []
    skipped: list[MonthlyReport] = []
    ids = [r.pk for r in reports]
    for report in MonthlyReport.objects.select_for_update().filter(pk__in=ids).order_by("pk"):
        if report.flags or report.status != ReportStatus.SUBMITTED or is_locked(report.month):
            skipped.append(report)
            continue
        accepted.append(accept_report(report, actor=actor))
    return accepted, skipped


def flag_report(report: MonthlyReport, flag: Flag) -> None:
    """Raise a flag for the reviewer on a report (an app above adds its own checks: the field photos)."""
    flags = MonthlyReport.objects.filter(pk=report.pk).values_list("flags", flat=True).get()
    if flag not in flags:
        MonthlyReport.objects.filter(pk=report.pk).update(flags=[*flags, flag])
    report.flags = [*flags, flag] if flag not in flags else flags


@transaction.atomic
def return_report(report: MonthlyReport, reason: str, *, actor: Actor) -> MonthlyReport:
    """Send a figure back to its reporting unit with the reason; the bureau never edits the figure itself."""
    if not (reason or "").strip():
        raise BusinessError(_("退回时请说明原因"), field="reason")
    locked = _review(report, actor)
    locked.status, locked.return_reason, locked.reviewed_at = ReportStatus.RETURNED, reason.strip(), timezone.now()
    locked.reviewed_by = user_of(actor)
    locked.version = F("version") + 1
    locked.save()
    counted.refresh([locked.project_id])  # nothing submitted counts; kept so every status change refreshes
    record(Event.UPDATE, actor=actor, obj=locked, object_id=audit_id(locked.project_id, locked.month),
           subject=f"project:{locked.project_id}",
           before={"status": ReportStatus.SUBMITTED}, after={"status": ReportStatus.RETURNED},
           message=reason.strip())
    return locked


@transaction.atomic
def lock_month(month: dt.date, *, actor: Actor) -> MonthLock:
    """Close a month: its accepted figures are final; later corrections are recorded adjustments."""
    if not allowed(actor, lambda user: user.has_perm("reports.add_monthlock")):
        raise Forbidden(_("只有领导小组办公室或统计局可以锁定月份"))
    if problem := day_problem(month):
        raise BusinessError(problem, field="month")
    if MonthLock.objects.filter(month=month).exists():
        raise BusinessError(_("%(month)s 已经锁定") % {"month": f"{month:%Y-%m}"})
    pending = MonthlyReport.objects.filter(month=month, status=ReportStatus.SUBMITTED).count()
    if pending:
        raise BusinessError(_("%(month)s 还有 %(count)s 份已报送待审核的月报,请审核后再锁定")
                            % {"month": f"{month:%Y-%m}", "count": pending})
    lock = MonthLock.objects.create(month=month, locked_by=user_of(actor))
    label = period_label(month, combine_jan_feb=combines_jan_feb(month.year))
    record(Event.UPDATE, actor=actor, obj=lock, after={"locked": f"{month:%Y-%m}"}, message=f"锁定{label}")
    return lock


@transaction.atomic
def adjust(project: Project, month: dt.date, delta: Decimal, reason: str, *, actor: Actor) -> Adjustment:
    """Correct a locked month by a recorded adjustment with its reason (the reporting unit's act)."""
    if not allowed(actor, lambda user: can(user, project, Action.CHANGE)):
        raise Forbidden(_("只有填报单位可以提交调整"))
    if not (reason or "").strip():
        raise BusinessError(_("请说明调整原因"), field="reason")
    if not is_locked(month):
        raise BusinessError(_("%(month)s 尚未锁定,请直接更正月报") % {"month": f"{month:%Y-%m}"}, field="month")
    if not delta:
        raise BusinessError(_("调整额不能为零"), field="delta")
    problem = money_problem(delta, negative=True)
    if problem:
        raise BusinessError(_("调整额%(problem)s") % {"problem": problem}, field="delta")
    project = Project.objects.select_for_update().get(pk=project.pk)
    month_total = (MonthlyReport.objects.filter(project=project, month=month, status__in=COUNTED)
                   .values_list("amount", flat=True).first() or Decimal(0))
    month_total += sum(Adjustment.objects.filter(project=project, month=month).values_list("delta", flat=True),
                       Decimal(0))
    if month_total + delta < 0:
        raise BusinessError(_("调整后 %(month)s 完成投资将为负数") % {"month": f"{month:%Y-%m}"}, field="delta")
    total = since_start_including(project.pk, month) + delta
    if total > project.total_investment:
        raise BusinessError(_("调整后自开工累计完成投资将超过总投资"), field="delta")
    item = Adjustment.objects.create(project=project, month=month, delta=delta, reason=reason.strip(),
                                     created_by=user_of(actor))
    counted.refresh([project.pk])  # an adjustment counts in every total
    record(Event.CREATE, actor=actor, obj=item, subject=project.subject,
           after={"month": f"{month:%Y-%m}", "delta": delta, "reason": item.reason})
    return item
