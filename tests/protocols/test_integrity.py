"""The procedure's integrity: votes against the council's real members, plausible dates, the
RvT's approval with its minutes, one draft per protocol, an edit check that trusts no client
time, work after an adoption that does not depend on itself, and one reminder a day."""

from datetime import timedelta

import pytest
import weasyprint
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from protocols import drafts, jobs, record, workflow
from protocols.forms.versions import VersionEditForm
from protocols.importer import ImportResult
from protocols.models import (
    ProcedureStep,
    ProposalDocument,
    ProtocolVersion,
    StepKind,
    StoredPdf,
)
from schools.models import Notice
from tests.factories import (
    ProtocolFactory,
    ProtocolVersionFactory,
    SectionFactory,
    StaffFactory,
)
from tests.protocols.helpers import (
    advance_to_consent,
    backdate_submission,
    submit,
    today,
    votes_of_three,
)

pytestmark = pytest.mark.django_db
Outcome = ProcedureStep.Outcome
Status = ProtocolVersion.Status


@pytest.fixture
def gmr_member(gmr_of_six):
    return gmr_of_six.members.filter(geleding="parents").first().user


# --- votes against the council's real members ---------------------------------------------


def test_vote_with_a_members_figure_other_than_the_council_is_refused(
    draft, director, gmr_of_six, gmr_member
):
    consent = advance_to_consent(draft, director)
    votes = votes_of_three()
    votes[0]["members"] = 5
    with pytest.raises(ValidationError, match="Ouders heeft 3 leden, niet 5"):
        workflow.record_decision(consent, by=gmr_member, decided_on=today(), votes=votes)


def test_vote_with_more_present_than_the_council_has_is_refused(
    draft, director, gmr_of_six, gmr_member
):
    consent = advance_to_consent(draft, director)
    votes = votes_of_three(parents=(4, 4, 0, 0))
    del votes[0]["members"]  # not typed: the workflow counts the council itself
    with pytest.raises(
        ValidationError, match="Ouders: er zijn meer leden aanwezig dan de geleding heeft."
    ):
        workflow.record_decision(consent, by=gmr_member, decided_on=today(), votes=votes)


def test_vote_of_a_section_without_members_is_refused(draft, director, gmr_of_six, gmr_member):
    consent = advance_to_consent(draft, director)
    gmr_of_six.members.filter(geleding="staff").update(end_date=today())
    with pytest.raises(ValidationError, match="geleding Personeel van de raad heeft geen leden"):
        workflow.record_decision(consent, by=gmr_member, decided_on=today(), votes=votes_of_three())


def test_vote_without_a_typed_size_counts_the_councils_members(
    draft, director, gmr_of_six, gmr_member
):
    consent = advance_to_consent(draft, director)
    votes = [{k: v for k, v in vote.items() if k != "members"} for vote in votes_of_three()]
    workflow.record_decision(consent, by=gmr_member, decided_on=today(), votes=votes)
    assert sorted(consent.votes.values_list("geleding", "members")) == [
        ("parents", 3),
        ("staff", 3),
    ]


# --- plausible dates -----------------------------------------------------------------------


def test_decision_before_the_submission_is_refused(draft, director, gmr_of_six):
    step = submit(draft, director)
    with pytest.raises(ValidationError, match="niet vóór de indiening"):
        workflow.record_decision(
            step, by=director, decided_on=today() - timedelta(days=1), outcome=Outcome.POSITIVE
        )


def test_meeting_date_in_the_future_is_refused(draft, director, gmr_of_six):
    step = submit(draft, director)
    with pytest.raises(ValidationError, match="in de toekomst"):
        workflow.record_decision(
            step,
            by=director,
            decided_on=today(),
            meeting_date=today() + timedelta(days=1),
            outcome=Outcome.POSITIVE,
        )


def test_term_more_than_a_year_ahead_is_refused(draft, director, gmr_of_six):
    step = submit(draft, director)
    with pytest.raises(ValidationError, match="hoogstens een jaar"):
        workflow.extend_term(step, by=director, due_on=today() + timedelta(days=400))


def adoption_step(draft, director, gmr_member):
    consent = advance_to_consent(draft, director)
    workflow.record_decision(consent, by=gmr_member, decided_on=today(), votes=votes_of_three())
    rvt = draft.steps.get(kind=StepKind.APPROVAL)
    workflow.mark_not_applicable(rvt, by=director, reason="Geen besluit in de statuten.")


def test_coming_into_force_more_than_a_year_after_adoption_is_refused(
    draft, director, gmr_of_six, gmr_member, board_member
):
    adoption_step(draft, director, gmr_member)
    with pytest.raises(ValidationError, match="uiterlijk een jaar na"):
        workflow.adopt(
            draft,
            by=board_member,
            decided_on=today(),
            effective_date=today() + timedelta(days=400),
        )


