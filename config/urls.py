from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.i18n import set_language
from two_factor.views import BackupTokensView, QRGeneratorView, SetupCompleteView, SetupView

from schools.forms import EmailAuthenticationForm
from schools.views import healthz, readyz


def favicon(request):
    # Looked up per request: the static manifest may not exist when the URLconf is imported.
    return redirect(static("favicon.svg"), permanent=True)


two_factor_patterns = [
    path("instellen/", SetupView.as_view(), name="setup"),
    path("instellen/qr/", QRGeneratorView.as_view(), name="qr"),
    path("instellen/klaar/", SetupCompleteView.as_view(), name="setup_complete"),
    path("herstelcodes/", BackupTokensView.as_view(), name="backup_tokens"),
]

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page says: send them to the real one.
    path("favicon.ico", login_not_required(favicon)),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # Enrolling in two-factor login: django-two-factor-auth's own views, under our templates.
    path("accounts/tweestaps/", include((two_factor_patterns, "two_factor"))),
    # Visitors choose their language before logging in too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("beheer/", admin.site.urls),
    path("", include("protocols.urls")),
    path("", include("consent.urls")),
    path("", include("incidents.urls")),
    path("", include("schools.urls")),
]
