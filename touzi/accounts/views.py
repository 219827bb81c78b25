from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.accounts.forms import TokenForm
from touzi.accounts.services import issue_token, revoke_token
from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.core.scoping import scope_of


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(request, "accounts/profile.html", {
        "scope": scope_of(user), "tokens": user.api_tokens.all(), "form": TokenForm(),
        "new_secret": request.session.pop("touzi_new_token", None),
    })


@login_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        _token, raw = issue_token(request.user, form.cleaned_data["name"], acting_user=request.user)
        # Shown once on the next page, never stored in clear.
        request.session["touzi_new_token"] = raw
        messages.success(request, _("已生成接口令牌,请立即复制保存,离开本页后将不再显示。"))
    else:
        messages.error(request, _("请填写令牌用途。"))
    return redirect("profile")


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    revoke_token(token, acting_user=request.user)
    messages.success(request, _("令牌已吊销。"))
    return redirect("profile")


class PasswordChange(auth_views.PasswordChangeView):
    """Change one's own password under the password rules; audited."""

    template_name = "accounts/password.html"
    success_url = reverse_lazy("profile")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            response = super().form_valid(form)
            record(Event.UPDATE, actor=self.request.user, obj=self.request.user, after={"password": "changed"},
                   message=_("修改密码"))
        messages.success(self.request, _("密码已修改"))
        return response
