from django.urls import path

from touzi.audit import views

# Read only: listing, one record, exports. No URL changes or deletes a record.
urlpatterns = [
    path("", views.record_list, name="audit-list"),
    path("<int:pk>/", views.record_detail, name="audit-detail"),
    path("export.xlsx", views.export_xlsx, name="audit-export-xlsx"),
    path("export.csv", views.export_csv, name="audit-export-csv"),
]
