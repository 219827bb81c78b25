from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "touzi.supervision"
    verbose_name = "督办"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.supervision import scoping

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
