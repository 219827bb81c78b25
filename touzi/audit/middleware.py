from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from touzi.audit.choices import Source
from touzi.audit.context import audit_context


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address. Behind nginx (TOUZI_BEHIND_PROXY) REMOTE_ADDR is the proxy; the address nginx
    saw is the last entry of X-Forwarded-For (the entries before it are whatever the client claimed)."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    """Marks everything a web request changes as coming from the web, with the caller's address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = Source.API if request.path.startswith("/api/") else Source.WEB
        with audit_context(source, client_ip(request)):
            return self.get_response(request)
