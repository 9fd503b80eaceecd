from django.urls import path

from consent.views import school

app_name = "consent"

urlpatterns = [
    # Parents, pupils of 16+ and staff: their own choices (views/own.py).
    # School staff: lists, the publication check, coverage, inzage, takedowns (views/school.py).
    path("groepen/<int:pk>/toestemming/", school.group_consent, name="group_consent"),
    path("groepen/<int:pk>/toestemming/pdf/", school.group_consent_pdf, name="group_consent_pdf"),
    path("scholen/<slug:slug>/publiceren/", school.publish_check, name="publish_check"),
    path("scholen/<slug:slug>/toestemming/", school.coverage, name="coverage"),
    path(
        "scholen/<slug:slug>/toestemming/<int:purpose_pk>/weigeringen/",
        school.refusal_list,
        name="refusal_list",
    ),
    path("scholen/<slug:slug>/verwijderen/", school.takedown_list, name="takedown_list"),
    path("verwijderen/<int:pk>/klaar/", school.takedown_done, name="takedown_done"),
    path("bestuur/<slug:slug>/toestemming/", school.board_coverage, name="board_coverage"),
    path("leerlingen/<int:pk>/inzage/", school.pupil_history, name="pupil_history"),
    path(
        "leerlingen/<int:pk>/inzage/pdf/",
        school.pupil_history,
        {"fmt": "pdf"},
        name="pupil_history_pdf",
    ),
    path(
        "leerlingen/<int:pk>/inzage/csv/",
        school.pupil_history,
        {"fmt": "csv"},
        name="pupil_history_csv",
    ),
    path("medewerkers/<int:pk>/inzage/", school.staff_history, name="staff_history"),
    path(
        "medewerkers/<int:pk>/inzage/pdf/",
        school.staff_history,
        {"fmt": "pdf"},
        name="staff_history_pdf",
    ),
    path(
        "medewerkers/<int:pk>/inzage/csv/",
        school.staff_history,
        {"fmt": "csv"},
        name="staff_history_csv",
    ),
    # Activity requests (views/activities.py) and purposes (views/purposes.py).
]
