from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "touzi.indicators"
    verbose_name = "指标填报"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.indicators import scoping

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
