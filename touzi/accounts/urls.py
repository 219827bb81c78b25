from django.contrib.auth import views as auth_views
from django.urls import path

from touzi.accounts import views
from touzi.accounts.forms import SignInForm

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html",
                                                authentication_form=SignInForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.profile, name="profile"),
    path("me/password/", views.PasswordChange.as_view(), name="password-change"),
    path("me/tokens/", views.create_token, name="token-create"),
    path("me/tokens/<int:pk>/revoke/", views.revoke, name="token-revoke"),
]
