from django.urls import include, path

from touzi.api import api

urlpatterns = [
    path("", include("touzi.core.urls")),
    path("accounts/", include("touzi.accounts.urls")),
    path("plan/", include("touzi.plans.urls")),
    path("units/", include("touzi.units.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]
