from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "touzi.monitoring"
    verbose_name = "监测"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.monitoring import scoping

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
