from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "touzi.plans"
    verbose_name = "行动方案"
    default_auto_field = "django.db.models.BigAutoField"
