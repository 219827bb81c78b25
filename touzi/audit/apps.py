from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "touzi.audit"
    verbose_name = "审计"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.audit import scoping, signals  # noqa: F401  (sign-in events)

        scoping.register()  # the scoping rule of the audit trail (touzi.core.scoping)
