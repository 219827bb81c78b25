from django.urls import path

from touzi.core.views import favicon, job_progress

# The home page ("/", the monitoring dashboard) is routed in touzi/urls.py: core links no app above it.
urlpatterns = [
    path("jobs/<int:pk>/progress/", job_progress, name="job-progress"),
    # Browsers ask for /favicon.ico wherever a page names no icon (a feed, an XML file, a download): the SVG.
    path("favicon.ico", favicon, name="favicon"),
]
