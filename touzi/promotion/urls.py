from django.urls import path

from touzi.promotion import views

urlpatterns = [
    path("", views.agreement_list, name="promotion-list"),
    path("new/", views.agreement_new, name="promotion-new"),
    path("rates/", views.rates_page, name="promotion-rates"),
    path("funds/", views.funds_queue, name="promotion-funds"),
    path("funds/<int:pk>/review/", views.funds_review, name="promotion-funds-review"),
    path("funds/<int:pk>/evidence/", views.funds_evidence, name="promotion-funds-evidence"),
    path("export/", views.register_export, name="promotion-export"),
    path("import/", views.import_page, name="promotion-import"),
    path("import/template/<slug:kind>/", views.import_template, name="promotion-import-template"),
    path("<int:pk>/edit/", views.agreement_edit, name="promotion-edit"),
    path("<int:pk>/", views.agreement_detail, name="promotion-detail"),
    path("<int:pk>/advance/", views.agreement_advance, name="promotion-advance"),
    path("<int:pk>/terminate/", views.agreement_terminate, name="promotion-terminate"),
    path("<int:pk>/funds/", views.funds_report, name="promotion-funds-report"),
]
