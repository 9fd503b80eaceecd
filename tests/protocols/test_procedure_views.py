"""The approval procedure through its pages: the panel on the version page and its forms."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from protocols import workflow
from protocols.models import (
    ProcedureStep,
    ProcedureStepDefinition,
    ProtocolVersion,
    StepBody,
    StepKind,
)
from schools.models import Council
from tests.factories import (
    CouncilFactory,
    CouncilMemberFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db
Status = ProtocolVersion.Status
StepStatus = ProcedureStep.Status
Outcome = ProcedureStep.Outcome


# --- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture
def gmr(school):
    council = CouncilFactory(
        kind=Council.Kind.GMR, school=None, stichting=school.stichting, name="GMR De Stichting"
    )
    for geleding in ["parents"] * 3 + ["staff"] * 3:
        CouncilMemberFactory(council=council, geleding=geleding)
    return council


@pytest.fixture
def gmr_member(gmr):
    """A parent on the GMR: reads the proposal and records the council's vote."""
    return gmr.members.filter(geleding="parents").first().user


@pytest.fixture
def draft(school):
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    SectionFactory(version=version)
    return version


@pytest.fixture
def submitted(draft, director, gmr):
    workflow.submit(draft, by=director, change_summary="Nieuw.", legal_basis="consent")
    return draft


def today():
    return timezone.localdate()


def dmy(day) -> str:
    """A date as the portal shows it and a user types it: dd-mm-jjjj."""
    return day.strftime("%d-%m-%Y")


def url(name, *args):
    return reverse(f"protocols:{name}", args=args)


def step_of(version, kind) -> ProcedureStep:
    return version.steps.get(kind=kind)


def all_yes():
    return [
        {
            "geleding": geleding,
            "members": 3,
            "present": 3,
            "votes_for": 3,
            "votes_against": 0,
            "abstentions": 0,
        }
        for geleding in ("parents", "staff")
    ]


def to_consent(version, director):
    advice = step_of(version, StepKind.ADVICE)
    workflow.record_decision(advice, by=director, decided_on=today(), outcome=Outcome.POSITIVE)
    return step_of(version, StepKind.CONSENT)


def to_adoption(version, director, gmr_member, advice=Outcome.POSITIVE):
    workflow.record_decision(
        step_of(version, StepKind.ADVICE), by=director, decided_on=today(), outcome=advice
    )
    consent = step_of(version, StepKind.CONSENT)
    workflow.record_decision(consent, by=gmr_member, decided_on=today(), votes=all_yes())
    rvt = step_of(version, StepKind.APPROVAL)
    workflow.mark_not_applicable(rvt, by=director, reason="Niet in de statuten.")
    return step_of(version, StepKind.ADOPTION)


