from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "touzi.monitoring"
    verbose_name = "监测"
    default_auto_field = "django.db.models.BigAutoField"
