"""step_record: the decision of a step, with the council's votes per section."""

from datetime import timedelta

import pytest

from protocols.models import StepKind
from tests.factories import CouncilMemberFactory, ProtocolFactory, ProtocolVersionFactory
from tests.protocols.helpers import today
from tests.protocols.views.helpers import dmy, messages_of, open_council_step, step_of, url

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
    response = client.post(url("step_record", submitted.pk, consent.pk), data)
    assert messages_of(response) == [
        "Voor, tegen en onthoudingen moeten optellen tot het aantal aanwezige leden."
    ]
    assert response.context["vote_forms"][1]["votes_for"].value() == "1"


def test_step_record_a_date_in_the_wrong_format_is_explained_in_dutch(client, submitted, director):
    client.force_login(director)
    advice = step_of(submitted, StepKind.ADVICE)
    response = client.post(
        url("step_record", submitted.pk, advice.pk),
        {"decided_on": "31-31-2026", "outcome": "positive"},
    )
    assert response.context["form"].errors["decided_on"] == ["Voer een geldige datum in."]


def test_negative_advice_through_the_page_sends_the_version_back(client, submitted, director):
    client.force_login(director)
    advice = step_of(submitted, StepKind.ADVICE)
    response = client.post(
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
