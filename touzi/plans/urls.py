from django.urls import path

from touzi.plans import views

urlpatterns = [
    path("", views.targets, name="plan-targets"),
    path("tasks/", views.tasks, name="plan-tasks"),
    path("groups/", views.groups, name="plan-groups"),
    path("plans/", views.plans, name="plan-list"),
    path("plans/switch/", views.switch, name="plan-switch"),
    path("plans/load/", views.load, name="plan-load"),
]
