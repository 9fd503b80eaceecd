from django.urls import path

from incidents.views import figures, handling, public, report

app_name = "incidents"

urlpatterns = [
    # Reporting (views/report.py) and the public report page (views/public.py).
    path("scholen/<slug:slug>/melden/", report.incident_report, name="incident_report"),
    path("meld/<slug:slug>/", public.public_report, name="public_report"),
    # The case file (views/handling.py).
    path("incidenten/", handling.incident_list, name="incident_list"),
    path("incidenten/<int:pk>/", handling.incident_detail, name="incident_detail"),
    path("incidenten/<int:pk>/gelezen/", handling.incident_read_log, name="incident_read_log"),
    path(
        "incidenten/<int:pk>/chronologie/", handling.incident_entry_add, name="incident_entry_add"
    ),
    path("incidenten/<int:pk>/taken/", handling.incident_task_add, name="incident_task_add"),
    path(
        "incidenten/<int:pk>/betrokkenen/",
        handling.incident_person_add,
        name="incident_person_add",
    ),
    path(
        "incidenten/<int:pk>/taken/<int:task_pk>/klaar/",
        handling.task_complete,
        name="task_complete",
    ),
    path(
        "incidenten/<int:pk>/maatregelen/",
        handling.incident_measure_add,
        name="incident_measure_add",
    ),
    path(
        "incidenten/<int:pk>/maatregelen/<int:measure_pk>/telefoon-terug/",
        handling.measure_phone_return,
        name="measure_phone_return",
    ),
    path(
        "incidenten/<int:pk>/maatregelen/<int:measure_pk>/stap/",
        handling.measure_expulsion_step,
        name="measure_expulsion_step",
    ),
    path(
        "incidenten/<int:pk>/maatregelen/<int:measure_pk>/brief.pdf",
        handling.incident_suspension_letter,
        name="incident_suspension_letter",
    ),
    path("incidenten/<int:pk>/plichten/", handling.incident_duty_set, name="incident_duty_set"),
    path("incidenten/<int:pk>/afronden/", handling.incident_finish, name="incident_finish"),
    path("incidenten/<int:pk>/sluiten/", handling.incident_close, name="incident_close"),
    path("incidenten/<int:pk>/bewaren/", handling.incident_legal_hold, name="incident_legal_hold"),
    path("incidenten/<int:pk>/routeren/", handling.incident_route, name="incident_route"),
    path(
        "incidenten/<int:pk>/verwijderverzoeken/",
        handling.incident_takedown_add,
        name="incident_takedown_add",
    ),
    path(
        "incidenten/<int:pk>/verwijderverzoeken/<int:takedown_pk>/",
        handling.takedown_update,
        name="takedown_update",
    ),
    path(
        "incidenten/<int:pk>/bijlagen/",
        handling.incident_attachment_add,
        name="incident_attachment_add",
    ),
    path(
        "incidenten/<int:pk>/bijlagen/<int:attachment_pk>/",
        handling.incident_attachment,
        name="incident_attachment",
    ),
    path("leerlingen/<int:pk>/incidenten/", handling.pupil_incidents, name="pupil_incidents"),
    # Figures without names (views/figures.py).
    path("scholen/<slug:slug>/incidenten/cijfers/", figures.school_figures, name="school_figures"),
    path("bestuur/<slug:slug>/incidenten/cijfers/", figures.board_figures, name="board_figures"),
]
