"""Errors a service raises for the user to read: Chinese messages, never a server error."""

from __future__ import annotations


class BusinessError(Exception):
    """The act is refused; `message` says why in the user's language, `field` where (if one field)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Conflict(BusinessError):
    """Somebody saved the record since this user loaded it (optimistic locking)."""

    def __init__(self, message: str | None = None) -> None:
        from django.utils.translation import gettext

        super().__init__(message or gettext("该记录已被他人修改,请刷新后重试(您的修改未保存)。"))


class Forbidden(BusinessError):
    """The user may not do this to this record (or may not change this field)."""


class AlreadyExists(BusinessError):
    """The record exists already (不重复): correct it instead of adding a second one."""
