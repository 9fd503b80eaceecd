"""The actions on a case: one POST view each, calling one workflow function."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from incidents import workflow
from incidents.models import DutyCheck, Incident
from tests.incidents.views.conftest import OUTSIDERS, nl

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _post(client, name, incident, *args, data=None, **kwargs):
    url = reverse(f"incidents:{name}", args=[incident.pk, *args])
    return client.post(url, data or {}, follow=True, **kwargs)


@pytest.fixture
def phone(incident, anti_bullying, pupil):
    return workflow.add_measure(
        incident, by=anti_bullying, kind="phone", pupil=pupil, starts_on=timezone.localdate()
    )


@pytest.fixture
def suspension(incident, director, pupil):
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7)
    return workflow.add_measure(
        incident,
        by=director,
        kind="suspension",
        pupil=pupil,
        starts_on=monday,
        ends_on=monday + timedelta(days=1),
        letter_reasons="Herhaald online bedreigen van een klasgenoot.",
        letter_objection="Binnen zes weken schriftelijk bezwaar bij het bestuur.",
    )


@pytest.fixture
def takedown(incident, anti_bullying):
    return workflow.add_takedown(
        incident, by=anti_bullying, route="platform", requested_on=timezone.localdate()
    )


@pytest.fixture
def attachment(incident, anti_bullying, media_root):
    upload = SimpleUploadedFile("schermafbeelding.png", PNG)
    return workflow.add_attachment(incident, by=anti_bullying, upload=upload)


@pytest.fixture
def task(incident, anti_bullying):
    return workflow.add_task(incident, by=anti_bullying, title="Ouders bellen", owner=anti_bullying)


# --- chronology and tasks ---------------------------------------------------------------------


def test_incident_entry_add_records_a_conversation(client, anti_bullying, incident):
    client.force_login(anti_bullying)
    response = _post(
        client, "incident_entry_add", incident, data={"kind": "pupil", "text": "Gesprek met Sam."}
    )
    assert (list(incident.entries.values_list("kind", "text")), _messages(response)) == (
        [("pupil", "Gesprek met Sam.")],
        [nl("Added to the chronology.")],
    )


def test_incident_entry_add_is_refused_for_the_reporter(client, teacher, incident):
    client.force_login(teacher)
    response = _post(client, "incident_entry_add", incident, data={"kind": "note", "text": "x"})
    assert (incident.entries.count(), _messages(response)) == (
        0,
        [nl("You do not handle this incident.")],
    )


def test_incident_entry_add_is_404_for_outsider(client, outsider, incident):
    client.force_login(outsider)
    assert _post(client, "incident_entry_add", incident).status_code == 404


def test_incident_task_add_gives_a_handler_a_task(client, anti_bullying, director, incident):
    client.force_login(anti_bullying)
    _post(
        client,
        "incident_task_add",
        incident,
        data={"title": "Mentor inlichten", "owner": director.pk, "due_on": "2099-01-01"},
    )
    assert list(incident.tasks.values_list("title", "owner")) == [("Mentor inlichten", director.pk)]


def test_incident_task_add_is_404_for_outsider(client, outsider, incident):
    client.force_login(outsider)
    assert _post(client, "incident_task_add", incident).status_code == 404


def test_task_complete_marks_the_task_done(client, anti_bullying, incident, task):
    client.force_login(anti_bullying)
    _post(client, "task_complete", incident, task.pk)
    task.refresh_from_db()
    assert task.done_at is not None


def test_task_complete_is_404_for_outsider(client, outsider, incident, task):
    client.force_login(outsider)
    assert _post(client, "task_complete", incident, task.pk).status_code == 404


# --- measures ---------------------------------------------------------------------------------


def test_incident_measure_add_records_a_talk(client, anti_bullying, incident, pupil):
    client.force_login(anti_bullying)
    _post(
        client,
        "incident_measure_add",
        incident,
        data={"kind": "talk", "pupil": pupil.pk, "starts_on": timezone.localdate().isoformat()},
    )
    assert list(incident.measures.values_list("kind", "pupil")) == [("talk", pupil.pk)]


def test_incident_measure_add_refuses_a_suspension_longer_than_a_week(
    client, director, incident, pupil
):
    client.force_login(director)
    response = _post(
        client,
        "incident_measure_add",
        incident,
        data={
            "kind": "suspension",
            "pupil": pupil.pk,
            "starts_on": "2026-03-02",
            "ends_on": "2026-03-09",
            "letter_reasons": "Reden.",
            "letter_objection": "Bezwaar.",
        },
    )
    assert (incident.measures.count(), _messages(response)) == (
        0,
        [nl("A suspension lasts at most one week (five school days).")],
    )


def test_incident_measure_add_warns_that_a_longer_suspension_goes_to_the_inspectie(
    client, director, incident, pupil
):
    client.force_login(director)
    response = _post(
        client,
        "incident_measure_add",
        incident,
        data={
            "kind": "suspension",
            "pupil": pupil.pk,
            "starts_on": "2026-03-02",
            "ends_on": "2026-03-03",
            "letter_reasons": "Reden.",
            "letter_objection": "Bezwaar.",
        },
    )
    assert nl("A suspension of more than one day: tell the Inspectie in writing.") in _messages(
        response
    )
    assert incident.duties.get(duty="inspectie").required is True


def test_incident_measure_add_is_404_for_outsider(client, outsider, incident):
    client.force_login(outsider)
    assert _post(client, "incident_measure_add", incident).status_code == 404


def test_measure_phone_return_records_to_whom(client, anti_bullying, incident, phone):
    client.force_login(anti_bullying)
    _post(client, "measure_phone_return", incident, phone.pk, data={"returned_to": "de leerling"})
    phone.refresh_from_db()
    assert (phone.returned_to, phone.returned_at is not None) == ("de leerling", True)


def test_measure_phone_return_is_404_for_outsider(client, outsider, incident, phone):
    client.force_login(outsider)
    assert _post(client, "measure_phone_return", incident, phone.pk).status_code == 404


def test_measure_expulsion_step_refuses_the_decision_before_the_hearings(
    client, director, incident, pupil
):
    expulsion = workflow.add_measure(
        incident, by=director, kind="expulsion", pupil=pupil, starts_on=timezone.localdate()
    )
    client.force_login(director)
    prefix = f"step-{expulsion.pk}"
    response = _post(
        client,
        "measure_expulsion_step",
        incident,
        expulsion.pk,
        data={f"{prefix}-step": "decision_sent", f"{prefix}-on": "2026-03-02"},
    )
    assert nl("First hear the teachers and give the parents the chance to be heard.") in _messages(
        response
    )


def test_measure_expulsion_step_is_404_for_outsider(client, outsider, incident, phone):
    client.force_login(outsider)
    assert _post(client, "measure_expulsion_step", incident, phone.pk).status_code == 404


def test_incident_suspension_letter_is_a_pdf_with_the_reasons(
    client, director, incident, suspension
):
    client.force_login(director)
    url = reverse("incidents:incident_suspension_letter", args=[incident.pk, suspension.pk])
    response = client.get(url)
    assert (response.status_code, response["Content-Type"], response.content[:5]) == (
        200,
        "application/pdf",
        b"%PDF-",
    )


def test_incident_suspension_letter_is_404_for_the_reporter(client, teacher, incident, suspension):
    client.force_login(teacher)
    url = reverse("incidents:incident_suspension_letter", args=[incident.pk, suspension.pk])
    assert client.get(url).status_code == 404


def test_incident_suspension_letter_is_404_for_outsider(client, outsider, incident, suspension):
    client.force_login(outsider)
    url = reverse("incidents:incident_suspension_letter", args=[incident.pk, suspension.pk])
    assert client.get(url).status_code == 404


# --- the checklist and closing ----------------------------------------------------------------


def test_incident_duty_set_marks_a_duty_done(client, anti_bullying, incident):
    client.force_login(anti_bullying)
    today = timezone.localdate().isoformat()
    _post(
        client,
        "incident_duty_set",
        incident,
        data={
            "duty": "parents_informed",
            "duty-parents_informed-duty": "parents_informed",
            "duty-parents_informed-state": "done",
            "duty-parents_informed-done_on": today,
        },
    )
    assert incident.duties.get(duty="parents_informed").state == "done"


def test_incident_duty_set_is_404_for_outsider(client, outsider, incident):
    client.force_login(outsider)
    assert _post(client, "incident_duty_set", incident, data={"duty": "x"}).status_code == 404


def test_incident_finish_waits_for_the_checklist(client, anti_bullying, incident):
    client.force_login(anti_bullying)
    _post(client, "incident_finish", incident)
    incident.refresh_from_db()
    assert incident.status == Incident.Status.WAITING_FOR_CHECKLIST


def test_incident_finish_is_404_for_outsider(client, outsider, incident):
    client.force_login(outsider)
    assert _post(client, "incident_finish", incident).status_code == 404


def test_incident_close_is_refused_with_the_missing_duties(client, director, incident):
    client.force_login(director)
    response = _post(client, "incident_close", incident, data={"evaluation": ""})
    incident.refresh_from_db()
    missing = nl("Still open: %(duty)s.") % {"duty": nl("Parents informed")}
    assert (incident.status, _messages(response)) == (
        Incident.Status.NEW,
        [nl("The incident cannot be closed yet."), missing],
    )


def test_incident_close_closes_once_the_checklist_is_complete(client, director, incident):
    workflow.set_duty(
        incident,
        by=director,
        duty=DutyCheck.Duty.PARENTS_INFORMED,
        state="done",
        done_on=timezone.localdate(),
    )
    client.force_login(director)
    _post(client, "incident_close", incident, data={"evaluation": "Opgelost na gesprek."})
    incident.refresh_from_db()
    assert (incident.status, incident.evaluation) == (
        Incident.Status.CLOSED,
        "Opgelost na gesprek.",
    )


def test_incident_close_is_refused_for_the_anti_bullying_coordinator(
    client, anti_bullying, incident
):
    client.force_login(anti_bullying)
    response = _post(client, "incident_close", incident)
    assert _messages(response) == [nl("Only the directie closes an incident.")]


def test_incident_close_is_404_for_outsider(client, outsider, incident):
    client.force_login(outsider)
    assert _post(client, "incident_close", incident).status_code == 404


def test_incident_legal_hold_is_set_with_a_reason(client, director, incident):
    client.force_login(director)
    _post(client, "incident_legal_hold", incident, data={"hold": "on", "reason": "Aangifte."})
    incident.refresh_from_db()
    assert (incident.legal_hold, incident.legal_hold_reason) == (True, "Aangifte.")


def test_incident_legal_hold_is_404_for_outsider(client, outsider, incident):
    client.force_login(outsider)
    assert _post(client, "incident_legal_hold", incident).status_code == 404


def test_incident_route_adds_the_confidant(client, director, confidant, incident):
    client.force_login(director)
    _post(client, "incident_route", incident, data={"to": [confidant.pk]})
    assert incident.routed_to.filter(pk=confidant.pk).exists()


def test_incident_route_is_404_for_outsider(client, outsider, incident):
    client.force_login(outsider)
    assert _post(client, "incident_route", incident).status_code == 404


# --- takedowns and evidence -------------------------------------------------------------------


def test_incident_takedown_add_tracks_a_request(client, anti_bullying, incident):
    client.force_login(anti_bullying)
    _post(
        client,
        "incident_takedown_add",
        incident,
        data={"route": "take_it_down", "platform": "instagram", "requested_on": "2026-03-02"},
    )
    assert list(incident.takedowns.values_list("route", "status")) == [
        ("take_it_down", "requested")
    ]


def test_incident_takedown_add_is_404_for_outsider(client, outsider, incident):
    client.force_login(outsider)
    assert _post(client, "incident_takedown_add", incident).status_code == 404


def test_takedown_update_records_the_removal(client, anti_bullying, incident, takedown):
    client.force_login(anti_bullying)
    prefix = f"takedown-{takedown.pk}"
    _post(
        client,
        "takedown_update",
        incident,
        takedown.pk,
        data={f"{prefix}-status": "removed", f"{prefix}-resolved_on": "2026-03-03"},
    )
    takedown.refresh_from_db()
    assert (takedown.status, takedown.resolved_on) == ("removed", date(2026, 3, 3))


def test_takedown_update_is_404_for_outsider(client, outsider, incident, takedown):
    client.force_login(outsider)
    assert _post(client, "takedown_update", incident, takedown.pk).status_code == 404


def test_incident_attachment_add_stores_a_screenshot(client, anti_bullying, incident, media_root):
    client.force_login(anti_bullying)
    upload = SimpleUploadedFile("bewijs.png", PNG, content_type="image/png")
    _post(client, "incident_attachment_add", incident, data={"file": upload, "description": "x"})
    assert list(incident.attachments.values_list("content_type", "original_name")) == [
        ("image/png", "bewijs.png")
    ]


def test_incident_attachment_add_judges_the_content_not_the_name(
    client, anti_bullying, incident, media_root
):
    client.force_login(anti_bullying)
    upload = SimpleUploadedFile("foto.png", b"MZ\x90\x00\x03\x00\x00\x00", content_type="image/png")
    response = _post(client, "incident_attachment_add", incident, data={"file": upload})
    assert (incident.attachments.count(), _messages(response)) == (
        0,
        [nl("Only PNG, JPEG, PDF or plain text files can be added.")],
    )


def test_incident_attachment_add_is_refused_for_image_abuse(
    client, anti_bullying, report, media_root
):
    incident = report("intieme-beelden")
    client.force_login(anti_bullying)
    upload = SimpleUploadedFile("x.png", PNG)
    _post(client, "incident_attachment_add", incident, data={"file": upload})
    assert incident.attachments.count() == 0


def test_incident_attachment_add_is_404_for_outsider(client, outsider, incident):
    client.force_login(outsider)
    assert _post(client, "incident_attachment_add", incident).status_code == 404


def test_incident_attachment_is_served_to_a_handler(client, anti_bullying, incident, attachment):
    client.force_login(anti_bullying)
    url = reverse("incidents:incident_attachment", args=[incident.pk, attachment.pk])
    response = client.get(url)
    assert (response.status_code, b"".join(response.streaming_content)) == (200, PNG)


def test_incident_attachment_is_404_for_the_reporter(client, teacher, incident, attachment):
    client.force_login(teacher)
    url = reverse("incidents:incident_attachment", args=[incident.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_incident_attachment_is_404_for_outsider(client, outsider, incident, attachment):
    client.force_login(outsider)
    url = reverse("incidents:incident_attachment", args=[incident.pk, attachment.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", OUTSIDERS)
def test_incident_attachment_is_404_for_the_other_outsiders(
    client, request, who, incident, attachment
):
    client.force_login(request.getfixturevalue(who))
    url = reverse("incidents:incident_attachment", args=[incident.pk, attachment.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize(
    "name", ["incident_entry_add", "incident_measure_add", "incident_close", "incident_route"]
)
def test_actions_are_404_for_the_other_outsiders(client, request, who, name, incident):
    client.force_login(request.getfixturevalue(who))
    assert _post(client, name, incident).status_code == 404


def test_actions_refuse_get(client, anti_bullying, incident):
    client.force_login(anti_bullying)
    url = reverse("incidents:incident_close", args=[incident.pk])
    assert client.get(url).status_code == 405


def test_incident_person_add_names_someone_after_the_report(client, anti_bullying, incident):
    from tests.factories import PupilFactory

    pupil = PupilFactory(school=incident.school)  # a pupil the report did not name
    client.force_login(anti_bullying)
    response = _post(
        client,
        "incident_person_add",
        incident,
        data={"person-role": "witness", "person-kind": "pupil", "person-pupil": pupil.pk},
    )
    assert (
        list(incident.involvements.filter(pupil=pupil).values_list("role", flat=True)),
        _messages(response),
    ) == (["witness"], [nl("Added to the people involved.")])


def test_incident_person_add_refuses_a_pupil_of_another_school(client, anti_bullying, incident):
    from tests.factories import PupilFactory

    stranger = PupilFactory()
    client.force_login(anti_bullying)
    before = incident.involvements.count()
    _post(
        client,
        "incident_person_add",
        incident,
        data={"person-role": "witness", "person-kind": "pupil", "person-pupil": stranger.pk},
    )
    assert incident.involvements.count() == before


def test_incident_person_add_is_refused_for_the_reporter(client, teacher, incident, pupil):
    client.force_login(teacher)
    before = incident.involvements.count()
    response = _post(
        client,
        "incident_person_add",
        incident,
        data={"person-role": "witness", "person-kind": "pupil", "person-pupil": pupil.pk},
    )
    assert (incident.involvements.count(), _messages(response)) == (
        before,
        [nl("You do not handle this incident.")],
    )


def test_incident_person_add_is_404_for_outsider(client, outsider, incident):
    client.force_login(outsider)
    assert _post(client, "incident_person_add", incident).status_code == 404
