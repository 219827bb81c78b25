from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "touzi.units"
    verbose_name = "单位"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.units import scoping

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
