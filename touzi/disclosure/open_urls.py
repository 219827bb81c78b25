"""The public portal's addresses (/open/): stable, so that links, the feed and the OC4IDS package last."""

from django.urls import path

from touzi.disclosure import portal

urlpatterns = [
    path("", portal.index, name="open-index"),
    path("p/<int:pk>/", portal.project, name="open-project"),
    path("p/<int:pk>/oc4ids.json", portal.project_package, name="open-project-oc4ids"),
    path("consultations/<int:pk>/", portal.consultation, name="open-consultation"),
    path("oc4ids.json", portal.package, name="open-oc4ids"),
    path("feed.atom", portal.feed, name="open-feed"),
    path("sitemap.xml", portal.sitemap, name="open-sitemap"),
]
