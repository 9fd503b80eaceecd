from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from schools import views

app_name = "schools"
urlpatterns = [
    path("", views.home, name="home"),
    path("scholen/", views.school_list, name="school_list"),
    path("scholen/<slug:slug>/", views.school_detail, name="school_detail"),
    path("groepen/<int:pk>/", views.group_detail, name="group_detail"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path("scholen/<slug:slug>/aanmeldingen/", views.signin_history, name="signin_history"),
    path("accounts/tweestaps/", views.two_factor_profile, name="two_factor_profile"),
    path("accounts/tweestaps/controle/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/tweestaps/uitzetten/", views.two_factor_disable, name="two_factor_disable"),
]

# Importing pupils from the pupil administration, and the invitations it sends.
urlpatterns += [
    path("scholen/<slug:slug>/leerlingen/importeren/", views.pupil_import, name="pupil_import"),
    path("scholen/<slug:slug>/uitnodigingen/", views.invitation_list, name="invitation_list"),
    path(
        "scholen/<slug:slug>/uitnodigingen/<int:pk>/opnieuw/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    # An invitation's link is Django's password reset link under our own words: its token
    # stops working once a password is set. Choosing one logs the person in.
    path(
        "accounts/activeren/klaar/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/activate_complete.html"
        ),
        name="activate_complete",
    ),
    path(
        "accounts/activeren/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/activate_confirm.html",
            success_url=reverse_lazy("schools:activate_complete"),
            post_reset_login=True,
            # django-axes' backend only counts failures; the account's own backend logs in.
            post_reset_login_backend="django.contrib.auth.backends.ModelBackend",
        ),
        name="activate",
    ),
]
