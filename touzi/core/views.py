"""What every background job shares: its state as JSON for the page that polls it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse

from touzi.core import background
from touzi.core.models import BackgroundJob, JobKind, JobStatus
from touzi.core.scoping import scope


def result_url(job: BackgroundJob) -> str:
    """Where the user opens what a finished job made ("" when there is nothing to open)."""
    if job.status == JobStatus.DONE and job.kind == JobKind.BRIEFING and job.result_id:
        return reverse("briefing-detail", args=[job.result_id])
    return ""


@login_required
def job_progress(request: HttpRequest, pk: int) -> JsonResponse:
    job = get_object_or_404(scope(request.user, BackgroundJob.objects.all()), pk=pk)
    progress = background.progress_of(job)
    return JsonResponse({"status": job.status, "status_label": job.get_status_display(), "finished": job.finished,
                         "done": progress["done"], "total": progress["total"], "message": job.message,
                         "url": result_url(job)})


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """/favicon.ico, which browsers ask for where a page names no icon (a feed, the sitemap): the SVG icon."""
    return HttpResponsePermanentRedirect(static("touzi/favicon.svg"))
