"""Routes of the approval procedure; appended to the `protocols` namespace in urls.py."""

from django.urls import path

from protocols import views_procedure as views

STEP = "protocollen/versies/<int:pk>/stappen/<int:step_pk>/"

urlpatterns = [
    path("protocollen/versies/<int:pk>/indienen/", views.version_submit, name="version_submit"),
    path(f"{STEP}besluit/", views.step_record, name="step_record"),
    path(f"{STEP}nvt/", views.step_not_applicable, name="step_not_applicable"),
    path(f"{STEP}termijn/", views.step_extend, name="step_extend"),
    path(f"{STEP}lcg/", views.step_lcg, name="step_lcg"),
    path(
        "protocollen/versies/<int:pk>/intrekken/", views.version_withdraw, name="version_withdraw"
    ),
    path("protocollen/versies/<int:pk>/vaststellen/", views.version_adopt, name="version_adopt"),
    path("protocollen/procedure/<slug:slug>/", views.procedure_settings, name="procedure_settings"),
    path("protocollen/versies/<int:pk>/documenten/", views.document_add, name="document_add"),
    path(
        "protocollen/versies/<int:pk>/documenten/<int:document_pk>/",
        views.document_download,
        name="document_download",
    ),
]
