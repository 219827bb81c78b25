from django.urls import path

from touzi.factors import views

urlpatterns = [
    path("", views.ledger_page, name="factors-ledger"),
    path("export/", views.ledger_export, name="factors-export"),
    path("quotas/new/", views.quota_new, name="factors-quota-new"),
    path("quotas/<int:pk>/", views.quota_detail, name="factors-quota"),
    path("quotas/<int:pk>/request/", views.allocation_request, name="factors-request"),
    path("allocations/<int:pk>/decide/", views.allocation_decide, name="factors-decide"),
    path("parcels/", views.parcels_page, name="factors-parcels"),
    path("parcels/<int:pk>/dispose/", views.parcel_dispose, name="factors-dispose"),
    path("blocked/", views.blocked_page, name="factors-blocked"),
    path("keepers/", views.keepers_page, name="factors-keepers"),
    path("import/", views.import_page, name="factors-import"),
    path("import/template/<slug:kind>/", views.import_template, name="factors-import-template"),
]
