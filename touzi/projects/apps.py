from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "touzi.projects"
    verbose_name = "项目库"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.plans import commands
        from touzi.projects import plan_roll, scoping

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
        commands.register("roll", plan_roll.ROLL)  # `touzi plan roll`: rolling annual plans is projects' act
