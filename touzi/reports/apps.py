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
        _supply_the_projects_ledger()
        reporting_months.register(rules.combines_jan_feb_shown)  # core's filters and the audit trail ask it
        signals.request_started.connect(rules.request_started, dispatch_uid="jan-feb-shown-start")
        signals.request_finished.connect(rules.request_finished, dispatch_uid="jan-feb-shown-finish")



def _supply_the_projects_ledger() -> None:
    """The project pages show reported totals; projects sits below reports and asks through its hook."""
    from touzi.projects import ledger
    from touzi.reports.selectors import adjustments_of, default_month, month_from, visible_reports
    from touzi.reports.totals import with_totals

    ledger.register(ledger.Ledger(
        with_totals=with_totals, default_month=default_month, month_from=month_from,
        reports_of=lambda user, project: visible_reports(user).filter(project=project),
        adjustments_of=adjustments_of))
