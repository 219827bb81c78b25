from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "touzi.reports"
    verbose_name = "月报"
    default_auto_field = "django.db.models.BigAutoField"
