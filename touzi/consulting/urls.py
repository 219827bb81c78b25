from django.urls import path

from touzi.consulting import views

urlpatterns = [
    path("", views.evaluation_list, name="consulting-list"),
    path("publish/", views.publish, name="consulting-publish"),
    path("export/", views.export, name="consulting-export"),
    path("firms/<int:pk>/", views.firm_detail, name="consulting-firm"),
]
