from django.urls import path

from touzi.pipeline import views

urlpatterns = [
    path("", views.concept_list, name="pipeline-list"),
    path("export/", views.concepts_export, name="pipeline-export"),
    path("concepts/new/", views.concept_new, name="pipeline-concept-new"),
    path("concepts/<int:pk>/", views.concept_detail, name="pipeline-concept"),
    path("concepts/<int:pk>/screen/", views.concept_screen, name="pipeline-concept-screen"),
    path("readiness/", views.readiness_page, name="pipeline-readiness"),
    path("projects/<int:pk>/milestones/", views.milestones_page, name="pipeline-milestones"),
    path("funds/", views.funds_page, name="pipeline-funds"),
    path("register/", views.register_page, name="pipeline-register"),
    path("register/<int:pk>/", views.register_record, name="pipeline-register-record"),
    path("figures/", views.figures_page, name="pipeline-figures"),
]
