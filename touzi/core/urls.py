from django.urls import path

from touzi.core import views

urlpatterns = [path("", views.home, name="home")]
