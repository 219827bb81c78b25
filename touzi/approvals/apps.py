from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "touzi.approvals"
    verbose_name = "审批"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from touzi.approvals import scoping
        from touzi.approvals.imports import approval_template, check_approvals, write_approvals
        from touzi.approvals.rules import load_defaults_if_empty
        from touzi.approvals.warnings import approval_alerts
        from touzi.imports import kinds
        from touzi.imports.choices import ImportKind
        from touzi.monitoring.extensions import register_alert_source

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
        post_migrate.connect(load_defaults_if_empty, sender=self)
        # Hooks into the apps below, which import none of this one: the approvals' warnings join monitoring's,
        # and imports takes a file of approvals.
        register_alert_source(approval_alerts)
        kinds.register(ImportKind.APPROVALS, kinds.ImportKindHooks(
            check=check_approvals, write=write_approvals, template=approval_template,
            template_name="touzi-approvals-template.xlsx"))
