from django.urls import path

from touzi.consulting import views

urlpatterns = [
    path("", views.evaluation_list, name="consulting-list"),
    path("publish/", views.publish, name="consulting-publish"),
    path("export/", views.export, name="consulting-export"),
    path("firms/new/", views.firm_new, name="consulting-firm-new"),
    path("firms/<int:pk>/", views.firm_detail, name="consulting-firm"),
    path("firms/<int:pk>/engagements/", views.engagement_new, name="consulting-engagement-new"),
    path("firms/<int:pk>/stages/", views.stage_new, name="consulting-stage-new"),
]
