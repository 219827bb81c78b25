from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "touzi.assessment"
    verbose_name = "考核"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.assessment import briefing, scoping
        from touzi.assessment.schema import check_section
        from touzi.assessment.services import store_section
        from touzi.briefings.extensions import Addition
        from touzi.briefings.extensions import register as add_to_briefings
        from touzi.plans.sections import Section
        from touzi.plans.sections import register as add_plan_section

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
        # The plan file's `assessment:` section: plans reads the file and imports nothing of this app.
        add_plan_section("assessment", Section(check=check_section, store=store_section))
        # The monthly 通报's part 考核得分情况 (briefings imports nothing of this app).
        add_to_briefings(Addition(name="assessment", sections=briefing.sections, part=briefing.part))
