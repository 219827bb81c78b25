"""The public portal (/open/): no sign-in, no session, cacheable, a few queries a page.

Pages are rendered without the request's context processors (they read the session and the user), so an
anonymous visit sets no cookie — neither a session nor a CSRF one — and each response says
`Cache-Control: public, max-age=TOUZI_DISCLOSURE_CACHE_SECONDS`. The opinion form is the one POST: it is
CSRF-exempt (a public form with no session carries no ambient authority to abuse) and is limited by size and by
a per-address rate in the cache (services.submit_opinion).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template import loader
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from touzi.audit.middleware import client_ip
from touzi.disclosure import oc4ids
from touzi.disclosure.public import (
    PAGE,
    Filters,
    facets,
    feed_entries,
    portal_projects,
    project_page,
    public_consultation,
    public_project,
    search,
)
from touzi.disclosure.services import is_open, submit_opinion
from touzi.lib.errors import BusinessError


def _base_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _public(response: HttpResponse, *, seconds: int | None = None) -> HttpResponse:
    patch_cache_control(response, public=True,
                        max_age=settings.DISCLOSURE_CACHE_SECONDS if seconds is None else seconds)
    patch_vary_headers(response, ["Accept-Language"])
    return response


def _page(request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200,
          cache: bool = True) -> HttpResponse:
    context = {"LANG": translation.get_language(), **context}
    # Rendered with the request for the site-wide context (the demo banner: the public is told the data are
    # generated); nothing in the portal's templates reads the visitor's session, so the page stays public.
    response = HttpResponse(loader.get_template(template).render(context, request), status=status)
    return _public(response) if cache else response


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    filters = Filters.from_query(request.GET)
    paginator = Paginator(search(filters), PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = {k: v for k, v in (("q", filters.q), ("county", filters.county), ("domain", filters.domain),
                               ("stage", filters.stage), ("year", filters.year or "")) if v}
    return _page(request, "open/index.html", {
        "page": page, "filters": filters, "facets": facets(), "query": urlencode(query),
        "years": range(2021, timezone.localdate().year + 1),
    })


@require_GET
def project(request: HttpRequest, pk: int) -> HttpResponse:
    found = public_project(pk)
    if found is None:
        raise Http404
    return _page(request, "open/project.html", {"view": project_page(found)})


@require_http_methods(["GET", "POST"])
@csrf_exempt
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    found = public_consultation(pk)
    if found is None:
        raise Http404
    error, text = "", ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            submit_opinion(found, text, address=client_ip(request))
        except BusinessError as exc:
            error = exc.message
        else:
            return HttpResponseRedirect(reverse("open-consultation", args=[pk]) + "?sent=1#opinion-form")
    return _page(request, "open/consultation.html", {
        "c": found, "open": is_open(found), "error": error, "text": text[:settings.DISCLOSURE_OPINION_MAX_CHARS],
        "sent": request.GET.get("sent") == "1", "max_chars": settings.DISCLOSURE_OPINION_MAX_CHARS,
    }, status=400 if error else 200, cache=request.method == "GET" and not request.GET.get("sent"))


@require_GET
def package(request: HttpRequest) -> HttpResponse:
    data = oc4ids.package(published_only=True, base_url=_base_url(request))
    return _public(JsonResponse(data, json_dumps_params={"ensure_ascii": False}))


@require_GET
def project_package(request: HttpRequest, pk: int) -> HttpResponse:
    found = public_project(pk)
    if found is None:
        raise Http404
    data = oc4ids.package(base_url=_base_url(request), project=found)
    return _public(JsonResponse(data, json_dumps_params={"ensure_ascii": False}))


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    entries = feed_entries()
    updated = max((e.decided_at for e in entries if e.decided_at), default=timezone.now())
    body = loader.get_template("open/feed.xml").render({"entries": entries, "updated": updated,
                                                        "base": _base_url(request)})
    return _public(HttpResponse(body, content_type="application/atom+xml; charset=utf-8"))


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    rows = portal_projects().values_list("id", "updated_at").order_by("id")
    body = loader.get_template("open/sitemap.xml").render({"rows": rows, "base": _base_url(request)})
    return _public(HttpResponse(body, content_type="application/xml; charset=utf-8"))


@require_GET
def robots(request: HttpRequest) -> HttpResponse:
    """robots.txt: search engines may index the public portal and are pointed at its sitemap; everything else on
    the server sits behind a sign-in and is no page for an index."""
    base = _base_url(request)
    body = (f"User-agent: *\nAllow: {reverse('open-index')}\nDisallow: /\n\n"
            f"Sitemap: {base}{reverse('open-sitemap')}\n")
    return _public(HttpResponse(body, content_type="text/plain; charset=utf-8"))
