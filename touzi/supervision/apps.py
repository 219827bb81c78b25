from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "touzi.supervision"
    verbose_name = "督办"
    default_auto_field = "django.db.models.BigAutoField"
