"""One incident: what each person sees of it."""

import pytest
from django.urls import reverse

from incidents import workflow
from tests.incidents.views.conftest import OUTSIDERS, nl

pytestmark = pytest.mark.django_db


def test_incident_detail_shows_the_handler_the_case_file(client, anti_bullying, incident, pupil):
    client.force_login(anti_bullying)
    response = client.get(incident.get_absolute_url())
    content = response.content.decode()
    assert (
        incident.description in content,
        pupil.full_name in content,
        nl("Legal duties") in content,
        reverse("incidents:incident_entry_add", args=[incident.pk]) in content,
    ) == (True, True, True, True)


def test_incident_detail_shows_the_reporter_their_report_without_the_case_file(
    client, teacher, incident
):
    workflow.add_entry(incident, by=incident.routed_to.first(), text="Vertrouwelijk gesprek.")
    client.force_login(teacher)
    content = client.get(incident.get_absolute_url()).content.decode()
    assert (incident.description in content, "Vertrouwelijk gesprek." in content) == (True, False)


def test_incident_detail_shows_the_phone_ladder_suggestion(client, anti_bullying, incident):
    client.force_login(anti_bullying)
    content = client.get(incident.get_absolute_url()).content.decode()
    assert nl("First time: the phone is kept until the end of the day.") in content


def test_incident_detail_flags_a_phone_not_returned(client, anti_bullying, incident, pupil):
    from datetime import timedelta

    from django.utils import timezone

    workflow.add_measure(
        incident,
        by=anti_bullying,
        kind="phone",
        pupil=pupil,
        starts_on=timezone.localdate() - timedelta(days=1),
    )
    client.force_login(anti_bullying)
    content = client.get(incident.get_absolute_url()).content.decode()
    assert nl("Phone not returned") in content


def test_incident_detail_shows_no_upload_for_image_abuse(client, anti_bullying, report):
    incident = report("deepfake")
    client.force_login(anti_bullying)
    content = client.get(incident.get_absolute_url()).content.decode()
    assert ('data-testid="no-attachments"' in content, 'type="file"' in content) == (True, False)


def test_incident_detail_shows_board_case_to_the_board(
    client, board_member, report, pupil, colleague
):
    case = report(
        "grensoverschrijdend",
        involved=[
            {"role": "victim", "kind": "pupil", "pupil": pupil},
            {"role": "suspect", "kind": "staff", "staff": colleague},
        ],
    )
    client.force_login(board_member)
    assert client.get(case.get_absolute_url()).status_code == 200


def test_incident_detail_is_404_for_the_director_in_a_board_case(
    client, director, report, pupil, colleague, board_member
):
    case = report(
        "grensoverschrijdend",
        involved=[
            {"role": "victim", "kind": "pupil", "pupil": pupil},
            {"role": "suspect", "kind": "staff", "staff": colleague},
        ],
    )
    client.force_login(director)
    assert client.get(case.get_absolute_url()).status_code == 404


def test_incident_detail_is_404_for_outsider(client, outsider, incident):
    client.force_login(outsider)
    assert client.get(incident.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", [*OUTSIDERS, "board_member"])
def test_incident_detail_is_404_for_the_other_outsiders(client, request, who, incident):
    client.force_login(request.getfixturevalue(who))
    assert client.get(incident.get_absolute_url()).status_code == 404


def test_incident_detail_of_a_404_is_not_logged(client, outsider, incident):
    client.force_login(outsider)
    client.get(incident.get_absolute_url())
    assert incident.reads.count() == 0
