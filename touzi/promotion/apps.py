from django.apps import AppConfig


class PromotionConfig(AppConfig):
    name = "touzi.promotion"
    verbose_name = "招商引资"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.briefings.extensions import Addition
        from touzi.briefings.extensions import register as add_to_briefings
        from touzi.monitoring.extensions import WarningSource, register_measure, register_warnings
        from touzi.plans.choices import MeasureSource
        from touzi.promotion import briefing, scoping, warnings
        from touzi.promotion.choices import PromotionWarningKind
        from touzi.promotion.figures import target_value

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
        # Monitoring, supervision and briefings sit below this app and import none of it: it registers with them.
        register_measure(MeasureSource.PROMOTION, target_value)  # plan targets measured from the register
        register_warnings(WarningSource(prefix="promo_", choices=PromotionWarningKind.choices,
                                        alerts=warnings.agreement_alerts, find=warnings.find))
        add_to_briefings(Addition(name="promotion", sections=briefing.sections, part=briefing.part))
