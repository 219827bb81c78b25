"""Session limits (idle and absolute) and the sign-in steps a session still owes (code, password, enrolment)."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from touzi.accounts import sessions
from touzi.accounts.policy import pending_step
from touzi.core.http import AnyUserRequest


class SessionLimitsMiddleware:
    """Ends a session after TOUZI_SESSION_IDLE_MINUTES without a request, and TOUZI_SESSION_SECONDS after
    sign-in whatever the activity (the cookie's own age is refreshed by activity, this limit is not)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: AnyUserRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = time.time()
            started = session.get(sessions.SIGNED_IN_AT)
            seen = session.get(sessions.LAST_SEEN)
            idle = settings.SESSION_IDLE_MINUTES * 60
            if idle and seen is not None and now - seen > idle:
                self._end(request, _("空闲超过%(n)s分钟,会话已结束,请重新登录。") % {"n": settings.SESSION_IDLE_MINUTES})
            elif started is not None and now - started > settings.SESSION_COOKIE_AGE:
                self._end(request, _("登录已超过%(n)s小时,会话已结束,请重新登录。") % {
                    "n": round(settings.SESSION_COOKIE_AGE / 3600, 1)})
            else:
                if started is None:  # a session from before these limits: count from now
                    session[sessions.SIGNED_IN_AT] = now
                if seen is None or now - seen >= sessions.SEEN_RESOLUTION:
                    session[sessions.LAST_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def _end(request: AnyUserRequest, message: str) -> None:
        request.touzi_audit_message = message  # the sign-out record says why
        logout(request)
        # The request goes on anonymous: pages send to the sign-in page, the API answers 401.
        messages.warning(request, message)


class SignInStepsMiddleware:
    """Until a signed-in user has entered their code, changed an expired or initial password, and (an
    administrator) enrolled a TOTP device, every page leads to that step and the API answers 403."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: AnyUserRequest) -> HttpResponse:
        step = pending_step(request)
        if step is None:
            return self.get_response(request)
        target = reverse(step.url_name)
        always = {target, reverse("logout"), reverse("set_language")}
        if request.path in always or request.path.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/")
                                                             else "/" + settings.STATIC_URL):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(step.message)}, status=403)
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(f"{target}?{query}" if query else target)
