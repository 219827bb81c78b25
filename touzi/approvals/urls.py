from django.urls import path

from touzi.approvals import views

urlpatterns = [
    path("", views.approval_list, name="approvals-list"),
    path("queue/", views.queue, name="approvals-queue"),
    path("figures/", views.figures_page, name="approvals-figures"),
    path("compliance/", views.compliance_page, name="approvals-compliance"),
    path("project/<int:pk>/", views.project_approvals, name="approvals-project"),
    path("project/<int:pk>/setup/", views.project_setup, name="approvals-setup"),
    path("project/<int:pk>/profile/", views.project_profile, name="approvals-profile"),
    path("<int:pk>/", views.approval_detail, name="approvals-detail"),
    path("<int:pk>/act/", views.approval_act, name="approvals-act"),
    path("sessions/", views.session_list, name="approvals-sessions"),
    path("sessions/new/", views.session_new, name="approvals-session-new"),
    path("sessions/<int:pk>/", views.session_detail, name="approvals-session-detail"),
    path("sessions/<int:pk>/act/", views.session_act, name="approvals-session-act"),
    path("sessions/<int:pk>/minutes.docx", views.session_minutes, name="approvals-session-minutes"),
]