def test_evaluation_more_than_five_years_ahead_is_refused(
    draft, director, gmr_of_six, gmr_member, board_member
):
    adoption_step(draft, director, gmr_member)
    with pytest.raises(ValidationError, match="binnen vijf jaar"):
        workflow.adopt(
            draft,
            by=board_member,
            decided_on=today(),
            effective_date=today(),
            evaluation_date=today().replace(year=9999),
        )


def test_lcg_dates_before_the_refusal_are_refused(
    draft, director, gmr_of_six, gmr_member, board_member
):
    consent = advance_to_consent(draft, director)
    workflow.record_decision(
        consent, by=gmr_member, decided_on=today(), votes=votes_of_three(staff=(3, 0, 3, 0))
    )
    with pytest.raises(ValidationError, match="tussen de weigering en vandaag"):
        workflow.record_lcg(consent, by=board_member, notified_on=today() - timedelta(days=1))


# --- the RvT's approval -------------------------------------------------------------------


def rvt_step(draft, director, gmr_member):
    consent = advance_to_consent(draft, director)
    workflow.record_decision(consent, by=gmr_member, decided_on=today(), votes=votes_of_three())
    return draft.steps.get(kind=StepKind.APPROVAL)


def test_rvt_approval_without_its_minutes_is_refused(draft, director, gmr_of_six, gmr_member):
    rvt = rvt_step(draft, director, gmr_member)
    with pytest.raises(ValidationError, match="notulen van de RvT"):
        workflow.record_decision(rvt, by=director, decided_on=today(), outcome=Outcome.APPROVED)


def test_rvt_approval_by_the_board_with_minutes_says_so_in_the_decision_log(
    draft, director, gmr_of_six, gmr_member, media_root
):
    rvt = rvt_step(draft, director, gmr_member)
    minutes = ProposalDocument(version=draft, title="Notulen RvT 12 mei", uploaded_by=director)
    minutes.file.save("notulen.pdf", ContentFile(b"%PDF-1.7"), save=True)
    workflow.record_decision(
        rvt, by=director, decided_on=today(), outcome=Outcome.APPROVED, minutes=minutes
    )
    rvt.refresh_from_db()
    notes = [step["note"] for step in record.decision_log(draft.protocol)[0]["steps"]]
    assert (rvt.recorded_as, rvt.minutes) == ("board_with_minutes", minutes)
    assert notes[2] == "Vastgelegd door het bestuur, met de notulen van de RvT: Notulen RvT 12 mei."


def test_rvt_minutes_of_another_proposal_are_refused(
    draft, director, gmr_of_six, gmr_member, media_root
):
    rvt = rvt_step(draft, director, gmr_member)
    other = ProtocolVersionFactory()
    minutes = ProposalDocument(version=other, title="Notulen", uploaded_by=director)
    minutes.file.save("notulen.pdf", ContentFile(b"%PDF-1.7"), save=True)
    with pytest.raises(ValidationError, match="notulen van de RvT"):
        workflow.record_decision(
            rvt, by=director, decided_on=today(), outcome=Outcome.APPROVED, minutes=minutes
        )


# --- one draft per protocol --------------------------------------------------------------


def test_the_database_holds_one_draft_per_protocol(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProtocolVersion.objects.create(protocol=draft.protocol, number=99)


def test_import_into_a_protocol_with_a_draft_is_refused(draft, director):
    result = ImportResult(title=draft.protocol.title, sections=[], procedure=[])
    with pytest.raises(ValidationError, match="al een concept van dit protocol"):
        drafts.save_import(
            result=result,
            stichting=draft.protocol.stichting,
            school=draft.protocol.school,
            by=director,
            sections=[{"heading": "Inleiding", "audience": "", "body": "Tekst."}],
        )
    assert draft.protocol.versions.count() == 1


def test_import_review_into_a_protocol_with_a_draft_shows_the_message(client, director, school):
    from django.core import signing

    protocol = ProtocolFactory(stichting=school.stichting, school=school, title="Pesten")
    ProtocolVersionFactory(protocol=protocol, number=1)
    client.force_login(director)
    data = {
        "step": "review",
        "target": f"school:{school.pk}",
        "source_name": "pesten.txt",
        "title": "Pesten",
        "procedure": signing.dumps([]),
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-heading": "Inleiding",
        "form-0-audience": "",
        "form-0-body": "Tekst.",
        "form-0-ORDER": "1",
    }
    html = client.post(reverse("protocols:protocol_import"), data).content.decode()
    assert "Versie 1 is al een concept van dit protocol: ga daar verder." in html
    assert protocol.versions.count() == 1


# --- the edit check trusts no client time ------------------------------------------------


def _edit_data(loaded_at):
    return {
        "loaded_at": loaded_at,
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-heading": "Inleiding",
        "form-0-audience": "",
        "form-0-body": "Mijn tekst.",
        "form-0-ORDER": "1",
    }


def test_edit_with_a_time_the_client_made_up_is_refused(client, director, draft):
    client.force_login(director)
    forged = (draft.updated_at + timedelta(days=365)).isoformat()
    url = reverse("protocols:version_edit", args=[draft.pk])
    html = client.post(url, _edit_data(forged)).content.decode()
    assert "Laad de pagina opnieuw en probeer het nog eens." in html
    assert draft.sections.get().body != "Mijn tekst."


def test_edit_with_the_signed_time_of_another_version_is_refused(client, director, draft):
    other = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=draft.protocol.stichting))
    client.force_login(director)
    token = VersionEditForm(version=other).initial["loaded_at"]
    url = reverse("protocols:version_edit", args=[draft.pk])
    html = client.post(url, _edit_data(token)).content.decode()
    assert "Laad de pagina opnieuw en probeer het nog eens." in html


