from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "touzi.pipeline"
    verbose_name = "谋划储备与前期"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.imports import kinds
        from touzi.imports.choices import ImportKind
        from touzi.monitoring.extensions import register_alert_kinds, register_alert_source
        from touzi.pipeline import imports, readiness, scoping, warnings
        from touzi.projects import readiness as project_readiness

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
        # Hooks into the apps below, which import none of this one: the roll of annual plans asks which projects'
        # milestones keep them from starting; monitoring lists the late milestones and the projects not 入库;
        # imports takes a file of concepts.
        project_readiness.register(readiness.not_ready)
        register_alert_source(warnings.pipeline_alerts)
        register_alert_kinds(warnings.pipeline_kinds)
        kinds.register(ImportKind.CONCEPTS, kinds.ImportKindHooks(
            check=imports.check_concepts, write=imports.write_concepts, template=imports.concept_template,
            template_name="touzi-concepts-template.xlsx"))
