from django.urls import path

from consent.views import activities, own, purposes, school

app_name = "consent"

urlpatterns = [
    # Parents, pupils of 16+ and staff: their own choices (views/own.py).
    path("toestemming/", own.overview, name="overview"),
    path("toestemming/kind/<int:pk>/", own.child_consent, name="child_consent"),
    path("toestemming/mijn/", own.own_consent, name="own_consent"),
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
    path("leerlingen/<int:pk>/papier/", school.paper_entry, name="paper_entry"),
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
    path(
        "scholen/<slug:slug>/toestemming/activiteiten/",
        activities.activity_list,
        name="activity_list",
    ),
    path(
        "scholen/<slug:slug>/toestemming/activiteiten/nieuw/",
        activities.activity_create,
        name="activity_create",
    ),
    path("toestemming/activiteiten/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path(
        "toestemming/activiteiten/<int:pk>/antwoord/",
        activities.activity_answer,
        name="activity_answer",
    ),
    path("toestemming/doelen/", purposes.purpose_list, name="purpose_list"),
    path("toestemming/doelen/nieuw/", purposes.purpose_create, name="purpose_create"),
    path("toestemming/doelen/<int:pk>/", purposes.purpose_edit, name="purpose_edit"),
    path("bestuur/<slug:slug>/toestemming/instellingen/", purposes.policy_edit, name="policy_edit"),
]
