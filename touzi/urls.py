from django.urls import include, path

from touzi.api import api
from touzi.disclosure.portal import robots
from touzi.monitoring.views import dashboard

urlpatterns = [
    # The dashboard is the first page after sign-in.
    path("", dashboard, name="home"),
    # What crawlers ask for at the root: the public portal is indexable, nothing else (touzi.disclosure.portal).
    path("robots.txt", robots, name="robots"),
    path("", include("touzi.core.urls")),
    path("accounts/", include("touzi.accounts.urls")),
    path("plan/", include("touzi.plans.urls")),
    path("units/", include("touzi.units.urls")),
    path("projects/", include("touzi.projects.urls")),
    path("reports/", include("touzi.reports.urls")),
    path("imports/", include("touzi.imports.urls")),
    path("monitoring/", include("touzi.monitoring.urls")),
    path("indicators/", include("touzi.indicators.urls")),
    path("supervision/", include("touzi.supervision.urls")),
    path("approvals/", include("touzi.approvals.urls")),
    path("promotion/", include("touzi.promotion.urls")),
    path("consulting/", include("touzi.consulting.urls")),
    path("assessment/", include("touzi.assessment.urls")),
    path("pipeline/", include("touzi.pipeline.urls")),
    path("disclosure/", include("touzi.disclosure.urls")),
    # The public disclosure portal: no sign-in (touzi/disclosure/portal.py).
    path("open/", include("touzi.disclosure.open_urls")),
    path("field/", include("touzi.field.urls")),
    path("financing/", include("touzi.financing.urls")),
    path("factors/", include("touzi.factors.urls")),
    path("briefings/", include("touzi.briefings.urls")),
    path("audit/", include("touzi.audit.urls")),
    path("backup/", include("touzi.backup.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]
