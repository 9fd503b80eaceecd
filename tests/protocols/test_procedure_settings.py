import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from protocols import workflow
from protocols.models import StepBody, StepKind

pytestmark = pytest.mark.django_db


def step_data(steps):
    data = {"form-TOTAL_FORMS": str(len(steps)), "form-INITIAL_FORMS": str(len(steps))}
    for i, (name, kind, body, order) in enumerate(steps):
        data.update(
            {
                f"form-{i}-name": name,
                f"form-{i}-kind": kind,
                f"form-{i}-body": body,
                f"form-{i}-ORDER": str(order),
            }
        )
    return data


CHAIN = [
    ("Kenniskring ICT", StepKind.ADVICE, StepBody.FORUM, 1),
    ("GMR", StepKind.CONSENT, StepBody.COUNCIL, 2),
    ("Vaststelling CvB", StepKind.ADOPTION, StepBody.BOARD, 3),
]


def test_procedure_settings_shows_the_default_chain(client, board_member, school):
    client.force_login(board_member)
    response = client.get(reverse("protocols:procedure_settings", args=[school.stichting.slug]))
    names = [f.initial.get("name") for f in response.context["formset"]]
    assert names == ["Directeuren", "GMR", "RvT", "Vaststelling CvB", None]


def test_board_saves_its_own_procedure(client, board_member, school):
    client.force_login(board_member)
    data = step_data(CHAIN)
    data["form-0-forum"] = "Kenniskring ICT"
    client.post(reverse("protocols:procedure_settings", args=[school.stichting.slug]), data)
    steps = school.stichting.procedure_steps.all()
    assert [(s.position, s.name, s.body) for s in steps] == [
        (1, "Kenniskring ICT", StepBody.FORUM),
        (2, "GMR", StepBody.COUNCIL),
        (3, "Vaststelling CvB", StepBody.BOARD),
    ]


def test_a_procedure_must_end_with_the_boards_adoption(client, board_member, school):
    client.force_login(board_member)
    data = step_data(
        [
            ("Vaststelling CvB", StepKind.ADOPTION, StepBody.BOARD, 1),
            ("GMR", StepKind.CONSENT, StepBody.COUNCIL, 2),
        ]
    )
    response = client.post(
        reverse("protocols:procedure_settings", args=[school.stichting.slug]), data
    )
    assert "De procedure eindigt met de vaststelling door het bestuur (CvB)." in (
        response.content.decode()
    )


def test_consent_comes_only_from_a_council(board_member, school):
    steps = [
        {"name": "RvT", "kind": StepKind.CONSENT, "body": StepBody.SUPERVISORY},
        {"name": "GMR", "kind": StepKind.ADVICE, "body": StepBody.COUNCIL},
        {"name": "CvB", "kind": StepKind.ADOPTION, "body": StepBody.BOARD},
    ]
    with pytest.raises(ValidationError, match="Alleen een medezeggenschapsraad"):
        workflow.save_template(school.stichting, steps=steps, by=board_member)


def test_a_procedure_without_the_council_is_refused(board_member, school):
    steps = [{"name": "CvB", "kind": StepKind.ADOPTION, "body": StepBody.BOARD}]
    with pytest.raises(ValidationError, match="medezeggenschapsraad"):
        workflow.save_template(school.stichting, steps=steps, by=board_member)


def test_procedure_settings_is_404_for_a_director(client, director, school):
    client.force_login(director)
    url = reverse("protocols:procedure_settings", args=[school.stichting.slug])
    assert client.get(url).status_code == 404


def test_procedure_settings_is_404_for_outsider(client, outsider, school):
    client.force_login(outsider)
    url = reverse("protocols:procedure_settings", args=[school.stichting.slug])
    assert client.get(url).status_code == 404
