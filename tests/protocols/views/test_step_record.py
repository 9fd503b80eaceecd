"""step_record: the decision of a step, with the council's votes per section."""

from datetime import timedelta

import pytest

from protocols.models import Question, StepKind
from tests.factories import CouncilMemberFactory, ProtocolFactory, ProtocolVersionFactory
from tests.protocols.helpers import today
from tests.protocols.views.helpers import (
    confirmed_post,
    dmy,
    messages_of,
    open_council_step,
    step_of,
    url,
)

pytestmark = pytest.mark.django_db


def test_step_record_offers_only_the_outcomes_of_the_step(client, submitted, director):
    client.force_login(director)
    advice = step_of(submitted, StepKind.ADVICE)
    response = client.get(url("step_record", submitted.pk, advice.pk))
    assert [c for c, _label in response.context["form"].fields["outcome"].choices] == [
        "",
        "positive",
        "negative",
        "conditional",
    ]


def test_step_record_has_one_vote_row_per_section_with_its_current_members(
    client, submitted, director, gmr_de_stichting, gmr_parent
):
    CouncilMemberFactory(
        council=gmr_de_stichting, geleding="staff", end_date=today() - timedelta(days=1)
    )
    consent = open_council_step(submitted, director)
    client.force_login(gmr_parent)
    response = client.get(url("step_record", submitted.pk, consent.pk))
    rows = [(f.label, f["members"].value()) for f in response.context["vote_forms"]]
    assert (rows, "outcome" in response.context["form"].fields) == (
        [("Ouders", 3), ("Personeel", 3)],
        False,
    )


def test_step_record_votes_that_do_not_add_up_keep_the_numbers(
    client, submitted, director, gmr_parent
):
    consent = open_council_step(submitted, director)
    client.force_login(gmr_parent)
    data = {"decided_on": dmy(today())}
    for geleding, votes_for in (("parents", 3), ("staff", 1)):
        data.update(
            {
                f"{geleding}-members": 3,
                f"{geleding}-present": 3,
                f"{geleding}-votes_for": votes_for,
                f"{geleding}-votes_against": 0,
                f"{geleding}-abstentions": 0,
            }
        )
    response = confirmed_post(client, url("step_record", submitted.pk, consent.pk), data)
    assert messages_of(response) == [
        "Personeel: voor, tegen en onthoudingen moeten optellen tot het aantal aanwezige leden."
    ]
    assert response.context["vote_forms"][1]["votes_for"].value() == "1"


def test_step_record_a_date_in_the_wrong_format_is_explained_in_dutch(client, submitted, director):
    client.force_login(director)
    advice = step_of(submitted, StepKind.ADVICE)
    response = confirmed_post(
        client,
        url("step_record", submitted.pk, advice.pk),
        {"decided_on": "31-31-2026", "outcome": "positive"},
    )
    assert response.context["form"].errors["decided_on"] == ["Voer een geldige datum in."]


def test_negative_advice_through_the_page_sends_the_version_back(client, submitted, director):
    client.force_login(director)
    advice = step_of(submitted, StepKind.ADVICE)
    response = confirmed_post(
        client,
        url("step_record", submitted.pk, advice.pk),
        {"decided_on": dmy(today()), "outcome": "negative"},
        follow=True,
    )
    assert messages_of(response) == [
        "Het besluit over Directeuren is vastgelegd: negatief.",
        "De versie is teruggestuurd; er is een nieuw concept van gemaakt.",
    ]


def test_step_record_is_404_for_a_user_who_does_not_record_the_step(client, submitted, director):
    consent = open_council_step(submitted, director)
    client.force_login(director)  # not on the GMR
    assert client.get(url("step_record", submitted.pk, consent.pk)).status_code == 404


def test_a_step_of_another_version_is_404(client, submitted, director, school):
    other = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    advice = step_of(submitted, StepKind.ADVICE)
    client.force_login(director)
    assert client.get(url("step_record", other.pk, advice.pk)).status_code == 404


def test_step_record_is_404_for_outsider(client, submitted, outsider):
    client.force_login(outsider)
    advice = step_of(submitted, StepKind.ADVICE)
    assert client.get(url("step_record", submitted.pk, advice.pk)).status_code == 404


