"""The REST API at /api/v1: one NinjaAPI, one router per app, session or bearer-token authentication."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from touzi.accounts.services import user_for_token
from touzi.audit.choices import Source
from touzi.audit.context import switch_source


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


def _register() -> None:
    from touzi.accounts.api import router as accounts_router
    from touzi.plans.api import router as plans_router
    from touzi.units.api import router as units_router

    api.add_router("/", plans_router)
    api.add_router("/units", units_router)
    api.add_router("/me", accounts_router)


_register()
