"""Console log-in, log-out and password reset (Django's views, our templates, throttled by axes)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accord.platform.console.forms import ConsoleLoginForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="platform/console/login.html",
            authentication_form=ConsoleLoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page=reverse_lazy("console:login")), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="platform/console/password_reset.html",
            email_template_name="platform/console/password_reset_email.txt",
            subject_template_name="platform/console/password_reset_subject.txt",
            success_url=reverse_lazy("console:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="platform/console/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="platform/console/password_reset_confirm.html",
            success_url=reverse_lazy("console:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="platform/console/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
