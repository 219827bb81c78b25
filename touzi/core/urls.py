from django.urls import path

from touzi.monitoring.views import dashboard

# The dashboard is the first page after sign-in.
urlpatterns = [path("", dashboard, name="home")]
