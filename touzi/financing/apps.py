from django.apps import AppConfig


class FinancingConfig(AppConfig):
    name = "touzi.financing"
    verbose_name = "投融资"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.financing import scoping, warnings
        from touzi.financing.choices import FinancingWarningKind
        from touzi.financing.figures import target_value
        from touzi.monitoring.extensions import WarningSource, register_measure, register_warnings
        from touzi.plans.choices import MeasureSource

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
        # Monitoring and briefings sit below this app and import none of it: it registers with them.
        register_measure(MeasureSource.FINANCING, target_value)  # plan targets measured from the records
        register_warnings(WarningSource(prefix="fin_", choices=FinancingWarningKind.choices,
                                        alerts=warnings.financing_alerts, find=warnings.find))
        from touzi.financing import imports
        from touzi.imports import kinds
        from touzi.imports.choices import ImportKind

        kinds.register(ImportKind.FINANCING_ARRIVALS, kinds.ImportKindHooks(
            check=imports.check_arrivals, write=imports.write_arrivals, template=imports.arrivals_template,
            template_name="touzi-arrivals-template.xlsx"))
        kinds.register(ImportKind.FINANCING_BONDS, kinds.ImportKindHooks(
            check=imports.check_bonds, write=imports.write_bonds, template=imports.bonds_template,
            template_name="touzi-bonds-template.xlsx"))
        from touzi.briefings.extensions import Addition
        from touzi.briefings.extensions import register as add_to_briefings
        from touzi.financing import briefing

        add_to_briefings(Addition(name="financing", sections=briefing.sections, part=briefing.part))
