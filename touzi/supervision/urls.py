from django.urls import path

from touzi.supervision import views

urlpatterns = [
    path("", views.task_list, name="supervision-list"),
    path("todo/", views.todo, name="supervision-todo"),
    path("new/", views.task_new, name="supervision-new"),
    path("from-warning/", views.task_from_warning, name="supervision-from-warning"),
    path("<int:pk>/", views.task_detail, name="supervision-detail"),
    path("<int:pk>/act/", views.task_act, name="supervision-act"),
    path("<int:pk>/evidence/", views.task_evidence, name="supervision-evidence"),
]
