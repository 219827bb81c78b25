from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "touzi.briefings"
    verbose_name = "通报"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.briefings import scoping

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
