from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo: the Beihai plan with a generated portfolio and one account per role (`touzi demo`).

    It sits above every business app (it writes projects, reports, indicator values, accounts) and nothing
    but the demo itself imports it.
    """

    name = "touzi.demo"
    label = "demo"
    verbose_name = "演示环境"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.demo import checks  # noqa: F401  (registers the check of the demo accounts)
