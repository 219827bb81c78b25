"""What apps above reports add to the report form, registered from their AppConfig.ready(): reports imports none.

An upload handler takes files of its own input on the report form and on the correction form (the field app's
progress photos, `name="photos"`): `handler(report, files, actor)` runs in the same transaction as the figure,
after it is saved; a BusinessError it raises rolls the figure back and is shown on the form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class UploadHandler:
    field: str  # the form field's name ("photos")
    label: Any  # its label
    accept: str  # the input's accept attribute ("image/*")
    capture: str  # the input's capture attribute ("environment"), "" for none
    save: Callable[[Any, list[Any], Any], None]  # save(report, files, actor)
    detail_template: str = ""  # shown on the report's page below the evidence (context: report, request, user)


_HANDLERS: list[UploadHandler] = []


def register_upload(handler: UploadHandler) -> None:
    if all(h.field != handler.field for h in _HANDLERS):
        _HANDLERS.append(handler)


def upload_handlers() -> list[UploadHandler]:
    return list(_HANDLERS)
