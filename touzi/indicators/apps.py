from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "touzi.indicators"
    verbose_name = "指标填报"
    default_auto_field = "django.db.models.BigAutoField"
