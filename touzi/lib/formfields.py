"""Typed access to a form's fields."""

from __future__ import annotations

from typing import TypeVar

from django import forms

_F = TypeVar("_F", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[_F]) -> _F:
    """The form's field `name` as the `kind` it was declared as. `Form.fields` holds plain Fields to the
    type checker; a form that sets a field's queryset or choices at run time reaches it through here."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field
