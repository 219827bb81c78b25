from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "touzi.monitoring"
    verbose_name = "监测"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.core.templatetags.touzi import register as touzi_filters
        from touzi.monitoring import scoping
        from touzi.monitoring.warning_keys import warning_source

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
        touzi_filters.filter("warning_source", warning_source)  # templates load only the `touzi` library
