"""What a forecast's interval and probability rest on, said on the page (see presenters.forecast_basis)."""

from __future__ import annotations

from django import template

from touzi.monitoring import presenters
from touzi.monitoring.forecast import Forecast
from touzi.monitoring.presenters import forecast_basis

register = template.Library()


@register.filter
def basis(forecast: Forecast | None, form: str = "long") -> str:
    """``{{ fc|basis }}`` — the sentence; ``{{ fc|basis:"short" }}`` — the few words for a table cell."""
    return "" if forecast is None else forecast_basis(forecast, short=form == "short")


@register.filter
def computation(figure: object) -> str:
    """``{{ figure|computation }}`` — how a target's figure is computed, in words."""
    return presenters.computation(figure)
