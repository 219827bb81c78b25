from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "touzi.briefings"
    verbose_name = "通报"
    default_auto_field = "django.db.models.BigAutoField"
