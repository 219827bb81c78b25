from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.core.http import TouziRequest
from touzi.imports.choices import ImportKind, ImportStatus
from touzi.imports.common import RowError, error_report, progress_key
from touzi.imports.forms import UploadForm
from touzi.imports.models import ImportBatch
from touzi.imports.services import confirm_import, stage_import
from touzi.imports.templates_xlsx import project_template, report_template
from touzi.imports.views_export import xlsx_response
from touzi.lib.errors import BusinessError
from touzi.reports.selectors import month_from


def _own_batch(request: TouziRequest, pk: int) -> ImportBatch:
    # An import batch belongs to whoever uploaded it; nobody else sees its file or its errors.
    return get_object_or_404(ImportBatch, pk=pk, uploaded_by=request.user)


@login_required
@permission_required("imports.add_importbatch", raise_exception=True)
def import_home(request: TouziRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None,
                      initial={"kind": request.GET.get("kind", ImportKind.REPORTS)})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = stage_import(form.cleaned_data["kind"], upload.name, upload.read(), actor=request.user)
        except BusinessError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("import-detail", pk=batch.pk)
    batches = ImportBatch.objects.filter(uploaded_by=request.user)[:20]
    return render(request, "imports/home.html", {"form": form, "batches": batches,
                                                 "month": month_from(request)})


@login_required
def import_detail(request: TouziRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    errors = [RowError.from_dict(e) for e in batch.errors[:200]]  # messages rendered in the reader's language
    return render(request, "imports/detail.html", {"batch": batch, "errors": errors})


@login_required
@require_POST
def import_confirm(request: TouziRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    try:
        batch = confirm_import(batch, actor=request.user)
    except BusinessError as exc:
        messages.error(request, exc.message)
    else:
        if batch.status == ImportStatus.COMMITTED:
            messages.success(request, _("导入完成"))
        elif batch.status == ImportStatus.FAILED:
            messages.error(request, batch.message)
    return redirect("import-detail", pk=batch.pk)


@login_required
def import_progress(request: TouziRequest, pk: int) -> JsonResponse:
    batch = _own_batch(request, pk)
    progress = cache.get(progress_key(batch.pk)) or {"done": batch.processed_rows, "total": batch.total_rows}
    return JsonResponse({"status": batch.status, "status_label": batch.get_status_display(),
                         "finished": batch.status != ImportStatus.RUNNING,
                         "done": progress["done"], "total": progress["total"], "message": batch.message})


@login_required
def import_errors(request: TouziRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    errors = [RowError.from_dict(e) for e in batch.errors]
    return xlsx_response(error_report(errors), f"errors-{batch.pk}.xlsx")


@login_required
def template_download(request: TouziRequest, kind: str) -> HttpResponse:
    if kind == ImportKind.PROJECTS:
        return xlsx_response(project_template(), "touzi-projects-template.xlsx")
    month = month_from(request)
    return xlsx_response(report_template(request.user, month), f"touzi-reports-{month:%Y-%m}.xlsx")
