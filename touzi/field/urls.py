from django.urls import path

from touzi.field import views

urlpatterns = [
    path("", views.field_home, name="field-home"),
    path("photos/", views.photo_list, name="field-photos"),
    path("photos/<int:pk>/<str:size>.jpg", views.photo_file, name="field-photo-file"),
    path("photos/<int:pk>/locate/", views.location_from_photo_view, name="field-locate-from-photo"),
    path("projects/<int:project_pk>/location/", views.location_edit, name="field-location"),
    path("map/", views.project_map, name="field-map"),
    path("map/data/", views.map_data, name="field-map-data"),
]
