from django.contrib.auth import views as auth_views
from django.urls import path

from touzi.accounts import admin_views, views

urlpatterns = [
    path("login/", views.SignIn.as_view(), name="login"),
    path("login/code/", views.otp_verify, name="otp-verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.profile, name="profile"),
    path("me/password/", views.PasswordChange.as_view(), name="password-change"),
    path("me/otp/", views.otp_setup, name="otp-setup"),
    path("me/otp/disable/", views.otp_disable, name="otp-disable"),
    path("me/tokens/", views.create_token, name="token-create"),
    path("me/tokens/<int:pk>/revoke/", views.revoke, name="token-revoke"),
    # 系统管理员: accounts
    path("users/", admin_views.user_list, name="account-list"),
    path("users/new/", admin_views.user_create, name="account-create"),
    path("users/<int:pk>/", admin_views.user_detail, name="account-detail"),
    path("users/<int:pk>/disable/", admin_views.user_disable, name="account-disable"),
    path("users/<int:pk>/enable/", admin_views.user_enable, name="account-enable"),
    path("users/<int:pk>/password/", admin_views.user_reset_password, name="account-reset-password"),
    # 安全管理员: roles and lockouts
    path("roles/", admin_views.role_list, name="role-list"),
    path("roles/<int:pk>/", admin_views.role_edit, name="role-edit"),
    path("roles/unlock/", admin_views.unlock_view, name="account-unlock"),
]
