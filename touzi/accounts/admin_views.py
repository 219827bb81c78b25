"""The pages of two of the 三员: account management for the system administrator (系统管理员) and roles and
unlocking for the security administrator (安全管理员). The audit administrator reads the audit (touzi.audit)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.accounts.choices import Role
from touzi.accounts.forms import AccountForm, NewAccountForm, ResetPasswordForm, RoleForm
from touzi.accounts.lockout import locked_accounts, locked_addresses
from touzi.accounts.models import User
from touzi.accounts.services import (
    create_user,
    disable_user,
    enable_user,
    reset_password,
    set_role,
    unlock,
    update_account,
)
from touzi.core.http import TouziRequest
from touzi.lib.errors import BusinessError

PAGE_SIZE = 50


def role_required(role: Role) -> Callable:
    """Anonymous → the sign-in page; any other role → 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(request: TouziRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.role != role:
                raise PermissionDenied(_("只有%(role)s可以使用此页面") % {"role": role.label})
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _errors(exc: ValidationError | BusinessError) -> list[str]:
    if isinstance(exc, BusinessError):
        return [exc.message]
    return [str(m) for m in exc.messages]


def _search(request: TouziRequest) -> tuple[Any, str]:
    q = request.GET.get("q", "").strip()
    users = User.objects.select_related("unit", "work_group").order_by("username")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(display_name__icontains=q) | Q(unit__name__icontains=q)
                             | Q(unit__short_name__icontains=q))
    return users, q


# --- the system administrator -------------------------------------------------------------------

@role_required(Role.SYSTEM_ADMIN)
def user_list(request: TouziRequest) -> HttpResponse:
    users, q = _search(request)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/users.html", {"page": page, "q": q})


@role_required(Role.SYSTEM_ADMIN)
def user_create(request: TouziRequest) -> HttpResponse:
    form = NewAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = create_user(data["username"], data["password1"], role=Role.UNASSIGNED, unit=data["unit"],
                               work_group=data["work_group"], display_name=data["display_name"],
                               actor=request.user)
        except (ValidationError, BusinessError) as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("账号 %(u)s 已创建。请安全管理员分配角色;用户首次登录须修改初始密码。")
                             % {"u": user.username})
            return redirect("account-detail", pk=user.pk)
    return render(request, "accounts/user_new.html", {"form": form})


@role_required(Role.SYSTEM_ADMIN)
def user_detail(request: TouziRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User.objects.select_related("unit", "work_group"), pk=pk)
    form = AccountForm(request.POST or None, initial={"display_name": account.display_name, "unit": account.unit,
                                                      "work_group": account.work_group})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update_account(account, display_name=data["display_name"], unit=data["unit"],
                           work_group=data["work_group"], actor=request.user)
        except (ValidationError, BusinessError) as exc:
            account.refresh_from_db()
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("账号信息已保存。"))
            return redirect("account-detail", pk=account.pk)
    return render(request, "accounts/user_detail.html", {
        "account": account, "form": form, "reset_form": ResetPasswordForm(),
        "sessions": account.sessions.count(), "tokens": account.api_tokens.filter(revoked_at__isnull=True).count(),
    })


@role_required(Role.SYSTEM_ADMIN)
@require_POST
def user_disable(request: TouziRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    try:
        ended = disable_user(account, actor=request.user)
    except BusinessError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("账号已停用,已结束其%(n)s个登录会话;其接口令牌同时失效。") % {"n": ended})
    return redirect("account-detail", pk=account.pk)


@role_required(Role.SYSTEM_ADMIN)
@require_POST
def user_enable(request: TouziRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    enable_user(account, actor=request.user)
    messages.success(request, _("账号已启用。"))
    return redirect("account-detail", pk=account.pk)


@role_required(Role.SYSTEM_ADMIN)
@require_POST
def user_reset_password(request: TouziRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    form = ResetPasswordForm(request.POST)
    if form.is_valid():
        try:
            reset_password(account, form.cleaned_data["password1"], actor=request.user)
        except (ValidationError, BusinessError) as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("已重置初始密码,用户下次登录时须修改。"))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("account-detail", pk=account.pk)


# --- the security administrator -----------------------------------------------------------------

@role_required(Role.SECURITY_ADMIN)
def role_list(request: TouziRequest) -> HttpResponse:
    users, q = _search(request)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    locked = locked_accounts()
    for account in page:
        account.locked_until = locked.get(account.username)
    return render(request, "accounts/roles.html", {
        "page": page, "q": q, "locked": sorted(locked.items()), "addresses": sorted(locked_addresses().items()),
    })


@role_required(Role.SECURITY_ADMIN)
def role_edit(request: TouziRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User.objects.select_related("unit", "work_group"), pk=pk)
    form = RoleForm(request.POST or None, initial={"role": account.role})
    if request.method == "POST" and form.is_valid():
        try:
            set_role(account, form.cleaned_data["role"], actor=request.user)
        except (ValidationError, BusinessError) as exc:
            account.refresh_from_db()
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("已将 %(u)s 的角色设为 %(r)s。") % {"u": account.username,
                                                                     "r": account.get_role_display()})
            return redirect("role-list")
    return render(request, "accounts/role_edit.html", {"account": account, "form": form,
                                                       "locked_until": locked_accounts().get(account.username)})


@role_required(Role.SECURITY_ADMIN)
@require_POST
def unlock_view(request: TouziRequest) -> HttpResponse:
    try:
        unlock(username=request.POST.get("username", "").strip(), ip=request.POST.get("ip", "").strip(),
               actor=request.user)
    except BusinessError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已解除锁定。"))
    return redirect("role-list")
