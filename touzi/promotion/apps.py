from django.apps import AppConfig


class PromotionConfig(AppConfig):
    name = "touzi.promotion"
    verbose_name = "招商引资"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.promotion import scoping

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
