"""The record: front-table rows, WMS checks of the trail, and the decision log (besluitenlijst)."""

import csv
import io
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from protocols import demo, drafts, record, wms, workflow
from protocols.models import ProcedureStep, Protocol, ProtocolVersion, StepKind
from protocols.pdf import render_version_pdf
from schools.models import Role
from tests.factories import (
    MembershipFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    SchoolFactory,
    SectionFactory,
    StichtingFactory,
)
from tests.protocols.helpers import backdate_submission, today

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
Outcome = ProcedureStep.Outcome

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SPECS = {
    spec["organisation"]: spec
    for spec in json.loads((FIXTURES / "protocols.json").read_text(encoding="utf-8"))["protocols"]
}
BEFORE_CONSENT = (
    "In werking getreden vóór de instemming van de (G)MR: niet geldig onder de WMS (art. 10). "
    "In werking per 01-01-2014; instemming op 21-01-2014."
)
NO_CONSENT = (
    "Voor deze versie is geen instemming van de medezeggenschapsraad (MR of GMR) vastgelegd; "
    "ga na of die is gegeven (WMS art. 10)."
)


def demo_version(organisation: str) -> ProtocolVersion:
    """One seed, imported and registered as adopted exactly as load_demo does it."""
    spec = SPECS[organisation]
    stichting = StichtingFactory(slug=organisation)
    SchoolFactory(stichting=stichting, slug=spec["school"] or f"{organisation}-school")
    demo.load_demo_protocols([spec], fixtures_dir=FIXTURES)
    return ProtocolVersion.objects.get(protocol__stichting=stichting)


def squash(text: str) -> str:
    """PDF text without whitespace or soft hyphens: kerning gaps ("T er") vanish."""
    return re.sub(r"[\s\u00ad]+", "", text)


def votes():
    return [
        {
            "geleding": geleding,
            "members": 3,
            "present": 3,
            "votes_for": 2,
            "votes_against": 1,
            "abstentions": 0,
        }
        for geleding in ["parents", "staff"]
    ]


def through_portal(school, director, board_member, gmr, *, advised, consented, adopted):
    """A version taken through the portal's whole procedure (seed 003's chain)."""
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    SectionFactory(version=version)
    first = workflow.submit(
        version, by=director, change_summary="Nieuw protocol.", legal_basis="consent"
    )
    backdate_submission(version)
    workflow.record_decision(first, by=director, decided_on=advised, outcome=Outcome.POSITIVE)
    consent = version.steps.get(kind=StepKind.CONSENT)
    workflow.record_decision(
        consent, by=gmr.members.first().user, decided_on=consented, votes=votes()
    )
    rvt = version.steps.get(kind=StepKind.APPROVAL)
    workflow.mark_not_applicable(rvt, by=director, reason="Geen besluit uit de statuten.")
    workflow.adopt(version, by=board_member, decided_on=adopted, effective_date=adopted)
    version.refresh_from_db()
    return version


@pytest.fixture
def adopted_today(school, director, board_member, gmr_of_six) -> ProtocolVersion:
    """A version taken through the portal's whole procedure today."""
    return through_portal(
        school,
        director,
        board_member,
        gmr_of_six,
        advised=today(),
        consented=today(),
        adopted=today(),
    )


# --- trail_rows -------------------------------------------------------------------------------


def test_trail_rows_of_a_portal_adopted_version_show_every_step_with_its_date(
    school, director, board_member, gmr_of_six
):
    advised, consented = today() - timedelta(days=30), today() - timedelta(days=10)
    version = through_portal(
        school,
        director,
        board_member,
        gmr_of_six,
        advised=advised,
        consented=consented,
        adopted=today(),
    )
    rows = [(r["step"], r["outcome"], r["date"]) for r in record.trail_rows(version)]
    assert rows == [
        ("Directeuren", "Ter advisering: positief", advised),
        ("GMR", "Ter instemming: instemming verleend, ouders 2-1, personeel 2-1", consented),
        ("RvT", "Ter goedkeuring: n.v.t.", today()),
        ("Vaststelling CvB", "vastgesteld", today()),
        ("Evaluatie", "", wms.add_months(today(), 24)),
    ]


def test_trail_rows_give_the_reason_of_an_nvt_step(adopted_today):
    version = adopted_today
    rvt = next(r for r in record.trail_rows(version) if r["step"] == "RvT")
    assert rvt["source"] == "Geen besluit uit de statuten."


