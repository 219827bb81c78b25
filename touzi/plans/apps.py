from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "touzi.plans"
    verbose_name = "行动方案"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.plans import scoping

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
