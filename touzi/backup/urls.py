from django.urls import path

from touzi.backup import views

urlpatterns = [
    path("", views.backup_list, name="backup-list"),
    path("start/", views.backup_start, name="backup-start"),
]
