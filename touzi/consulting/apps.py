from django.apps import AppConfig


class ConsultingConfig(AppConfig):
    name = "touzi.consulting"
    verbose_name = "工程咨询单位评价"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.consulting import scoping

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
