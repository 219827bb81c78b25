"""Security headers on every response: a strict Content-Security-Policy, Permissions-Policy and
Cross-Origin-Resource-Policy (Django's SecurityMiddleware adds HSTS, nosniff, Referrer-Policy and
Cross-Origin-Opener-Policy; XFrameOptionsMiddleware adds X-Frame-Options).

The templates carry no inline script, no inline style and no style attribute, and every asset is
served from this site (ECharts and Leaflet are vendored), so 'self' is all a page needs; charts render
to canvas and may use data: images. The one exception is configured, not coded: with a tile server
(`TOUZI_MAP_TILE_URL`) the two map pages may load images from its origin (`policy_with_images_from`). Keep it that way: a page that needs an exception is a page to fix.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
])


def policy_with_images_from(origin: str) -> str:
    """The policy with one more image origin: the map pages of an installation with a tile server
    (`TOUZI_MAP_TILE_URL`, docs/field.md) load its tiles as images, and nothing else from it."""
    return CONTENT_SECURITY_POLICY.replace("img-src 'self' data:", f"img-src 'self' data: {origin}")


# Browser features the platform never uses are switched off for it and anything it could embed.
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
    "microphone", "midi", "payment", "usb", "interest-cohort"))


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