def consent_post(decided_on, staff_for=2, staff_against=1):
    data = {"decided_on": decided_on}
    for geleding, votes_for, against in (("parents", 3, 0), ("staff", staff_for, staff_against)):
        data.update(
            {
                f"{geleding}-members": 3,
                f"{geleding}-present": 3,
                f"{geleding}-votes_for": votes_for,
                f"{geleding}-votes_against": against,
                f"{geleding}-abstentions": 0,
            }
        )
    return data


def test_step_record_first_post_shows_a_summary_and_saves_nothing(
    client, submitted, director, gmr_parent
):
    consent = open_council_step(submitted, director)
    client.force_login(gmr_parent)
    response = client.post(url("step_record", submitted.pk, consent.pk), consent_post(dmy(today())))
    consent.refresh_from_db()
    assert (consent.status, response.context["summary"][:3]) == (
        "open",
        [
            ("Stap", "GMR"),
            ("Besloten op", dmy(today())),
            ("Uitkomst", "instemming verleend, ouders 3-0, personeel 2-1"),
        ],
    )


def test_step_record_confirming_saves_the_decision_once(client, submitted, director, gmr_parent):
    consent = open_council_step(submitted, director)
    client.force_login(gmr_parent)
    path = url("step_record", submitted.pk, consent.pk)
    payload = client.post(path, consent_post(dmy(today()))).context["payload"]
    client.post(path, {"payload": payload, "confirm": "1"})
    again = client.post(path, {"payload": payload, "confirm": "1"}, follow=True)
    consent.refresh_from_db()
    assert (consent.status, consent.votes.count(), messages_of(again)[-1]) == (
        "decided",
        2,
        "Deze stap staat niet open voor een besluit.",
    )


def test_step_record_a_tampered_copy_saves_nothing(client, submitted, director, gmr_parent):
    consent = open_council_step(submitted, director)
    client.force_login(gmr_parent)
    path = url("step_record", submitted.pk, consent.pk)
    client.post(path, {"payload": "forged:copy", "confirm": "1"})
    consent.refresh_from_db()
    assert consent.status == "open"


def test_step_record_warns_of_unanswered_questions(client, submitted, director, gmr_parent):
    consent = open_council_step(submitted, director)
    Question.objects.create(version=submitted, text="Waarom?", asked_by=gmr_parent)
    client.force_login(gmr_parent)
    response = client.post(url("step_record", submitted.pk, consent.pk), consent_post(dmy(today())))
    assert response.context["warnings"] == ["1 vraag over dit voorstel is nog niet beantwoord."]


def test_step_record_accepts_the_date_pickers_format(client, submitted, director, gmr_parent):
    consent = open_council_step(submitted, director)
    client.force_login(gmr_parent)
    response = client.post(
        url("step_record", submitted.pk, consent.pk), consent_post(today().isoformat())
    )
    assert response.context["summary"][1] == ("Besloten op", dmy(today()))


def test_step_record_offers_the_browsers_date_picker(client, submitted, director):
    client.force_login(director)
    advice = step_of(submitted, StepKind.ADVICE)
    response = client.get(url("step_record", submitted.pk, advice.pk))
    assert (
        f'<input type="date" name="decided_on" value="{today().isoformat()}"'
        in response.content.decode()
    )


def test_step_record_accepts_a_date_typed_as_dd_mm_jjjj(client, submitted, director, gmr_parent):
    consent = open_council_step(submitted, director)
    client.force_login(gmr_parent)
    response = client.post(url("step_record", submitted.pk, consent.pk), consent_post(dmy(today())))
    assert response.context["summary"][1] == ("Besloten op", dmy(today()))


def test_step_record_change_returns_to_the_form_with_what_was_typed(
    client, submitted, director, gmr_parent
):
    consent = open_council_step(submitted, director)
    client.force_login(gmr_parent)
    path = url("step_record", submitted.pk, consent.pk)
    payload = client.post(path, consent_post(dmy(today()), 1, 2)).context["payload"]
    response = client.post(path, {"payload": payload, "edit": "1"})
    consent.refresh_from_db()
    assert (consent.status, response.context["vote_forms"][1]["votes_against"].value()) == (
        "open",
        "2",
    )


def test_step_record_a_missing_number_names_the_section(client, submitted, director, gmr_parent):
    consent = open_council_step(submitted, director)
    client.force_login(gmr_parent)
    data = consent_post(dmy(today()))
    del data["staff-present"]
    response = client.post(url("step_record", submitted.pk, consent.pk), data)
    assert messages_of(response) == ["Personeel: controleer de aantallen van de stemming."]