def test_trail_rows_of_seed_003_are_its_imported_trail():
    version = demo_version("klasse")
    rows = [(r["step"], r["outcome"], r["date"]) for r in record.trail_rows(version)]
    assert rows == [
        ("Directeuren", "Ter advisering", date(2026, 1, 23)),
        ("GMR", "Ter instemming", date(2026, 2, 11)),
        ("RvT", "n.v.t.", None),
        ("Vaststelling CvB", "", date(2026, 2, 23)),
        ("Evaluatie", "", date(2028, 2, 23)),
    ]


def test_pdf_front_table_of_a_portal_adopted_version_shows_all_dates(
    school, director, board_member, gmr_of_six
):
    advised, consented = today() - timedelta(days=30), today() - timedelta(days=10)
    version = through_portal(
        school,
        director,
        board_member,
        gmr_of_six,
        advised=advised,
        consented=consented,
        adopted=today(),
    )
    text = squash(PdfReader(io.BytesIO(render_version_pdf(version))).pages[0].extract_text())
    expected = [
        f"Directeuren Ter advisering: positief {advised:%d-%m-%Y}",
        f"GMR Ter instemming: instemming verleend, ouders 2-1, personeel 2-1 {consented:%d-%m-%Y}",
        f"RvT Ter goedkeuring: n.v.t. {today():%d-%m-%Y}",
        f"Vaststelling CvB vastgesteld {today():%d-%m-%Y}",
        f"Evaluatie {wms.add_months(today(), 24):%d-%m-%Y}",
    ]
    assert [squash(row) in text for row in expected] == [True] * 5


# --- trail_problems -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "organisation, problems",
    [
        ("lankforst", [NO_CONSENT]),  # seed 000: no procedure recorded at all
        ("kopwerk", [BEFORE_CONSENT]),  # seed 001: in force 01-01-2014, GMR consent 21-01-2014
        ("amstelveen", []),  # seed 002: MR consent 08-10-2019, published 17-10-2019
        ("klasse", []),  # seed 003: GMR 11-02-2026, adopted 23-02-2026
        ("meilan", []),  # seed 004: GMR 23-01-2017, adopted 30-01-2017
    ],
)
def test_trail_problems_of_the_five_seeds(organisation, problems):
    assert record.trail_problems(demo_version(organisation)) == problems


def test_seed_001_is_flagged_already_as_an_imported_draft(school):
    path = FIXTURES / "protocols" / "001_aa7da5d9f43e15ca.txt"  # Kopwerk
    from protocols.importer import import_file

    version = drafts.save_import(
        result=import_file(path.name, path.read_bytes()), stichting=school.stichting
    )
    assert record.trail_problems(version) == [BEFORE_CONSENT]


def test_portal_adoption_in_force_before_the_consent_is_flagged(
    school, director, board_member, gmr_of_six
):
    # The workflow refuses such dates; a record corrected by hand must still be caught.
    day = today() - timedelta(days=5)
    version = through_portal(
        school, director, board_member, gmr_of_six, advised=day, consented=day, adopted=day
    )
    ProtocolVersion.objects.filter(pk=version.pk).update(effective_date=day - timedelta(days=1))
    version.refresh_from_db()
    assert [p.startswith("In werking getreden vóór") for p in record.trail_problems(version)] == [
        True
    ]


def test_in_force_on_the_day_of_the_consent_is_not_flagged(
    school, director, board_member, gmr_of_six
):
    day = today() - timedelta(days=5)
    version = through_portal(
        school, director, board_member, gmr_of_six, advised=day, consented=day, adopted=day
    )
    assert record.trail_problems(version) == []


def test_a_draft_without_a_trail_has_no_problems(school):
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    assert record.trail_problems(version) == []


# --- decision_log -------------------------------------------------------------------------------


def test_decision_log_has_steps_votes_and_dates_of_a_portal_version(adopted_today):
    version = adopted_today
    (entry,) = record.decision_log(version.protocol)
    consent = entry["steps"][1]
    assert (
        entry["version"],
        entry["adopted_on"],
        consent["name"],
        consent["outcome"],
        [(v["votes_for"], v["votes_against"], v["granted"]) for v in consent["votes"]],
        entry["problems"],
    ) == (
        version,
        today(),
        "GMR",
        "instemming verleend, ouders 2-1, personeel 2-1",
        [(2, 1, True), (2, 1, True)],
        [],
    )


