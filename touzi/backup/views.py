"""The system administrator's backup page: the archives in TOUZI_BACKUP_DIR and a button starting one."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.accounts.admin_views import role_required
from touzi.accounts.choices import Role
from touzi.backup.services import list_backups, start_backup
from touzi.core.http import TouziRequest
from touzi.core.models import BackgroundJob, JobKind, JobStatus
from touzi.core.scoping import scope
from touzi.lib.errors import BusinessError


@role_required(Role.SYSTEM_ADMIN)
def backup_list(request: TouziRequest) -> HttpResponse:
    started = scope(request.user, BackgroundJob.objects.filter(kind=JobKind.BACKUP)).select_related("user")[:10]
    return render(request, "backup/list.html", {"backups": list_backups(), "jobs": started,
                                                "folder": settings.BACKUP_DIR})


@role_required(Role.SYSTEM_ADMIN)
@require_POST
def backup_start(request: TouziRequest) -> HttpResponse:
    try:
        job = start_backup(actor=request.user)
    except BusinessError as exc:
        messages.error(request, exc.message)
        return redirect("backup-list")
    if job.status == JobStatus.DONE:
        messages.success(request, job.message)
    elif job.status == JobStatus.FAILED:
        messages.error(request, job.message)
    else:
        messages.info(request, _("备份已在后台开始,进度见下方"))
    return redirect("backup-list")
