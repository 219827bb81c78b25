from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "touzi.units"
    verbose_name = "单位"
    default_auto_field = "django.db.models.BigAutoField"
