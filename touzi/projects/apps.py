from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "touzi.projects"
    verbose_name = "项目库"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.projects import scoping

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
