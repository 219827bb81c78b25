from django.urls import path

from touzi.disclosure import views

urlpatterns = [
    path("", views.register, name="disclosure-list"),
    path("limits/", views.limits, name="disclosure-limits"),
    path("p/<int:pk>/", views.project_page, name="disclosure-project"),
    path("p/<int:pk>/prepare/", views.prepare, name="disclosure-prepare"),
    path("p/<int:pk>/consult/", views.consult, name="disclosure-consult"),
    path("versions/<int:pk>/approve/", views.approve, name="disclosure-approve"),
    path("versions/<int:pk>/refuse/", views.refuse, name="disclosure-refuse"),
    path("opinions/<int:pk>/moderate/", views.moderate, name="disclosure-moderate"),
    path("consultations/<int:pk>/decide/", views.decide, name="disclosure-decide"),
]