def test_edit_with_the_signed_time_saves(client, director, draft):
    client.force_login(director)
    token = VersionEditForm(version=draft).initial["loaded_at"]
    client.post(reverse("protocols:version_edit", args=[draft.pk]), _edit_data(token))
    assert draft.sections.get().body == "Mijn tekst."


# --- after an adoption --------------------------------------------------------------------


def test_a_failing_pdf_skips_neither_the_notices_nor_the_reading_requests(
    monkeypatch,
    draft,
    director,
    gmr_of_six,
    gmr_member,
    board_member,
    school,
    mailoutbox,
    media_root,
    django_capture_on_commit_callbacks,
):
    StaffFactory(school=school)
    adoption_step(draft, director, gmr_member)
    mailoutbox.clear()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.adopt(draft, by=board_member, decided_on=today(), effective_date=today())
    assert StoredPdf.objects.count() == 0
    assert draft.acknowledgements.count() == 1
    assert any(m.subject.startswith("Vastgesteld:") for m in mailoutbox)


def test_the_daily_job_stores_the_pdfs_an_adoption_missed(
    draft, director, gmr_of_six, gmr_member, board_member, school, media_root
):
    adoption_step(draft, director, gmr_member)
    workflow.adopt(draft, by=board_member, decided_on=today(), effective_date=today())
    assert StoredPdf.objects.count() == 0  # the after-commit work did not run in this test
    assert jobs.daily(today()) == "0 reminder(s) sent. 1 PDF(s) stored."
    assert jobs.daily(today()) == "0 reminder(s) sent."
    assert list(StoredPdf.objects.values_list("version", "school")) == [(draft.pk, school.pk)]


def test_procedure_settings_page_writes_nothing(client, board_member, school):
    client.force_login(board_member)
    url = reverse("protocols:procedure_settings", args=[school.stichting.slug])
    html = client.get(url).content.decode()
    assert "Vaststelling CvB" in html
    assert school.stichting.procedure_steps.count() == 0


# --- one reminder of a kind a day ---------------------------------------------------------


def test_a_term_extended_the_same_day_is_not_reminded_twice_that_day(
    draft, director, gmr_of_six, mailoutbox
):
    step = submit(draft, director)
    backdate_submission(draft)
    ProcedureStep.objects.filter(pk=step.pk).update(due_on=today() + timedelta(days=3))
    first = jobs.daily(today())
    workflow.extend_term(step, by=director, due_on=today() + timedelta(days=5))
    second = jobs.daily(today())
    Notice.objects.update(sent_at=Notice.objects.first().sent_at - timedelta(days=1))
    third = jobs.daily(today() + timedelta(days=1))
    assert (first, second, third) == (
        "1 reminder(s) sent.",
        "0 reminder(s) sent.",
        "1 reminder(s) sent.",
    )


def test_two_reminders_of_a_kind_for_one_person_go_out_on_two_days(
    director, school, gmr_of_six, mailoutbox
):
    # Two proposals whose terms end soon: the director hears of one today, the other tomorrow.
    steps = []
    for title in ("Pesten", "Privacy"):
        version = ProtocolVersionFactory(
            protocol=ProtocolFactory(stichting=school.stichting, title=title)
        )
        SectionFactory(version=version)
        steps.append(submit(version, director))
    ProcedureStep.objects.filter(pk__in=[s.pk for s in steps]).update(
        due_on=today() + timedelta(days=3)
    )
    first = jobs.daily(today())
    Notice.objects.update(sent_at=Notice.objects.first().sent_at - timedelta(days=1))
    second = jobs.daily(today() + timedelta(days=1))
    assert (first, second) == ("1 reminder(s) sent.", "1 reminder(s) sent.")
