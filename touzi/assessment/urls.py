from django.urls import path

from touzi.assessment import views

urlpatterns = [
    path("", views.scoreboard, name="assessment-scoreboard"),
    path("quality/", views.quality, name="assessment-quality"),
    path("<slug:scheme>/adjust/", views.adjust, name="assessment-adjust"),
    path("<slug:scheme>/report/<slug:kind>/", views.report_file, name="assessment-file"),
    path("<slug:scheme>/<slug:unit>/", views.unit_breakdown, name="assessment-unit"),
    path("<slug:scheme>/<slug:unit>/<slug:source>/", views.unit_records, name="assessment-records"),
]
