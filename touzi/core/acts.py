"""A business act posted from a form: its refusal becomes the page's error message, its success a success message.

Every form view runs a service function the same way — call it; a `BusinessError` (the service refusing, in the
user's language) is shown, not raised; otherwise the view says what was done — so the shape lives here once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest

from touzi.lib.errors import BusinessError


def act(request: HttpRequest, call: Callable[[], object], done: str) -> bool:
    """Run ``call``; on a refusal add its message as an error and return False, else add ``done`` and return True.

    Only `BusinessError` is a refusal: a view that parses what the user typed turns its parse errors into one,
    so that a programming error still fails loudly instead of reaching the user as a message.
    """
    try:
        call()
    except BusinessError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, done)
    return True
