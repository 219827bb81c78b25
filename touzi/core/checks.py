"""System checks of the platform's own settings (run by `touzi check`, and at every start)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

# Cache backends that live inside one process: a worker elsewhere could not report progress through them.
_PROCESS_LOCAL_CACHES = ("django.core.cache.backends.locmem.LocMemCache",
                         "django.core.cache.backends.dummy.DummyCache")


@checks.register()
def celery_needs_a_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.JOBS_BACKEND != "celery":
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in _PROCESS_LOCAL_CACHES:
        return [checks.Error(
            "TOUZI_JOBS=celery runs jobs in other processes, but the cache is local to each process",
            hint="Set TOUZI_CACHE_URL to a Redis server (see docs/configuration.md), so import progress is shared.",
            id="touzi.E001",
        )]
    return []


def unscoped_models(models: Any = None) -> list[Any]:
    """Concrete models of Touzi's apps with neither a scoping rule nor a declared exemption."""
    from django.apps import apps

    from touzi.core import scoping

    exempt = scoping.exemptions()
    candidates = apps.get_models() if models is None else models
    return [model for model in candidates
            if model.__module__.startswith("touzi.") and not model._meta.abstract
            and scoping.rule_for(model) is None and model not in exempt]


@checks.register()
def every_model_has_a_scoping_rule(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Fail closed at start-up too: `scope()` refuses a model without a rule, this names it before a page does."""
    return [checks.Error(
        f"{model._meta.label} has no scoping rule",
        hint=("Register one in its app's scoping.py (scoping.register(Model, rule)), or declare it never "
              "listed with scoping.exempt(Model, reason); see docs/adding-a-model.md."),
        obj=model, id="touzi.E020",
    ) for model in unscoped_models()]
