from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "touzi.audit"
    verbose_name = "审计"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.audit import signals  # noqa: F401  (sign-in events)
