from django.urls import path

from touzi.core.views import job_progress
from touzi.monitoring.views import dashboard

# The dashboard is the first page after sign-in.
urlpatterns = [
    path("", dashboard, name="home"),
    path("jobs/<int:pk>/progress/", job_progress, name="job-progress"),
]
