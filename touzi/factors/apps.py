from django.apps import AppConfig


class FactorsConfig(AppConfig):
    name = "touzi.factors"
    verbose_name = "要素保障"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.briefings.extensions import Addition
        from touzi.briefings.extensions import register as add_to_briefings
        from touzi.factors import briefing, scoping, warnings
        from touzi.factors.choices import FactorWarningKind
        from touzi.monitoring.extensions import WarningSource, register_warnings

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
        # Monitoring and briefings sit below this app and import none of it: it registers with them.
        register_warnings(WarningSource(prefix="factor_", choices=FactorWarningKind.choices,
                                        alerts=warnings.factor_alerts, find=warnings.find,
                                        template="factors/_alerts.html"))
        add_to_briefings(Addition(name="factors", sections=briefing.sections, part=briefing.part))
        # imports' 导入 page takes the three templates too (the same all-or-nothing services as /factors/import/)
        from touzi.factors.imports import hooks
        from touzi.imports import kinds
        from touzi.imports.choices import ImportKind

        kinds.register(ImportKind.FACTOR_QUOTAS, hooks("quotas"))
        kinds.register(ImportKind.FACTOR_REQUESTS, hooks("allocations"))
        kinds.register(ImportKind.IDLE_PARCELS, hooks("parcels"))
