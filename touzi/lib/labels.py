"""Bilingual names on domain objects: Chinese is the source, English is shown when the user chose it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, gettext_lazy


def english_wanted() -> bool:
    return (get_language() or "").lower().startswith("en")


class LabelMixin:
    """Adds `.label`: `name_en` for English users when present, else `name`."""

    name: str
    name_en: str

    @property
    def label(self) -> str:
        if english_wanted() and self.name_en:
            return self.name_en
        return self.name


# The units a plan file states its targets in (plans/*.yaml `unit:`), as a reader of the interface's language
# says them. The plan's own wording stays in the database; an unknown unit is shown as written.
_MEASURES = {"亿元": gettext_lazy("亿元"), "万元": gettext_lazy("万元"), "元": gettext_lazy("元"),
             "亿美元": gettext_lazy("亿美元"), "万亩": gettext_lazy("万亩"), "亩": gettext_lazy("亩"),
             "家": gettext_lazy("家"), "个": gettext_lazy("个"), "项": gettext_lazy("项")}


def measure(unit: Any) -> str:
    """A target's unit of measure in the reader's language: 亿元 → "100m yuan" in English."""
    text = "" if unit is None else str(unit)
    return str(_MEASURES.get(text, text))
