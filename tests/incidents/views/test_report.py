"""The report form for staff, parents and pupils with an account."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident
from tests.factories import (
    GuardianFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    SectionFactory,
)
from tests.incidents.views.conftest import nl

pytestmark = pytest.mark.django_db


def _url(school):
    return reverse("incidents:incident_report", args=[school.slug])


def _post(categories, *, people=(), **fields):
    data = {
        "occurred_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "online",
        "platform": "whatsapp",
        "platform_other": "",
        "categories": [c.pk for c in categories],
        "description": "In de klassengroep werd een gemene foto met tekst gedeeld.",
        "account_or_link": "",
        "seen_at": "",
        "rule_broken": "",
        "people-TOTAL_FORMS": "3",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "20",
    }
    for i, person in enumerate(people):
        for key, value in person.items():
            data[f"people-{i}-{key}"] = value
    data.update(fields)
    return data


def test_incident_report_shows_categories_with_their_definitions(
    client, teacher, school, categories
):
    client.force_login(teacher)
    response = client.get(_url(school))
    content = response.content.decode()
    assert (response.status_code, categories["stalken"].definition in content) == (200, True)


def test_incident_report_shows_the_image_guardrail_and_where_to_get_help(
    client, teacher, school, categories
):
    client.force_login(teacher)
    content = client.get(_url(school)).content.decode()
    guardrail = nl(
        "This portal never stores intimate images of minors. Do not upload, send or forward "
        "the images, not even to the school. Describe what you saw instead: on which "
        "platform, the account or link, and when you saw it."
    )
    assert (guardrail in content, "Helpwanted.nl" in content, "Take It Down" in content) == (
        True,
        True,
        True,
    )


def test_incident_report_has_no_file_field(client, teacher, school, categories):
    client.force_login(teacher)
    assert 'type="file"' not in client.get(_url(school)).content.decode()


def test_incident_report_offers_the_sections_of_the_adopted_protocol_only(
    client, teacher, school, categories
):
    adopted = ProtocolVersionFactory(
        protocol=ProtocolFactory(stichting=school.stichting), status="adopted"
    )
    SectionFactory(version=adopted, heading="Mobiele telefoons", body="Telefoons gaan in de tas.")
    draft = ProtocolVersionFactory(protocol=adopted.protocol, status="draft")
    SectionFactory(version=draft, heading="Conceptregel", body="Nog niet vastgesteld.")
    client.force_login(teacher)
    content = client.get(_url(school)).content.decode()
    assert (
        "Mobiele telefoons" in content,
        "Telefoons gaan in de tas." in content,
        "Conceptregel" in content,
    ) == (True, True, False)


def test_teacher_files_a_report_with_two_pupils_in_different_roles(
    client, teacher, school, categories, pupil, other_pupil, anti_bullying, director
):
    client.force_login(teacher)
    response = client.post(
        _url(school),
        _post(
            [categories["cyberpesten"]],
            people=[
                {"role": "victim", "kind": "pupil", "pupil": pupil.pk},
                {"role": "suspect", "kind": "pupil", "pupil": other_pupil.pk},
            ],
        ),
    )
    incident = Incident.objects.get()
    roles = sorted(incident.involvements.values_list("role", "pupil"))
    assert (response.status_code, response["Location"], roles) == (
        302,
        incident.get_absolute_url(),
        sorted([("victim", pupil.pk), ("suspect", other_pupil.pk)]),
    )


def test_report_of_an_outsider_account_is_a_description(client, teacher, school, categories):
    client.force_login(teacher)
    client.post(
        _url(school),
        _post(
            [categories["nepaccount"]],
            people=[{"role": "suspect", "kind": "account", "description": "@nep_juf_2026"}],
        ),
    )
    assert list(Incident.objects.get().involvements.values_list("kind", "description")) == [
        ("account", "@nep_juf_2026")
    ]


def test_report_refuses_a_pupil_row_without_a_pupil(client, teacher, school, categories):
    client.force_login(teacher)
    response = client.post(
        _url(school),
        _post([categories["kwetsen"]], people=[{"role": "victim", "kind": "pupil"}]),
    )
    assert (response.status_code, Incident.objects.count()) == (200, 0)
    assert nl("Choose the pupil.") in response.content.decode()


def test_report_offers_only_pupils_the_teacher_may_see(client, teacher, school, categories, pupil):
    from tests.factories import PupilFactory

    stranger = PupilFactory(school=school, first_name="Onbekend", last_name="Kind")
    client.force_login(teacher)
    content = client.get(_url(school)).content.decode()
    assert (pupil.last_name in content, stranger.last_name in content) == (True, False)


def test_report_refuses_an_image_pasted_into_the_description(client, teacher, school, categories):
    client.force_login(teacher)
    response = client.post(
        _url(school),
        _post(
            [categories["intieme-beelden"]],
            description="Kijk: data:image/png;base64,iVBORw0KGgo=",
        ),
    )
    assert (response.status_code, Incident.objects.count()) == (200, 0)
    assert nl("Do not paste images here. Describe what you saw instead.") in (
        response.content.decode()
    )


def test_report_refuses_a_time_in_the_future(client, teacher, school, categories):
    client.force_login(teacher)
    tomorrow = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(_url(school), _post([categories["kwetsen"]], occurred_at=tomorrow))
    assert Incident.objects.count() == 0
    assert nl("An incident cannot have happened in the future.") in response.content.decode()


def test_report_to_the_confidant_goes_to_the_confidant_only(
    client, teacher, school, categories, confidant, anti_bullying
):
    client.force_login(teacher)
    client.post(_url(school), _post([categories["kwetsen"]], to_confidant="on"))
    incident = Incident.objects.get()
    assert list(incident.routed_to.all()) == [confidant]


def test_report_of_staff_sexual_misconduct_goes_straight_to_the_board(
    client, teacher, school, categories, colleague, pupil, board_member, director
):
    client.force_login(teacher)
    client.post(
        _url(school),
        _post(
            [categories["grensoverschrijdend"]],
            people=[
                {"role": "victim", "kind": "pupil", "pupil": pupil.pk},
                {"role": "suspect", "kind": "staff", "staff": colleague.pk},
            ],
        ),
    )
    incident = Incident.objects.get()
    assert (incident.to_board, list(incident.routed_to.all())) == (True, [board_member])


def test_parent_reports_with_their_name_hidden(client, parent, school, categories, anti_bullying):
    client.force_login(parent)
    client.post(_url(school), _post([categories["kwetsen"]], hide_reporter_name="on"))
    incident = Incident.objects.get()
    assert (incident.reporter_kind, incident.hide_reporter_name) == ("parent", True)


def test_handler_does_not_see_a_hidden_reporter_name(
    client, parent, school, categories, anti_bullying
):
    client.force_login(parent)
    client.post(_url(school), _post([categories["kwetsen"]], hide_reporter_name="on"))
    incident = Incident.objects.get()
    client.force_login(anti_bullying)
    content = client.get(incident.get_absolute_url()).content.decode()
    assert (
        parent.get_full_name() in content,
        nl("name hidden at the reporter's request") in content,
    ) == (
        False,
        True,
    )


def test_staff_cannot_hide_their_name(client, teacher, school, categories):
    client.force_login(teacher)
    assert 'name="hide_reporter_name"' not in client.get(_url(school)).content.decode()


def test_incident_report_is_404_for_outsider(client, outsider, school, categories):
    client.force_login(outsider)
    assert client.get(_url(school)).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "council_member"])
def test_incident_report_is_404_for_who_cannot_report_here(client, request, who, school):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_url(school)).status_code == 404


def test_incident_report_is_404_for_a_parent_of_another_school(client, school):
    parent = GuardianFactory().user
    client.force_login(parent)
    assert client.get(_url(school)).status_code == 404


def test_incident_report_requires_login(client, school):
    response = client.get(_url(school))
    assert (response.status_code, response["Location"].startswith(reverse("login"))) == (302, True)


# --- fuzz: junk never makes a 500 -------------------------------------------------------------

JUNK = [
    {},
    {"occurred_at": "not a date", "place": "moon", "categories": ["x", "-1", "99999999999999"]},
    {"occurred_at": "2026-13-45T99:99", "platform": "myspace"},
    {"description": "x" * 200_000, "account_or_link": "y" * 5000},
    {"description": "nul\x00byte", "platform_other": "\x01\x02\x1b[31m"},
    {"rule_broken": "abc", "people-TOTAL_FORMS": "1000000", "people-INITIAL_FORMS": "x"},
    {"people-TOTAL_FORMS": "2", "people-0-pupil": "-5", "people-0-kind": "pupil"},
    {"seen_at": "0000-00-00T00:00", "hide_reporter_name": ["a", "b"], "to_confidant": "\u202e"},
]


@pytest.mark.parametrize("junk", JUNK)
def test_incident_report_never_fails_on_junk(client, teacher, school, categories, junk):
    client.force_login(teacher)
    data = _post([categories["kwetsen"]])
    data.update(junk)
    if not junk:
        data = {}
    response = client.post(_url(school), data)
    assert response.status_code in (200, 302)
