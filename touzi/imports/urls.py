from django.urls import path

from touzi.imports import views, views_export

urlpatterns = [
    path("", views.import_home, name="import-home"),
    path("<int:pk>/", views.import_detail, name="import-detail"),
    path("<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("<int:pk>/progress/", views.import_progress, name="import-progress"),
    path("<int:pk>/errors.xlsx", views.import_errors, name="import-errors"),
    path("template/<str:kind>.xlsx", views.template_download, name="import-template"),
    path("export/projects.xlsx", views_export.projects_xlsx, name="export-projects"),
    path("export/reports.xlsx", views_export.reports_xlsx, name="export-reports"),
]
