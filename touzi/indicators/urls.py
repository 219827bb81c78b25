from django.urls import path

from touzi.indicators import views

urlpatterns = [
    path("", views.indicator_list, name="indicator-list"),
    path("<int:pk>/", views.indicator_detail, name="indicator-detail"),
    path("values/<int:pk>/evidence/", views.evidence, name="indicator-evidence"),
]
