from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "touzi.imports"
    verbose_name = "导入"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.imports import checks, scoping  # noqa: F401 - registers the deploy check

        scoping.register()  # import batches are exempt from scope (their uploader's own)
