from django.urls import path

from touzi.monitoring import views

urlpatterns = [
    path("targets/<str:key>/", views.target_detail, name="monitoring-target"),
    path("warnings/", views.warnings, name="monitoring-warnings"),
    path("settings/", views.monitoring_settings, name="monitoring-settings"),
    path("export/<str:table>.xlsx", views.export, name="monitoring-export"),
]
