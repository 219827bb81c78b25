"""HTML (or any value) computed for a scope and kept in Django's cache under the scope and a data version.

Many users share a scope (every county user of a county, the plan office …): what depends only on the
scope, the page's parameters and the committed data is rendered once and shared. The caller passes the
data version (touzi.audit.version.data_version: it moves with every commit), so an entry is never stale
after a commit. Used by the project list (touzi.projects.views) and the dashboard (touzi.monitoring.cache).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from touzi.core.actor import Viewer
from touzi.core.scoping import scope_of


def scope_key(user: Viewer) -> str:
    """What a scoped page depends on about the user: the scope, not the account."""
    s = scope_of(user)
    if s.everything and s.business and s.plan_ids is None:
        # The office, the statistics bureau, the auditor: every project (of their region), every target.
        return f"everything:{s.region or ''}"
    parts = [s.role or "", s.everything, s.business, sorted(s.unit_ids), sorted(s.domain_ids),
             None if s.plan_ids is None else sorted(s.plan_ids), s.region]
    return repr(parts)


def cached(store: Any, key: str) -> Any:
    """The entry under `key`, None when absent or when the cache is down (it must not take the page with it)."""
    try:
        return store.get(key)
    except Exception:
        return None


def scoped_html(user: Viewer, name: str, parts: list[str], render: Callable[[], str], *, version: str) -> SafeString:
    """HTML that depends only on the user's scope, `parts` (the page's query, month, plan …) and the committed
    data (`version`), rendered once per data version and shared by every user of the scope (the project list:
    ~60–100 ms of queries and rows to build, a read to serve). Whatever differs per user (CSRF tokens, their
    name) must stay outside."""
    if not settings.DASHBOARD_CACHE_SECONDS:
        return mark_safe(render())
    raw = "|".join([scope_key(user), *parts, translation.get_language() or "", version])
    key = f"touzi:{name}:v1:{hashlib.sha256(raw.encode()).hexdigest()}"
    store = caches["default"]
    html = cached(store, key)
    if html is None:
        html = render()
        try:
            store.set(key, html, settings.DASHBOARD_CACHE_SECONDS)
        except Exception:  # the page is served all the same
            pass
    return mark_safe(html)
