from django.urls import path

from protocols import views_record

urlpatterns = [
    path(
        "protocollen/<int:pk>/besluitenlijst/",
        views_record.decision_log,
        name="decision_log",
    ),
    path(
        "protocollen/<int:pk>/besluitenlijst.csv",
        views_record.decision_log_csv,
        name="decision_log_csv",
    ),
    path(
        "protocollen/<int:pk>/besluitenlijst.pdf",
        views_record.decision_log_pdf,
        name="decision_log_pdf",
    ),
    path(
        "protocollen/versies/<int:pk>/gelezen/",
        views_record.acknowledgement_confirm,
        name="acknowledgement_confirm",
    ),
    path(
        "protocollen/versies/<int:pk>/gelezen/overzicht/",
        views_record.acknowledgement_overview,
        name="acknowledgement_overview",
    ),
    path(
        "protocollen/versies/<int:pk>/gelezen/herinneren/<slug:slug>/",
        views_record.acknowledgement_remind,
        name="acknowledgement_remind",
    ),
]
