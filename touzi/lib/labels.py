"""Bilingual names on domain objects: Chinese is the source, English is shown when the user chose it."""

from __future__ import annotations

from django.utils.translation import get_language


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
