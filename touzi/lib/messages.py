"""Messages kept as a code and parameters, rendered in the reader's language only when shown.

A refusal stored already rendered (an import's file-level error, say) stays in the language of whoever
caused it: an English reader then sees Chinese. Instead the code that raises it names a `MessageKind`
(`define("xlsx.bomb", _("文件解压后过大…"))`), builds a `Message` with JSON parameters, and stores
`message.as_json()`. Whoever shows it calls `render(stored)` in the request's language. Text stored before
messages had codes is a plain string: `render` shows it as it is.

Codes are stable names, never module paths: stored rows outlive refactorings. The module that defines a
code must be imported before a stored message of that code is rendered (the app owning the stored rows
imports it); an unknown code renders as the code itself rather than failing a page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

__all__ = ["Message", "MessageKind", "define", "kinds", "render"]

# A parameter is what JSON holds; a nested message (its as_json()) is rendered with the outer one.
Param = str | int | float | bool | None | dict[str, Any]

_CATALOGUE: dict[str, MessageKind] = {}


@dataclass(frozen=True)
class MessageKind:
    """One kind of message: its stable code and its template (gettext_lazy, %(name)s placeholders)."""

    code: str
    template: str | Promise

    def __call__(self, **params: Param) -> Message:
        return Message(self.code, params)


@dataclass(frozen=True)
class Message:
    """A message to show later: which kind, with which parameters."""

    code: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def render(self) -> str:
        """The text in the active language."""
        kind = _CATALOGUE.get(self.code)
        if kind is None:
            return self.code
        text = str(kind.template)
        if not self.params:
            return text
        return text % {name: _param_text(value) for name, value in self.params.items()}

    def __str__(self) -> str:
        return self.render()

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Message:
        return cls(str(data["code"]), dict(data.get("params") or {}))


def _param_text(value: Param) -> object:
    if isinstance(value, dict) and "code" in value:
        return Message.from_json(value).render()
    return value


def define(code: str, template: str | Promise) -> MessageKind:
    """Register a kind of message. A code names one template: prefix codes with the defining module's area
    ("xlsx.", "briefing.") so that two modules never share one. Defining it again (a reloaded module) replaces it."""
    kind = MessageKind(code, template)
    _CATALOGUE[code] = kind
    return kind


def kinds() -> dict[str, MessageKind]:
    """Every kind defined so far, by code (for checks that the catalogue is translated)."""
    return dict(_CATALOGUE)


def render(stored: Message | Mapping[str, Any] | str | None) -> str:
    """Display text of a stored message: a Message or its JSON in the active language, plain text as it is."""
    if stored is None:
        return ""
    if isinstance(stored, Message):
        return stored.render()
    if isinstance(stored, Mapping):
        return Message.from_json(stored).render()
    return str(stored)
