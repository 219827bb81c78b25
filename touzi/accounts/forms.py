from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from touzi.accounts.choices import Role
from touzi.accounts.models import User
from touzi.lib.formfields import field_of
from touzi.plans.models import WorkGroup
from touzi.units.models import Unit


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。"),
        "inactive": _("该账号已停用。"),
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            # A refusal that is not a wrong password says why: locked, or a demo account outside the demo.
            if self.request is not None and getattr(self.request, "axes_locked_out", False):
                from touzi.accounts.lockout import lockout_message
                from touzi.audit.middleware import client_ip

                raise ValidationError(lockout_message(self.cleaned_data.get("username"), client_ip(self.request)),
                                      code="locked") from None
            reason = getattr(self.request, "touzi_audit_message", "")
            if reason:
                raise ValidationError(reason, code="refused") from None
            raise


class TokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=64)


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app."""

    code = forms.RegexField(label=_("动态口令"), regex=r"^\d{6}$", max_length=6,
                            error_messages={"invalid": _("请输入6位数字动态口令")},
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                          "pattern": "[0-9]{6}", "autofocus": True}))


def _units() -> Any:
    return Unit.objects.order_by("kind", "key")


def _groups() -> Any:
    return WorkGroup.objects.select_related("plan").order_by("plan__key", "key")


class AccountForm(forms.Form):
    """What the system administrator keeps of an account: name, unit and work group (never the role)."""

    display_name = forms.CharField(label=_("姓名"), max_length=64, required=False)
    unit = forms.ModelChoiceField(label=_("所在单位"), queryset=Unit.objects.none(), required=False)
    work_group = forms.ModelChoiceField(label=_("所在工作组"), queryset=WorkGroup.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "unit", forms.ModelChoiceField).queryset = _units()
        field_of(self, "work_group", forms.ModelChoiceField).queryset = _groups()


class NewAccountForm(AccountForm):
    username = forms.RegexField(label=_("用户名"), max_length=150, regex=r"^[\w.@+-]+\Z",
                                error_messages={"invalid": _("用户名只能包含字母、数字和 @ . + - _")})
    password1 = forms.CharField(label=_("初始密码"), strip=False, widget=forms.PasswordInput(attrs={
        "autocomplete": "new-password"}), help_text=password_validators_help_text_html)
    password2 = forms.CharField(label=_("再次输入初始密码"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    field_order = ["username", "display_name", "unit", "work_group", "password1", "password2"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("该用户名已存在"))
        return username

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what clean() returns; its stubs allow None
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致"))
        return data


class ResetPasswordForm(forms.Form):
    password1 = forms.CharField(label=_("新的初始密码"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("再次输入"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what clean() returns; its stubs allow None
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致"))
        return data


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
