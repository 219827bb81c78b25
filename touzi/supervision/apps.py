from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "touzi.supervision"
    verbose_name = "督办"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.monitoring.extensions import register_supervised
        from touzi.supervision import scoping
        from touzi.supervision.selectors import open_tasks_of_warnings

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
        register_supervised(open_tasks_of_warnings)  # a warning with an open task shows 已督办