def test_decision_log_outcomes_are_as_recorded_and_in_the_readers_language(adopted_today):
    version = adopted_today
    outcomes = {}
    for language in ["nl", "en"]:
        with translation.override(language):
            (entry,) = record.decision_log(version.protocol)
            outcomes[language] = [step["outcome"] for step in entry["steps"]]
    assert outcomes == {
        "nl": [
            "positief",
            "instemming verleend, ouders 2-1, personeel 2-1",
            "n.v.t.",
            "vastgesteld",
        ],
        "en": [
            "positive",
            "consent granted, parents 2-1, staff 2-1",
            "not applicable",
            "adopted",
        ],
    }


def test_decision_log_leaves_out_a_plain_draft(school):
    protocol = ProtocolFactory(stichting=school.stichting)
    ProtocolVersionFactory(protocol=protocol)
    assert record.decision_log(protocol) == []


def test_decision_log_keeps_a_draft_with_an_imported_trail(school):
    draft = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    draft.procedure_records.create(position=1, step="GMR", outcome="instemming")
    assert [entry["version"] for entry in record.decision_log(draft.protocol)] == [draft]


def test_decision_log_page_shows_ten_versions_at_a_time_the_newest_first(client, school, director):
    protocol = ProtocolFactory(stichting=school.stichting)
    for number in range(1, 13):
        ProtocolVersionFactory(
            protocol=protocol, number=number, status=ProtocolVersion.Status.SUPERSEDED
        )
    client.force_login(director)
    url = reverse("protocols:decision_log", args=[protocol.pk])
    pages = [client.get(url).content.decode(), client.get(url + "?page=2").content.decode()]
    shown = [[int(n) for n in re.findall(r">Versie (\d+)</a>", html)] for html in pages]
    assert shown == [list(range(12, 2, -1)), [2, 1]]
    assert "12 versies, de nieuwste eerst; de pdf en de csv bevatten ze allemaal." in pages[0]
    assert 'href="?page=2"' in pages[0]


def kopwerk_director() -> tuple[Protocol, object]:
    version = demo_version("kopwerk")
    school = version.protocol.stichting.schools.get()
    return version.protocol, MembershipFactory(school=school, role=Role.DIRECTOR).user


def test_decision_log_page_shows_the_trail_and_the_wms_warning(client):
    protocol, director = kopwerk_director()
    client.force_login(director)
    html = client.get(reverse("protocols:decision_log", args=[protocol.pk])).content.decode()
    assert (
        "(G)MR" in html,
        "21-01-2014" in html,
        'role="alert"' in html,
        "niet geldig onder de WMS (art. 10)" in html,
    ) == (True, True, True, True)


def test_decision_log_is_404_for_outsider(client, outsider, school):
    protocol = ProtocolFactory(stichting=school.stichting)
    client.force_login(outsider)
    assert client.get(reverse("protocols:decision_log", args=[protocol.pk])).status_code == 404


