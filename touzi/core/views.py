from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from touzi.plans.choices import Area
from touzi.plans.selectors import targets_for, tasks_for, work_groups_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The first page after sign-in: the current plan at a glance, scoped to the user."""
    plan = request.plan
    context = {"plan": plan}
    if plan is not None:
        targets = list(targets_for(request.user, plan))
        context.update(
            headline=[t for t in targets if t.area == Area.OVERALL],
            target_count=len(targets),
            task_count=tasks_for(request.user, plan).count(),
            group_count=work_groups_for(request.user, plan).count(),
            my_targets=[t for t in targets
                        if request.user.unit_id and any(d.unit_id == request.user.unit_id for d in t.duties.all())],
        )
    return render(request, "core/home.html", context)
