from django.urls import path

from touzi.projects import views

urlpatterns = [
    path("", views.project_list_view, name="project-list"),
    path("new/", views.project_create, name="project-create"),
    path("<int:pk>/", views.project_detail, name="project-detail"),
    path("<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("<int:pk>/stage/", views.project_stage, name="project-stage"),
    path("<int:pk>/annual-plan/", views.project_annual_plan, name="project-annual-plan"),
    path("<int:pk>/history/", views.project_history, name="project-history"),
    path("<int:pk>/factors/", views.factor_raise, name="factor-raise"),
    path("factors/<int:pk>/resolve/", views.factor_resolve, name="factor-resolve"),
]
