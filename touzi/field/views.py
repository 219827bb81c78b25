from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.core.http import TouziRequest
from touzi.core.scoping import Action, can, scope_of
from touzi.core.security import policy_with_images_from
from touzi.field.choices import ColourBy, LocationSource
from touzi.field.forms import LocationForm
from touzi.field.scoping import sees_gps
from touzi.field.selectors import gallery, legend, location_of, map_points, unlocated, visible_photos
from touzi.field.services import location_from_photo, set_location
from touzi.field.todo import due_reports
from touzi.lib.errors import BusinessError
from touzi.lib.periods import month_of
from touzi.monitoring.choices import Level
from touzi.projects.choices import Stage
from touzi.projects.selectors import ProjectFilters, visible_projects
from touzi.units.choices import UnitKind
from touzi.units.models import Unit


def _business(request: TouziRequest) -> None:
    """The administrators (三员) see no business data: no photos, no map."""
    if not scope_of(request.user).business:
        raise PermissionDenied(_("该账号不查看业务数据"))


@login_required
def field_home(request: TouziRequest) -> HttpResponse:
    """本月待填报: the months the user's projects still owe, with the deadline, each a link to a prefilled form."""
    _business(request)
    rows, deadline, months = due_reports(request.user, request.plan)
    return render(request, "field/home.html", {
        "rows": rows, "deadline": deadline, "months": months,
        "can_report": request.user.has_perm("reports.add_monthlyreport")})


@login_required
def photo_list(request: TouziRequest) -> HttpResponse:
    _business(request)
    project = None
    if request.GET.get("project", "").isdigit():
        project = get_object_or_404(visible_projects(request.user), pk=int(request.GET["project"]))
    flagged = request.GET.get("flagged") == "1"
    page = Paginator(gallery(request.user, project=project, flagged=flagged), 48).get_page(request.GET.get("page"))
    return render(request, "field/photos.html", {
        "page": page, "project": project, "flagged": flagged, "sees_gps": sees_gps(request.user),
        "can_locate": project is not None and can(request.user, project, Action.CHANGE)})


@login_required
def photo_file(request: TouziRequest, pk: int, size: str) -> FileResponse:
    """The re-encoded photo or its thumbnail: never the uploaded bytes, which are not kept."""
    photo = get_object_or_404(visible_photos(request.user), pk=pk)
    stored = photo.thumbnail if size == "thumb" else photo.image
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def location_edit(request: TouziRequest, project_pk: int) -> HttpResponse:
    project = get_object_or_404(visible_projects(request.user), pk=project_pk)
    if not can(request.user, project, Action.CHANGE):
        raise PermissionDenied(_("只有能修改该项目的单位可以标注位置"))
    current = location_of(request.user, project)
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {"lat": float(current.lat), "lon": float(current.lon), "shape_kind": current.shape_kind,
                   "shape": "\n".join(f"{p[0]},{p[1]}" for p in current.shape), "radius": current.radius_m}
    form = LocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source = data["source"] if data["source"] in LocationSource.values else LocationSource.COORDINATES
        try:
            set_location(project, data["lat"], data["lon"], datum=data["datum"], source=source,
                         shape_kind=data["shape_kind"] or "", shape=data["shape"], radius=data["radius"],
                         actor=request.user)
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("项目位置已保存"))
            return redirect("field-location", project_pk=project.pk)
    with_gps = gallery(request.user, project=project).filter(lat__isnull=False)[:12]
    return _tiles_allowed(render(request, "field/location.html", {
        "project": project, "form": form, "location": current, "photos": with_gps,
        "map_config": _map_config(), "point": ([float(current.lon), float(current.lat)] if current else None)}))


@login_required
@require_POST
def location_from_photo_view(request: TouziRequest, pk: int) -> HttpResponse:
    photo = get_object_or_404(visible_photos(request.user), pk=pk)
    try:
        location_from_photo(photo, actor=request.user)
        messages.success(request, _("已按照片的拍摄位置标注项目"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("field-location", project_pk=photo.project_id)


def _map_config() -> dict[str, Any]:
    """What map.js needs: the outlines, and the installation's tile server if it has one (`TOUZI_MAP_TILE_URL`)."""
    tiles = None
    if settings.MAP_TILE_URL:
        tiles = {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION,
                 "datum": settings.MAP_TILE_DATUM, "max_zoom": settings.MAP_TILE_MAX_ZOOM}
    return {"outlines": settings.STATIC_URL + "field/beihai-counties.geojson", "tiles": tiles}


def _tiles_allowed(response: HttpResponse) -> HttpResponse:
    """A map page of an installation with a tile server may load images from that server's origin, no other page."""
    if settings.MAP_TILE_URL:
        parts = urlsplit(settings.MAP_TILE_URL)
        response["Content-Security-Policy"] = policy_with_images_from(f"{parts.scheme}://{parts.netloc}")
    return response


def _month(request: TouziRequest) -> dt.date:
    try:
        return month_of(request.GET.get("month", ""))
    except ValueError:
        from touzi.reports.selectors import default_month

        return default_month()


@login_required
def project_map(request: TouziRequest) -> HttpResponse:
    """The map: the filtered projects (the project list's filters) coloured by warning, stage or report status."""
    _business(request)
    filters = ProjectFilters.from_query(request.GET, plan=request.plan)
    colour_by = request.GET.get("colour", ColourBy.WARNING)
    if colour_by not in ColourBy.values:
        colour_by = ColourBy.WARNING
    month = _month(request)
    points = map_points(request.user, filters, plan=request.plan, month=month, colour_by=colour_by)
    category = request.GET.get("category", "")
    if category:
        points = [p for p in points if p["category"] == category]
    labels = {item["key"]: item["label"] for item in legend(colour_by)}
    for point in points:
        point["category_label"] = labels.get(point["category"], point["category"])
    return _tiles_allowed(render(request, "field/map.html", {
        "points": points, "legend": legend(colour_by), "colour_by": colour_by, "colours": ColourBy.choices,
        "filters": filters, "month": month, "category": category, "unlocated": unlocated(request.user, filters),
        "stages": Stage.choices, "levels": Level.choices, "map_config": _map_config(),
        "can_supervise": scope_of(request.user).is_office,
        "counties": Unit.objects.filter(kind__in=[UnitKind.COUNTY, UnitKind.PARK]).order_by("kind", "division_code"),
    }))


@login_required
def map_data(request: TouziRequest) -> JsonResponse:
    """The map's points as JSON (the same filters as the page)."""
    _business(request)
    filters = ProjectFilters.from_query(request.GET, plan=request.plan)
    colour_by = request.GET.get("colour", ColourBy.WARNING)
    colour_by = colour_by if colour_by in ColourBy.values else ColourBy.WARNING
    points = map_points(request.user, filters, plan=request.plan, month=_month(request), colour_by=colour_by)
    return JsonResponse({"points": points, "legend": legend(colour_by), "generated": timezone.now().isoformat()})

