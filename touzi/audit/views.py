"""The audit trail for whoever holds audit.view_auditrecord (the audit administrator, the auditor).

Read only: there is no page, form or method that changes or deletes a record. Exporting is audited.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from touzi.audit.chain import record_status
from touzi.audit.choices import Event
from touzi.audit.exports import csv_lines, write_xlsx
from touzi.audit.forms import AuditFilterForm
from touzi.audit.presenters import changes, object_type_choices
from touzi.audit.selectors import export_rows, filtered, keyset_page, visible_records
from touzi.audit.services import record
from touzi.core.http import TouziRequest
from touzi.lib.xlsx import EXCEL_MAX_ROWS

PERMISSION = "audit.view_auditrecord"


def _require_auditor(request: TouziRequest) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied(_("只有审计管理员和审计人员可以查看审计记录"))


def _cursor(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_safe
def record_list(request: TouziRequest) -> HttpResponse:
    _require_auditor(request)
    form = AuditFilterForm(request.GET or None)
    records = visible_records(request.user)
    if form.is_bound and not form.is_valid():
        records = records.none()
    elif form.is_bound:
        records = filtered(records, form.cleaned_data)
    page = keyset_page(records, before=_cursor(request.GET.get("before")), after=_cursor(request.GET.get("after")))
    return render(request, "audit/list.html", {
        "form": form, "page": page, "object_types": object_type_choices(request.GET.get("object_type", ""))})


@login_required
@require_safe
def record_detail(request: TouziRequest, pk: int) -> HttpResponse:
    _require_auditor(request)
    item = visible_records(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return render(request, "audit/detail.html", {"item": item, "status": record_status(item),
                                                 "changes": changes(item.object_type, item.before, item.after)})


def _export(request: TouziRequest, kind: str) -> tuple[Any, dict[str, str]] | None:
    """The filtered records to export, after recording the export itself (who, which filters, which format).

    None when the filters are wrong: the list page shows why.
    """
    _require_auditor(request)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return None
    filters = form.used()
    with transaction.atomic():
        record(Event.EXPORT, actor=request.user, object_type="audit.auditrecord",
               object_repr=_("审计记录导出"), after={"format": kind, "filters": filters})
    return export_rows(filtered(visible_records(request.user), form.cleaned_data)), filters


def _filename(extension: str) -> str:
    return f"audit-{timezone.localtime():%Y%m%d-%H%M%S}.{extension}"


@login_required
@require_safe
def export_xlsx(request: TouziRequest) -> HttpResponseBase:
    found = _export(request, "xlsx")
    if found is None:
        return redirect(f"{reverse('audit-list')}?{request.GET.urlencode()}")
    # A sheet holds 1,048,576 rows: the newest below that go to Excel; CSV has no limit.
    rows = itertools.islice(found[0], EXCEL_MAX_ROWS - 1)
    return FileResponse(write_xlsx(rows), as_attachment=True, filename=_filename("xlsx"),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@login_required
@require_safe
def export_csv(request: TouziRequest) -> HttpResponseBase:
    found = _export(request, "csv")
    if found is None:
        return redirect(f"{reverse('audit-list')}?{request.GET.urlencode()}")
    response = StreamingHttpResponse(csv_lines(found[0]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response
