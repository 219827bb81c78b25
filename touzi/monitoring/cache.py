"""The dashboard's figures, cached per scope (the mechanism: touzi.core.scoped_cache), plan and month and never stale after a commit.

Building the dashboard reads the whole visible ledger (about a second at 2,000 projects, more at a
province's 20,000). Many users share a scope (every county user of a county, the plan office …) and the
figures only move when somebody changes something, so the built `Dashboard` is kept in Django's cache
(`TOUZI_CACHE_URL`: Redis in production, so every worker shares it; local memory by default) under a key
made of:

- the user's scope (role, units, domains, plans) — two users with the same scope see the same figures;
- the plan, the month, whether warnings are included, the language (labels and warning texts are
  translated when built) and today's date (missed report deadlines depend on it);
- the **data version** (touzi.audit.version): the id (and hash) of the newest audit record of a change (not a sign-in). Every business act writes its audit record in
  the same transaction as the change, and audit writers are serialised, so the largest committed id
  grows with every commit that could change a figure. A request reads the version *before* building, so
  a figure stored under a version never predates it; after a commit every key changes and the next
  request builds afresh. No invalidation code is needed anywhere else.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from touzi.audit.version import NOT_CHANGES, data_version
from touzi.core.actor import Actor
from touzi.core.scoped_cache import cached, scope_key
from touzi.monitoring.dashboard import Dashboard, build
from touzi.plans.models import Plan

PREFIX = "touzi:dashboard:v1"


def cache_key(user: Actor, plan: Plan, month: dt.date, *, with_alerts: bool, version: str) -> str:
    raw = "|".join([scope_key(user), str(plan.pk), plan.key, f"{month:%Y-%m}", str(with_alerts),
                    translation.get_language() or "", timezone.localdate().isoformat(), version])
    return f"{PREFIX}:{hashlib.sha256(raw.encode()).hexdigest()}"


_T = TypeVar("_T")


def _get(store: BaseCache, key: str, kind: type[_T]) -> _T | None:
    """The dashboard's entry under `key` if it is a `kind` (read as every scoped cache reads them); else None."""
    found = cached(store, key)
    return found if isinstance(found, kind) else None


def dashboard_for(user: Actor, plan: Plan, month: dt.date, *, with_alerts: bool = True) -> Dashboard:
    """`build(user, plan, month)`, served from the cache while no business act has been committed since."""
    if not settings.DASHBOARD_CACHE_SECONDS:
        return build(user, plan, month, with_alerts=with_alerts)
    store = caches["default"]
    version = data_version()
    key = cache_key(user, plan, month, with_alerts=with_alerts, version=version)
    board = _get(store, key, Dashboard)
    if board is None and not with_alerts:
        # A board built with its warnings has every figure one without them has.
        board = _get(store, cache_key(user, plan, month, with_alerts=True, version=version), Dashboard)
    if board is not None:
        return board
    board = build(user, plan, month, with_alerts=with_alerts)
    try:
        store.set(key, board, settings.DASHBOARD_CACHE_SECONDS)
    except Exception:  # the figures are served all the same
        pass
    return board


def dashboard_page(user: Actor, plan: Plan, month: dt.date, *, shown: int = 30) -> tuple[str, Dashboard, int, dict]:
    """What the dashboard page needs, small enough to read on every request: the board with its first
    `shown` warnings and without its figures, the number and levels of all warnings, and the key the page
    caches its rendered figures under (the same version, scope, month and language as the board).

    The figures (targets, headline, forecasts, breakdowns) are left out because the page shows them as the
    HTML rendered once per version (`rendered_figures`, from `dashboard_for`'s full board): unpickling them
    on every request cost a county's dashboard ~20 ms of its ~40 (150 kB of model instances)."""
    if not settings.DASHBOARD_CACHE_SECONDS:
        board = build(user, plan, month)
        return "", board, board.alert_total, board.alert_counts
    store = caches["default"]
    key = cache_key(user, plan, month, with_alerts=True, version=data_version()) + ":page"
    found = _get(store, key, tuple)
    if found is None:
        board = dashboard_for(user, plan, month)
        slim = copy.copy(board)
        slim.alerts = board.alerts[:shown]
        slim.figures, slim.headline, slim.forecasts, slim.breakdowns = [], None, {}, {}
        found = (slim, board.alert_total, board.alert_counts)
        try:
            store.set(key, found, settings.DASHBOARD_CACHE_SECONDS)
        except Exception:  # the figures are served all the same
            pass
    slim, total, counts = found
    return key, slim, total, counts


def rendered_figures(key: str, render: Callable[[], str]) -> SafeString:
    """The page's figures as rendered HTML, kept beside the board (same key, so never staler than it)."""
    if not key:
        return mark_safe(render())
    store = caches["default"]
    html = _get(store, key + ":html", str)
    if html is None:
        html = render()
        try:
            store.set(key + ":html", html, settings.DASHBOARD_CACHE_SECONDS)
        except Exception:  # the figures are served all the same
            pass
    return mark_safe(html)


__all__ = ["NOT_CHANGES", "cache_key", "dashboard_for", "dashboard_page", "data_version", "rendered_figures",
           "scope_key"]
