from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "touzi.reports"
    verbose_name = "月报"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import signals

        from touzi.core import reporting_months
        from touzi.reports import rules, scoping

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
        reporting_months.register(rules.combines_jan_feb_shown)  # core's filters and the audit trail ask it
        signals.request_started.connect(rules.request_started, dispatch_uid="jan-feb-shown-start")
        signals.request_finished.connect(rules.request_finished, dispatch_uid="jan-feb-shown-finish")

