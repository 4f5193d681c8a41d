from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from clinic import account_views, views
from clinic.signin import SignInForm
from clinic.two_factor import protect_admin_site

protect_admin_site(admin.site)

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/two-factor/", account_views.two_factor_settings, name="two_factor"),
    path(
        "accounts/two-factor/verify/",
        account_views.two_factor_verify,
        name="two_factor_verify",
    ),
    path("patients/", include("patients.urls")),
    path("schedule/", include("scheduling.urls")),
    path("treatments/", include("treatments.urls")),
    path("admin/", admin.site.urls),
]
