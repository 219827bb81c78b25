"""The REST API at /api/v1: one NinjaAPI, one router per app, session or bearer-token authentication."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import HttpBearer, SessionAuth

from touzi.accounts.services import user_for_token
from touzi.audit.choices import Source
from touzi.audit.context import switch_source
from touzi.lib.apivalidation import is_refusal, refusal
from touzi.lib.errors import AlreadyExists, BusinessError, Conflict, Forbidden


class TokenAuth(HttpBearer):
    """`Authorization: Bearer tz_…` for machine clients (tokens are issued on the account page)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
            switch_source(Source.API)
        return user


class ActiveSessionAuth(SessionAuth):
    """A signed-in browser session; CSRF is checked on unsafe methods."""


api = NinjaAPI(
    title="Touzi API",
    version="1",
    description="投资项目管理平台接口。所有数据按用户权限范围返回。",
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
)


@api.exception_handler(BusinessError)
def business_error(request: HttpRequest, exc: BusinessError) -> HttpResponse:
    """Refusals are answers, never server errors: 403 for rights, 412 for a stale If-Match, else 400."""
    if isinstance(exc, Forbidden):
        status = 403
    elif isinstance(exc, Conflict):
        status = 412 if request.headers.get("If-Match") else 409
    elif isinstance(exc, AlreadyExists):
        status = 409
    else:
        status = 400
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=status)


@api.exception_handler(ValidationError)
def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A value outside its bound is refused like a business rule (400, Chinese); a malformed request is 422."""
    if is_refusal(exc.errors):
        return api.create_response(request, refusal(exc.errors), status=400)
    return api.create_response(request, {"detail": exc.errors}, status=422)


def _register() -> None:
    from touzi.accounts.api import router as accounts_router
    from touzi.approvals.api import router as approvals_router
    from touzi.assessment.api import router as assessment_router
    from touzi.audit.api import router as audit_router
    from touzi.consulting.api import router as consulting_router
    from touzi.factors.api import router as factors_router
    from touzi.field.api import router as field_router
    from touzi.financing.api import router as financing_router
    from touzi.indicators.api import router as indicators_router
    from touzi.monitoring.api import router as monitoring_router
    from touzi.pipeline.api import router as pipeline_router
    from touzi.plans.api import router as plans_router
    from touzi.projects.api import router as projects_router
    from touzi.promotion.api import router as promotion_router
    from touzi.reports.api import router as reports_router
    from touzi.supervision.api import router as supervision_router
    from touzi.units.api import router as units_router

    api.add_router("/", plans_router)
    api.add_router("/units", units_router)
    api.add_router("/me", accounts_router)
    api.add_router("/projects", projects_router)
    api.add_router("/", reports_router)
    api.add_router("/", monitoring_router)
    api.add_router("/indicators", indicators_router)
    api.add_router("/supervision", supervision_router)
    api.add_router("/audit", audit_router)
    api.add_router("/approvals", approvals_router)
    api.add_router("/promotion", promotion_router)
    api.add_router("/consulting", consulting_router)
    api.add_router("/assessment", assessment_router)
    api.add_router("/pipeline", pipeline_router)
    api.add_router("/field", field_router)
    api.add_router("/financing", financing_router)
    api.add_router("/factors", factors_router)


_register()
