"""TOTP enrolment helpers: the device being enrolled, its QR code as inline SVG (segno, no script, no style
attribute: the page works under a strict Content-Security-Policy) and its secret as text to type in."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

import segno
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from touzi.accounts.models import User


def unconfirmed_device(user: User) -> Any:
    """The device being enrolled: the same secret until it is confirmed, so a reload shows the same code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="totp", confirmed=False)
    return device


def secret_text(device: Any) -> str:
    """The base32 secret in groups of four, as authenticator apps ask for it."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def qr_svg(device: Any, user: User) -> SafeString:
    # segno writes plain SVG attributes (fill, stroke), never style=, and the URL is its only input.
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff",
                                                             title=settings.OTP_TOTP_ISSUER)
    return mark_safe(svg)
