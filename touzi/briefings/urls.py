from django.urls import path

from touzi.briefings import views

urlpatterns = [
    path("", views.briefing_list, name="briefing-list"),
    path("generate/", views.briefing_generate, name="briefing-generate"),
    path("<int:pk>/", views.briefing_detail, name="briefing-detail"),
    path("<int:pk>/publish/", views.briefing_publish, name="briefing-publish"),
    path("<int:pk>/<str:kind>/", views.briefing_file, name="briefing-file"),
]
