from django.urls import path

from touzi.reports import views

urlpatterns = [
    path("", views.report_list_view, name="report-list"),
    path("new/", views.report_create, name="report-create"),
    path("months/", views.months, name="report-months"),
    path("months/lock/", views.month_lock, name="report-month-lock"),
    path("review/bulk/", views.report_bulk_accept, name="report-bulk-accept"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/review/", views.report_review, name="report-review"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("adjust/<int:project_pk>/", views.adjustment_create, name="adjustment-create"),
]