def test_decision_log_csv_is_valid_csv_with_a_header_row(client):
    version = demo_version("klasse")
    director = MembershipFactory(
        school=version.protocol.stichting.schools.get(), role=Role.DIRECTOR
    ).user
    client.force_login(director)
    response = client.get(reverse("protocols:decision_log_csv", args=[version.protocol.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (header[:3], {len(row) for row in rows}) == (
        ["Versie", "Status", "Ingediend op"],
        {len(header)},
    )
    step, outcome, day = header.index("Stap"), header.index("Uitkomst"), header.index("Datum")
    assert [(row[step], row[outcome], row[day]) for row in body] == [
        ("Directeuren", "Ter advisering", "23-01-2026"),
        ("GMR", "Ter instemming", "11-02-2026"),
        ("RvT", "n.v.t.", ""),
        ("Vaststelling CvB", "", "23-02-2026"),
        ("Evaluatie", "", "23-02-2028"),
    ]


def test_decision_log_csv_is_404_for_outsider(client, outsider, school):
    protocol = ProtocolFactory(stichting=school.stichting)
    client.force_login(outsider)
    response = client.get(reverse("protocols:decision_log_csv", args=[protocol.pk]))
    assert response.status_code == 404


def test_decision_log_pdf_is_dutch_and_carries_the_warning(client):
    protocol, director = kopwerk_director()
    client.force_login(director)
    response = client.get(
        reverse("protocols:decision_log_pdf", args=[protocol.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    pages = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    text = squash(" ".join(page.extract_text() for page in pages))
    assert (
        response["Content-Type"],
        "Besluitenlijst" in text,
        "21-01-2014" in text,
        squash("niet geldig onder de WMS") in text,
    ) == ("application/pdf", True, True, True)


def test_decision_log_pdf_is_404_for_outsider(client, outsider, school):
    protocol = ProtocolFactory(stichting=school.stichting)
    client.force_login(outsider)
    response = client.get(reverse("protocols:decision_log_pdf", args=[protocol.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("n", [1, 4])
def test_decision_log_query_count_is_constant(
    client, school, director, board_member, gmr_of_six, n, django_assert_num_queries
):
    protocol = ProtocolFactory(stichting=school.stichting)
    for _ in range(n):
        version = ProtocolVersionFactory(protocol=protocol)
        SectionFactory(version=version)
        first = workflow.submit(
            version, by=director, change_summary="Wijziging.", legal_basis="consent"
        )
        workflow.record_decision(first, by=director, decided_on=today(), outcome="positive")
        consent = version.steps.get(kind=StepKind.CONSENT)
        workflow.record_decision(
            consent, by=gmr_of_six.members.first().user, decided_on=today(), votes=votes()
        )
        # One version in procedure at a time: the next one comes after this one is withdrawn.
        workflow.withdraw(version, by=director, reason="Vervangen door een nieuwe versie.")
    client.force_login(director)
    # session, user, protocol, the versions and how many, steps with their councils and who
    # recorded them, votes, records, and the navigation's reach (five)
    with django_assert_num_queries(12):
        client.get(reverse("protocols:decision_log", args=[protocol.pk]))


# --- the version page ---------------------------------------------------------------------------


def test_version_page_warns_about_seed_001_and_links_the_decision_log(client):
    protocol, director = kopwerk_director()
    client.force_login(director)
    html = client.get(protocol.versions.get().get_absolute_url()).content.decode()
    assert (
        'role="alert"' in html,
        "niet geldig onder de WMS (art. 10)" in html,
        reverse("protocols:decision_log", args=[protocol.pk]) in html,
    ) == (True, True, True)


def test_decision_log_labels_a_withheld_consent_and_the_version_in_dutch(
    school, director, gmr_of_six
):
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    SectionFactory(version=version)
    first = workflow.submit(
        version, by=director, change_summary="Nieuw protocol.", legal_basis="consent"
    )
    backdate_submission(version)
    workflow.record_decision(first, by=director, decided_on=today(), outcome=Outcome.POSITIVE)
    consent = version.steps.get(kind=StepKind.CONSENT)
    against = [{**vote, "votes_for": 1, "votes_against": 2} for vote in votes()]
    workflow.record_decision(
        consent, by=gmr_of_six.members.first().user, decided_on=today(), votes=against
    )
    with translation.override("nl"):
        (entry,) = record.decision_log(version.protocol)
    assert (
        entry["status"],
        entry["legal_basis"],
        [(step["kind"], step["body"], step["outcome"]) for step in entry["steps"]],
    ) == (
        "In procedure",
        "ter instemming (instemmingsrecht)",
        [
            ("Ter advisering", "directeurenoverleg", "positief"),
            ("Ter instemming", gmr_of_six.name, "instemming onthouden, ouders 1-2, personeel 1-2"),
            ("Ter goedkeuring", "raad van toezicht (RvT)", "wacht"),
            ("", "college van bestuur (CvB)", "wacht"),
        ],
    )


def test_the_log_state_changes_with_its_rows_and_with_how_it_is_printed(settings, adopted_today):
    version = adopted_today
    protocol = version.protocol
    before = record.log_state(protocol)
    vote = version.steps.get(kind=StepKind.CONSENT).votes.first()
    vote.abstentions += 1
    vote.save()
    after_vote = record.log_state(protocol)
    assert record.log_state(protocol) == after_vote  # the same rows, the same state
    # A release that prints dates in another time zone (or with other code or translations).
    settings.TIME_ZONE = "Europe/London"
    record._printing.cache_clear()
    try:
        elsewhere = record.log_state(protocol)
    finally:
        record._printing.cache_clear()
    assert len({before, after_vote, elsewhere}) == 3
