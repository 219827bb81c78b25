"""A value outside its documented bound is a refusal (400, in Chinese, naming the field); a malformed request is 422.

django-ninja answers every schema violation with 422 and pydantic's English messages. The platform's rule is that a
user's value that is refused gets 400 and a `detail` the user can read, as the web forms and the services say it;
only a request that is not in the API's shape at all (an unknown or missing field, a wrong type) stays 422.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from touzi.lib.apischema import NO_NUL
from touzi.lib.bounds import PERIOD_PATTERN, YEAR_MAX, YEAR_MIN

# pydantic's error types that mean "the right kind of value, outside its bound".
BOUND_ERRORS = frozenset({
    "string_pattern_mismatch", "string_too_long", "too_long", "less_than", "less_than_equal", "greater_than",
    "greater_than_equal", "decimal_max_places", "decimal_max_digits", "decimal_whole_digits", "finite_number",
    "literal_error",
})
_LOCATIONS = {"body", "query", "path", "header", "cookie"}


def is_refusal(errors: list[dict[str, Any]]) -> bool:
    """True when every error is a bound (so the answer is a 400 with a message, not a 422)."""
    return bool(errors) and all(e.get("type") in BOUND_ERRORS for e in errors)


def _field(error: dict[str, Any]) -> tuple[str | None, str]:
    """The top-level field (for `field`) and the dotted path to the value (for the message)."""
    names = [str(part) for part in error.get("loc", ()) if str(part) not in _LOCATIONS]
    return (names[0] if names else None), ".".join(names)


def _message(error: dict[str, Any]) -> str:
    kind, ctx = error.get("type"), error.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == PERIOD_PATTERN:
            return _("应为 YYYY-MM 格式的月份,年份在 %(min)s 到 %(max)s 之间") % {"min": YEAR_MIN, "max": YEAR_MAX}
        if ctx.get("pattern") == NO_NUL:
            return _("不能包含空字符(NUL)")
        return _("格式不正确")
    if kind == "string_too_long":
        return _("最多 %(max)s 个字符") % {"max": ctx.get("max_length")}
    if kind == "too_long":
        return _("最多 %(max)s 项") % {"max": ctx.get("max_length")}
    if kind in ("less_than", "less_than_equal", "greater_than", "greater_than_equal"):
        key = {"less_than": "lt", "less_than_equal": "le", "greater_than": "gt", "greater_than_equal": "ge"}[kind]
        text = {"lt": _("应小于 %(limit)s"), "le": _("应不大于 %(limit)s"), "gt": _("应大于 %(limit)s"),
                "ge": _("应不小于 %(limit)s")}[key]
        return text % {"limit": ctx.get(key)}
    if kind == "decimal_max_places":
        return _("最多 %(places)s 位小数") % {"places": ctx.get("decimal_places")}
    if kind in ("decimal_max_digits", "decimal_whole_digits"):
        return _("数字位数过多")
    if kind == "finite_number":
        return _("应为有限的数字")
    if kind == "literal_error":
        return _("应为以下之一:%(expected)s") % {"expected": ctx.get("expected")}
    return str(error.get("msg", ""))


def refusal(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """The 400 body for the first refused value: {"detail": "<field>:<why>", "field": "<field>"}."""
    first = errors[0]
    field, path = _field(first)
    message = _message(first)
    return {"detail": f"{path}:{message}" if path else message, "field": field}
