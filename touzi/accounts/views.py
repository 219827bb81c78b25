from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.accounts import sessions
from touzi.accounts.forms import CodeForm, SignInForm, TokenForm
from touzi.accounts.otp import qr_svg, secret_text, unconfirmed_device
from touzi.accounts.policy import (
    PASSWORD,
    confirmed_device,
    otp_required,
    password_change_required,
    password_expires_at,
    pending_step,
)
from touzi.accounts.services import confirm_totp, disable_totp, issue_token, revoke_token
from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.core.http import AnyUserRequest, TouziRequest
from touzi.core.scoping import scope_of
from touzi.lib.errors import BusinessError


@login_required
def profile(request: TouziRequest) -> HttpResponse:
    user = request.user
    return render(request, "accounts/profile.html", {
        "scope": scope_of(user), "tokens": user.api_tokens.all(), "form": TokenForm(),
        "new_secret": request.session.pop("touzi_new_token", None),
        "otp_device": confirmed_device(user), "otp_required": otp_required(user), "code_form": CodeForm(),
        "password_expires_at": password_expires_at(user),
    })


@login_required
@require_POST
def create_token(request: TouziRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        _token, raw = issue_token(request.user, form.cleaned_data["name"], actor=request.user)
        # Shown once on the next page, never stored in clear.
        request.session["touzi_new_token"] = raw
        messages.success(request, _("已生成接口令牌,请立即复制保存,离开本页后将不再显示。"))
    else:
        messages.error(request, _("请填写令牌用途。"))
    return redirect("profile")


@login_required
@require_POST
def revoke(request: TouziRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    revoke_token(token, actor=request.user)
    messages.success(request, _("令牌已吊销。"))
    return redirect("profile")


class PasswordChange(auth_views.PasswordChangeView):
    """Change one's own password under the password rules; audited. Also the forced step after an
    initial password or an expired one."""

    template_name = "accounts/password.html"
    request: TouziRequest

    def get_success_url(self) -> str:
        return reverse("home") if self.forced else reverse("profile")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.forced = request.user.is_authenticated and password_change_required(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["forced"] = self.forced and pending_step(self.request) == PASSWORD
        context["initial_password"] = self.request.user.must_change_password
        return context

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        with transaction.atomic():
            form.user.must_change_password = False
            response = super().form_valid(form)
            record(Event.UPDATE, actor=self.request.user, obj=self.request.user, after={"password": "changed"},
                   message=_("修改密码"))
        # update_session_auth_hash gave this session a new key: keep the user → session map right.
        sessions.remember(self.request.user, self.request.session.session_key)
        messages.success(self.request, _("密码已修改"))
        return response


class SignIn(auth_views.LoginView):
    """The password step. A user with a TOTP device owes the code next (SignInStepsMiddleware sends them)."""

    template_name = "accounts/login.html"
    request: AnyUserRequest
    authentication_form = SignInForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        if confirmed_device(form.get_user()) is not None:
            self.request.touzi_audit_message = _("密码验证通过,待输入动态口令")
        return super().form_valid(form)


def _next_url(request: TouziRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


@login_required
def otp_verify(request: TouziRequest) -> HttpResponse:
    """The second sign-in step: the code of the user's confirmed TOTP device. Wrong codes are sign-in
    failures: audited and counted toward the lockout like wrong passwords."""
    from axes.handlers.proxy import AxesProxyHandler
    from django_otp import login as otp_login

    user = request.user
    device = confirmed_device(user)
    if device is None or user.is_verified():
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        credentials = {"username": user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            request.touzi_audit_message = _("账号或地址已锁定,结束会话")
            logout(request)
            request.axes_locked_out, request.axes_credentials = True, credentials  # AxesMiddleware answers
            return redirect("login")
        if form.is_valid() and device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            with transaction.atomic():
                record(Event.SIGN_IN, actor=user, obj=user, message=_("动态口令验证通过"))
            return redirect(_next_url(request))
        request.touzi_audit_message = _("动态口令错误")
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return redirect("login")  # replaced by the lockout page
        if form.is_valid():
            form.add_error("code", _("动态口令不正确,请查看验证器中当前的6位数字。"))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def otp_setup(request: TouziRequest) -> HttpResponse:
    """Enrol a TOTP device: a QR code and the secret as text, confirmed by a first code."""
    from django_otp import login as otp_login

    user = request.user
    existing = confirmed_device(user)
    if existing is not None:
        return redirect("profile")
    device = unconfirmed_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            confirm_totp(user, device, actor=user)
            otp_login(request, device)
            messages.success(request, _("动态口令已启用,今后登录时需要输入验证器中的6位数字。"))
            return redirect(_next_url(request) if request.GET.get("next") or request.POST.get("next")
                            else "profile")
        form.add_error("code", _("动态口令不正确,请确认手机时间准确后输入当前的6位数字。"))
    return render(request, "accounts/otp_setup.html", {
        "form": form, "qr": qr_svg(device, user), "secret": secret_text(device), "required": otp_required(user),
        "next": request.GET.get("next", ""),
    })


@login_required
@require_POST
def otp_disable(request: TouziRequest) -> HttpResponse:
    user = request.user
    device = confirmed_device(user)
    form = CodeForm(request.POST)
    if device is None:
        return redirect("profile")
    if not form.is_valid() or not device.verify_token(form.cleaned_data["code"]):
        messages.error(request, _("动态口令不正确,未停用。"))
        return redirect("profile")
    try:
        disable_totp(user, actor=user)
    except BusinessError as exc:
        messages.error(request, exc.message)
        return redirect("profile")
    request.session.pop("otp_device_id", None)
    messages.success(request, _("动态口令已停用。"))
    return redirect("profile")
