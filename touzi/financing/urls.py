from django.urls import path

from touzi.financing import views

urlpatterns = [
    path("", views.overview, name="financing-home"),
    path("needs/", views.need_board, name="financing-needs"),
    path("needs/new/", views.need_new, name="financing-need-new"),
    path("needs/<int:pk>/", views.need_detail, name="financing-need"),
    path("needs/<int:pk>/step/", views.need_step, name="financing-need-step"),
    path("needs/<int:pk>/close/", views.need_close, name="financing-need-close"),
    path("projects/<int:pk>/", views.project_funds, name="financing-project"),
    path("projects/<int:pk>/arrivals/", views.arrival_new, name="financing-arrival-new"),
    path("projects/<int:pk>/secured/", views.secured_new, name="financing-secured"),
    path("arrivals/", views.arrival_queue, name="financing-arrivals"),
    path("arrivals/<int:pk>/review/", views.arrival_review, name="financing-arrival-review"),
    path("bonds/", views.bond_list, name="financing-bonds"),
    path("ppp/", views.ppp_list, name="financing-ppp"),
    path("fiscal/", views.fiscal, name="financing-fiscal"),
    path("events/", views.event_list, name="financing-events"),
    path("events/new/", views.event_new, name="financing-event-new"),
    path("commissioners/new/", views.commissioner_new, name="financing-commissioner-new"),
    path("projects/<int:pk>/ppp/", views.ppp_keep, name="financing-ppp-keep"),
]