def withhold(version, director, gmr_member, on):
    consent = to_consent(version, director)
    votes = all_yes()
    votes[1].update(votes_for=0, votes_against=3)
    workflow.record_decision(consent, by=gmr_member, decided_on=on, votes=votes)
    return step_of(version, StepKind.CONSENT)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def step_rows(response) -> list[list[str]]:
    """The procedure table as the user reads it: one list of cell texts per step."""
    html = response.content.decode()
    table = re.search(r'<table class="[^"]*procedure-steps.*?</table>', html, re.S).group(0)
    body = table.split("<tbody>")[1]
    return [
        [text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def panel_dates(response) -> dict[str, str]:
    """The adoption dates in the panel, as label → date."""
    html = response.content.decode().split('id="procedure-heading"')[1]
    return dict(
        (text(dt), text(dd))
        for dt, dd in re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S)
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the whole chain --------------------------------------------------------------------------


def test_the_seed_003_chain_runs_through_the_pages(
    client, draft, director, gmr, gmr_member, board_member
):
    client.force_login(director)
    client.post(
        url("version_submit", draft.pk),
        {
            "change_summary": "Nieuw protocol.",
            "legal_basis": "consent",
            "legal_article": workflow.DEFAULT_ARTICLE,
        },
    )
    advice = step_of(draft, StepKind.ADVICE)
    client.post(
        url("step_record", draft.pk, advice.pk),
        {"decided_on": dmy(today()), "outcome": "positive", "remarks": "Akkoord."},
    )
    client.force_login(gmr_member)
    consent = step_of(draft, StepKind.CONSENT)
    votes = {}
    for geleding in ("parents", "staff"):
        votes.update(
            {
                f"{geleding}-members": 3,
                f"{geleding}-present": 3,
                f"{geleding}-votes_for": 2,
                f"{geleding}-votes_against": 1,
                f"{geleding}-abstentions": 0,
            }
        )
    client.post(url("step_record", draft.pk, consent.pk), {"decided_on": dmy(today()), **votes})
    client.force_login(director)
    rvt = step_of(draft, StepKind.APPROVAL)
    client.post(url("step_not_applicable", draft.pk, rvt.pk), {"nvt-reason": "Niet in statuten."})
    client.force_login(board_member)
    response = client.post(
        url("version_adopt", draft.pk),
        {"adopt-decided_on": dmy(today()), "adopt-effective_date": dmy(today())},
        follow=True,
    )
    evaluation = workflow.add_months(today(), 24)
    assert messages_of(response) == [
        "De versie is ingediend; de eerste stap, Directeuren, staat open.",
        "Het besluit over Directeuren is vastgelegd: positief.",
        "Het besluit over GMR is vastgelegd: verleend.",
        "RvT is als n.v.t. gemarkeerd.",
        "De versie is vastgesteld.",
    ]
    assert re.search(r"<strong>(\w+)</strong>", response.content.decode()).group(1) == "Vastgesteld"
    assert panel_dates(response) == {
        "Vastgesteld op": dmy(today()),
        "In werking vanaf": dmy(today()),
        "Evaluatie": dmy(evaluation),
    }
    assert [row[0] for row in step_rows(response)] == [
        "Directeuren",
        "GMR",
        "RvT",
        "Vaststelling CvB",
    ]
    assert [row[5] for row in step_rows(response)] == [
        "positief Akkoord.",
        "verleend Ouders: 3 van 3 aanwezig; voor 2, tegen 1, onthouding 0 – instemming verleend "
        "Personeel: 3 van 3 aanwezig; voor 2, tegen 1, onthouding 0 – instemming verleend",
        "n.v.t. Reden: Niet in statuten.",
        "vastgesteld",
    ]


# --- submitting -------------------------------------------------------------------------------


def test_version_page_offers_the_director_to_submit_a_draft(client, draft, director):
    client.force_login(director)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert re.findall(r'href="([^"]*indienen/)"', html) == [url("version_submit", draft.pk)]


def test_version_submit_form_proposes_the_default_legal_article(client, draft, director):
    client.force_login(director)
    response = client.get(url("version_submit", draft.pk))
    assert response.context["form"]["legal_article"].value() == workflow.DEFAULT_ARTICLE


def test_version_submit_opens_the_first_step(client, draft, director, gmr):
    client.force_login(director)
    response = client.post(
        url("version_submit", draft.pk),
        {"change_summary": "Nieuw.", "legal_basis": "advice", "legal_article": "WMS art. 11"},
        follow=True,
    )
    due = today() + timedelta(days=14)
    assert messages_of(response) == [
        "De versie is ingediend; de eerste stap, Directeuren, staat open."
    ]
    assert step_rows(response)[0] == [
        "Directeuren",
        "directeurenoverleg (intern overleg, niet wettelijk)",
        "advies",
        dmy(today()),
        dmy(due),
        "open",
        "–",
    ]


def test_version_submit_errors_are_shown_in_dutch_and_keep_the_text(client, draft, director, gmr):
    client.force_login(director)
    response = client.post(
        url("version_submit", draft.pk),
        {"change_summary": "Mijn uitleg.", "legal_article": "WMS art. 10"},
    )
    form = response.context["form"]
    assert (form.errors["legal_basis"], form["change_summary"].value()) == (
        ["Dit veld is verplicht."],
        "Mijn uitleg.",
    )


def test_version_submit_refused_by_the_workflow_keeps_the_form(client, draft, director):
    client.force_login(director)  # the stichting has no GMR yet
    response = client.post(
        url("version_submit", draft.pk),
        {"change_summary": "Mijn uitleg.", "legal_basis": "consent", "legal_article": "art. 10"},
    )
    assert (messages_of(response), response.context["form"]["change_summary"].value()) == (
        ["Er is geen medezeggenschapsraad om voor te leggen; voeg die eerst toe."],
        "Mijn uitleg.",
    )


def test_a_teacher_cannot_submit(client, draft, teacher, gmr):
    client.force_login(teacher)
    data = {"change_summary": "x", "legal_basis": "consent", "legal_article": "art. 10"}
    response = client.post(url("version_submit", draft.pk), data)
    draft.refresh_from_db()
    assert (response.status_code, draft.status) == (404, Status.DRAFT)


def test_a_parent_on_the_council_cannot_submit(client, draft, gmr_member):
    client.force_login(gmr_member)
    assert client.get(url("version_submit", draft.pk)).status_code == 404


def test_a_submitted_version_is_not_submitted_again(client, submitted, director):
    client.force_login(director)
    response = client.get(url("version_submit", submitted.pk), follow=True)
    assert messages_of(response) == ["Alleen een concept kan worden ingediend."]


# --- recording a step ---------------------------------------------------------------------------


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
    client, submitted, director, gmr, gmr_member
):
    CouncilMemberFactory(council=gmr, geleding="staff", end_date=today() - timedelta(days=1))
    consent = to_consent(submitted, director)
    client.force_login(gmr_member)
    response = client.get(url("step_record", submitted.pk, consent.pk))
    rows = [(f.label, f["members"].value()) for f in response.context["vote_forms"]]
    assert (rows, "outcome" in response.context["form"].fields) == (
        [("Ouders", 3), ("Personeel", 3)],
        False,
    )


def test_step_record_votes_that_do_not_add_up_keep_the_numbers(
    client, submitted, director, gmr_member
):
    consent = to_consent(submitted, director)
    client.force_login(gmr_member)
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
    consent = to_consent(submitted, director)
    client.force_login(director)  # not on the GMR
    assert client.get(url("step_record", submitted.pk, consent.pk)).status_code == 404


def test_a_step_of_another_version_is_404(client, submitted, director, school):
    other = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    advice = step_of(submitted, StepKind.ADVICE)
    client.force_login(director)
    assert client.get(url("step_record", other.pk, advice.pk)).status_code == 404


# --- terms, n.v.t., withdrawal ----------------------------------------------------------------


def test_an_expired_term_is_shown_in_words(client, submitted, director):
    submitted.steps.filter(kind=StepKind.ADVICE).update(due_on=today() - timedelta(days=1))
    client.force_login(director)
    response = client.get(submitted.get_absolute_url())
    assert step_rows(response)[0][4] == f"{dmy(today() - timedelta(days=1))} termijn verstreken"


def test_step_extend_sets_the_new_due_date(client, submitted, director):
    advice = step_of(submitted, StepKind.ADVICE)
    new = today() + timedelta(days=30)
    client.force_login(director)
    response = client.post(
        url("step_extend", submitted.pk, advice.pk), {"term-due_on": dmy(new)}, follow=True
    )
    assert (messages_of(response), step_rows(response)[0][4]) == (
        ["De termijn van Directeuren is gewijzigd."],
        dmy(new),
    )


def test_step_extend_into_the_past_is_refused(client, submitted, director):
    advice = step_of(submitted, StepKind.ADVICE)
    client.force_login(director)
    response = client.post(
        url("step_extend", submitted.pk, advice.pk), {"term-due_on": dmy(today())}
    )
    assert messages_of(response) == ["Een nieuwe termijn moet in de toekomst eindigen."]


def test_step_not_applicable_needs_a_reason(client, submitted, director, gmr_member):
    to_consent(submitted, director)
    workflow.record_decision(
        step_of(submitted, StepKind.CONSENT), by=gmr_member, decided_on=today(), votes=all_yes()
    )
    rvt = step_of(submitted, StepKind.APPROVAL)
    client.force_login(director)
    response = client.post(url("step_not_applicable", submitted.pk, rvt.pk), {"nvt-reason": ""})
    assert response.context["form"].errors["reason"] == ["Dit veld is verplicht."]


def test_version_withdraw_ends_the_procedure(client, submitted, director):
    client.force_login(director)
    response = client.post(
        url("version_withdraw", submitted.pk), {"withdraw-reason": "Te vroeg."}, follow=True
    )
    submitted.refresh_from_db()
    assert (submitted.status, messages_of(response)) == (
        Status.WITHDRAWN,
        ["Het voorstel is ingetrokken."],
    )


# --- WMS art. 32 -------------------------------------------------------------------------------


def test_withheld_consent_shows_the_three_month_clock(client, submitted, director, gmr_member):
    withhold(submitted, director, gmr_member, today())
    client.force_login(director)
    html = client.get(submitted.get_absolute_url()).content.decode()
    clock = text(html.split('aria-labelledby="consent-clock-heading">')[1].split("</div>")[0])
    assert clock == (
        "Instemming onthouden (WMS art. 32) Het bestuur laat de raad weten of het intrekt "
        f"of naar de LCG WMS gaat uiterlijk op {dmy(workflow.add_months(today(), 3))}"
    )


def test_a_lapsed_clock_says_vervallen(client, submitted, director, gmr_member, board_member):
    withhold(submitted, director, gmr_member, workflow.add_months(today(), -4))
    client.force_login(board_member)
    response = client.get(submitted.get_absolute_url())
    html = response.content.decode()
    assert ("<strong>Vervallen</strong>" in html, response.context["procedure_may"]["lcg"]) == (
        True,
        False,
    )


def test_step_lcg_ruling_replacing_consent_opens_the_next_step(
    client, submitted, director, gmr_member, board_member
):
    consent = withhold(submitted, director, gmr_member, today())
    client.force_login(board_member)
    client.post(
        url("step_lcg", submitted.pk, consent.pk),
        {
            "lcg-notified_on": dmy(today()),
            "lcg-submitted_on": dmy(today()),
            "lcg-ruling": "replaces_consent",
        },
    )
    assert step_of(submitted, StepKind.APPROVAL).status == StepStatus.OPEN


def test_step_lcg_by_a_director_is_refused(client, submitted, director, gmr_member):
    consent = withhold(submitted, director, gmr_member, today())
    client.force_login(director)
    response = client.post(
        url("step_lcg", submitted.pk, consent.pk), {"lcg-notified_on": dmy(today())}
    )
    assert messages_of(response) == ["Alleen het bestuur besluit om naar de LCG WMS te gaan."]


# --- adoption -----------------------------------------------------------------------------------


def test_a_teacher_cannot_adopt(client, submitted, director, gmr_member, teacher):
    to_adoption(submitted, director, gmr_member)
    client.force_login(teacher)
    response = client.post(
        url("version_adopt", submitted.pk),
        {"adopt-decided_on": dmy(today()), "adopt-effective_date": dmy(today())},
    )
    submitted.refresh_from_db()
    assert (messages_of(response), submitted.status) == (
        ["Alleen het bestuur (CvB) stelt een protocol vast."],
        Status.IN_PROCEDURE,
    )


def test_a_parent_on_the_council_cannot_adopt(client, submitted, director, gmr_member):
    to_adoption(submitted, director, gmr_member)
    client.force_login(gmr_member)
    response = client.post(
        url("version_adopt", submitted.pk),
        {"adopt-decided_on": dmy(today()), "adopt-effective_date": dmy(today())},
    )
    submitted.refresh_from_db()
    assert (messages_of(response), submitted.status) == (
        ["Alleen het bestuur (CvB) stelt een protocol vast."],
        Status.IN_PROCEDURE,
    )


def test_a_parent_on_the_council_sees_no_adopt_form(client, submitted, director, gmr_member):
    to_adoption(submitted, director, gmr_member)
    client.force_login(gmr_member)
    response = client.get(submitted.get_absolute_url())
    assert (response.context["procedure_may"], response.context["procedure_forms"]["adopt"]) == (
        {
            "submit": False,
            "record": False,
            "not_applicable": False,
            "extend": False,
            "withdraw": False,
            "adopt": False,
            "lcg": False,
        },
        None,
    )


def test_version_adopt_after_conditional_advice_requires_reasons(
    client, submitted, director, gmr_member, board_member
):
    to_adoption(submitted, director, gmr_member, advice=Outcome.CONDITIONAL)
    client.force_login(board_member)
    response = client.post(
        url("version_adopt", submitted.pk),
        {"adopt-decided_on": dmy(today()), "adopt-effective_date": dmy(today())},
    )
    assert response.context["form"].errors["reason"] == ["Dit veld is verplicht."]


# --- outsiders ----------------------------------------------------------------------------------


def test_version_submit_is_404_for_outsider(client, draft, outsider):
    client.force_login(outsider)
    assert client.get(url("version_submit", draft.pk)).status_code == 404


def test_step_record_is_404_for_outsider(client, submitted, outsider):
    client.force_login(outsider)
    advice = step_of(submitted, StepKind.ADVICE)
    assert client.get(url("step_record", submitted.pk, advice.pk)).status_code == 404


def test_step_not_applicable_is_404_for_outsider(client, submitted, outsider):
    client.force_login(outsider)
    step = step_of(submitted, StepKind.APPROVAL)
    response = client.post(url("step_not_applicable", submitted.pk, step.pk), {"nvt-reason": "x"})
    assert response.status_code == 404


def test_step_extend_is_404_for_outsider(client, submitted, outsider):
    client.force_login(outsider)
    advice = step_of(submitted, StepKind.ADVICE)
    new = dmy(today() + timedelta(days=5))
    response = client.post(url("step_extend", submitted.pk, advice.pk), {"term-due_on": new})
    assert response.status_code == 404


def test_step_lcg_is_404_for_outsider(client, submitted, outsider):
    client.force_login(outsider)
    consent = step_of(submitted, StepKind.CONSENT)
    response = client.post(url("step_lcg", submitted.pk, consent.pk), {"lcg-ruling": "x"})
    assert response.status_code == 404


def test_version_withdraw_is_404_for_outsider(client, submitted, outsider):
    client.force_login(outsider)
    response = client.post(url("version_withdraw", submitted.pk), {"withdraw-reason": "x"})
    assert response.status_code == 404


def test_version_adopt_is_404_for_outsider(client, submitted, outsider):
    client.force_login(outsider)
    response = client.post(url("version_adopt", submitted.pk), {})
    assert response.status_code == 404


# --- query count --------------------------------------------------------------------------------


def _adoptable_version(school, director, gmr_member, consent_steps: int) -> ProtocolVersion:
    """A version whose procedure has `consent_steps` voted consent steps, then adoption."""
    school.stichting.procedure_steps.all().delete()
    for position in range(1, consent_steps + 1):
        ProcedureStepDefinition.objects.create(
            stichting=school.stichting,
            position=position,
            name="GMR",
            kind=StepKind.CONSENT,
            body=StepBody.COUNCIL,
            geledingen=["parents", "staff"],
        )
    ProcedureStepDefinition.objects.create(
        stichting=school.stichting,
        position=consent_steps + 1,
        name="Vaststelling CvB",
        kind=StepKind.ADOPTION,
        body=StepBody.BOARD,
    )
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    SectionFactory(version=version)
    workflow.submit(version, by=director, change_summary="x", legal_basis="consent")
    for step in version.steps.filter(kind=StepKind.CONSENT):
        workflow.record_decision(step, by=gmr_member, decided_on=today(), votes=all_yes())
    return version


def test_version_detail_query_count_is_constant_over_steps_and_votes(
    client, school, director, gmr, gmr_member
):
    one = _adoptable_version(school, director, gmr_member, consent_steps=1)
    three = _adoptable_version(school, director, gmr_member, consent_steps=3)
    client.force_login(director)
    counts = []
    for version in (one, three):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(version.get_absolute_url())
        counts.append((len(response.context["procedure_steps"]), len(queries)))
    assert [steps for steps, _queries in counts] == [2, 4]
    assert counts[0][1] == counts[1][1]


def test_the_directors_step_is_labelled_non_statutory(client, director, submitted):
    # DOMAIN A.12: directors' advice never replaces the (G)MR's statutory right.
    client.force_login(director)
    html = text(client.get(submitted.get_absolute_url()).content.decode())
    assert "directeurenoverleg (intern overleg, niet wettelijk)" in html
