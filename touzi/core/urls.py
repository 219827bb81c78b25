from django.urls import path

from touzi.core.views import job_progress

# The home page ("/", the monitoring dashboard) is routed in touzi/urls.py: core links no app above it.
urlpatterns = [
    path("jobs/<int:pk>/progress/", job_progress, name="job-progress"),
]
