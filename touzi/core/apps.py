from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "touzi.core"
    verbose_name = "平台"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.core import checks, rules  # noqa: F401  (registers the checks)

        rules.register()  # core's own models (background jobs) under its scoping mechanism
