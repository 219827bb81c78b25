from django.urls import path

from touzi.units import views

urlpatterns = [path("", views.unit_list, name="unit-list")]
