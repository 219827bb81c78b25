from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "touzi.approvals"
    verbose_name = "审批"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from touzi.approvals import scoping
        from touzi.approvals.rules import load_defaults_if_empty

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)

        post_migrate.connect(load_defaults_if_empty, sender=self)
