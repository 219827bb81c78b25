from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "touzi.core"
    verbose_name = "平台"
    default_auto_field = "django.db.models.BigAutoField"
