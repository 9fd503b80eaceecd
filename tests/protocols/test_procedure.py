"""The approval procedure: every transition and rule of protocols/workflow.py."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from protocols import wms, workflow
from protocols.drafts import new_draft
from protocols.models import ProcedureStep, ProtocolVersion, StepKind
from schools.models import Council, CouncilMember, Role
from tests.factories import (
    CouncilFactory,
    CouncilMemberFactory,
    MembershipFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    SectionFactory,
)
from tests.protocols.helpers import (
    advance_to_consent,
    backdate_submission,
    submit,
    today,
    votes_of_three,
)

pytestmark = pytest.mark.django_db
Status = ProtocolVersion.Status
StepStatus = ProcedureStep.Status
Outcome = ProcedureStep.Outcome


@pytest.fixture
def gmr_member(gmr_of_six):
    return gmr_of_six.members.first().user


def advance_to_adoption(draft, director, gmr_member):
    consent = advance_to_consent(draft, director)
    workflow.record_decision(consent, by=gmr_member, decided_on=today(), votes=votes_of_three())
    rvt = draft.steps.get(kind=StepKind.APPROVAL)
    workflow.mark_not_applicable(rvt, by=director, reason="Geen besluit in de statuten.")
    return draft.steps.get(kind=StepKind.ADOPTION)


# --- submitting -----------------------------------------------------------------------------


def test_submit_freezes_the_draft_and_opens_the_first_step(draft, director, gmr_of_six):
    first = submit(draft, director)
    draft.refresh_from_db()
    assert (draft.status, draft.is_editable, draft.legal_basis) == (
        Status.IN_PROCEDURE,
        False,
        "consent",
    )
    assert [(s.name, s.kind, s.status) for s in draft.steps.all()] == [
        ("Directeuren", StepKind.ADVICE, StepStatus.OPEN),
        ("GMR", StepKind.CONSENT, StepStatus.WAITING),
        ("RvT", StepKind.APPROVAL, StepStatus.WAITING),
        ("Vaststelling CvB", StepKind.ADOPTION, StepStatus.WAITING),
    ]
    assert (first.opened_on, first.due_on) == (today(), today() + timedelta(days=14))


def test_a_schools_own_protocol_goes_to_its_mr(school, director):
    mr = CouncilFactory(school=school)
    version = ProtocolVersionFactory(
        protocol=ProtocolFactory(stichting=school.stichting, school=school)
    )
    SectionFactory(version=version)
    submit(version, director)
    step = version.steps.get(kind=StepKind.CONSENT)
    assert (step.name, step.council) == ("MR", mr)


def test_submit_requires_a_change_summary(draft, director, gmr_of_six):
    with pytest.raises(ValidationError, match="wat er veranderd is"):
        workflow.submit(draft, by=director, change_summary=" ", legal_basis="consent")


def test_submit_requires_advice_or_consent_to_be_stated(draft, director, gmr_of_six):
    with pytest.raises(ValidationError, match="advies of instemming"):
        workflow.submit(draft, by=director, change_summary="x", legal_basis="")


def test_submit_without_a_council_is_refused(draft, director):
    with pytest.raises(ValidationError, match="medezeggenschapsraad"):
        submit(draft, director)


def test_a_second_version_cannot_enter_the_procedure_while_one_is_in_it(
    draft, director, gmr_of_six
):
    submit(draft, director)
    second = new_draft(draft, by=director)
    with pytest.raises(ValidationError, match=f"Versie {draft.number} van dit protocol is nog"):
        submit(second, director)
    second.refresh_from_db()
    assert second.status == Status.DRAFT


def test_discard_refuses_a_version_that_was_submitted(draft, director, gmr_of_six):
    submit(draft, director)
    with pytest.raises(ValidationError, match="Alleen een concept kan"):
        workflow.discard(draft, by=director)


def test_a_teacher_cannot_submit(draft, teacher, gmr_of_six):
    with pytest.raises(ValidationError):
        submit(draft, teacher)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_submitted_version_cannot_be_submitted_again(draft, director, gmr_of_six):
    submit(draft, director)
    with pytest.raises(ValidationError, match="Alleen een concept"):
        submit(draft, director)


# --- advice, consent, approval ------------------------------------------------------------


def test_positive_advice_opens_the_council_step_with_the_councils_term(draft, director, gmr_of_six):
    gmr_of_six.term_days = 42
    gmr_of_six.save()
    consent = advance_to_consent(draft, director)
    assert (consent.status, consent.due_on) == (StepStatus.OPEN, today() + timedelta(days=42))


def test_negative_advice_sends_the_version_back_with_a_new_draft(draft, director, gmr_of_six):
    step = submit(draft, director)
    workflow.record_decision(step, by=director, decided_on=today(), outcome=Outcome.NEGATIVE)
    draft.refresh_from_db()
    new = ProtocolVersion.objects.get(status=Status.DRAFT)
    assert (draft.status, new.based_on, new.number) == (Status.RETURNED, draft, draft.number + 1)


def test_consent_granted_when_every_section_consents(draft, director, gmr_of_six, gmr_member):
    consent = advance_to_consent(draft, director)
    workflow.record_decision(consent, by=gmr_member, decided_on=today(), votes=votes_of_three())
    consent.refresh_from_db()
    assert (consent.outcome, [v.granted for v in consent.votes.all()]) == (
        Outcome.GRANTED,
        [True, True],
    )
    assert draft.steps.get(kind=StepKind.APPROVAL).status == StepStatus.OPEN


def test_consent_withheld_when_one_section_lacks_its_quorum(
    draft, director, gmr_of_six, gmr_member
):
    consent = advance_to_consent(draft, director)
    workflow.record_decision(
        consent, by=gmr_member, decided_on=today(), votes=votes_of_three(staff=(1, 1, 0, 0))
    )
    consent.refresh_from_db()
    assert (consent.status, consent.outcome) == (StepStatus.WITHHELD, Outcome.WITHHELD)
    assert draft.steps.get(kind=StepKind.APPROVAL).status == StepStatus.WAITING


@pytest.mark.parametrize(
    "majority, present_for_against_abstain, granted",
    [
        (Council.Majority.VOTES_CAST, (3, 1, 0, 2), True),
        (Council.Majority.HALF_PRESENT, (3, 1, 0, 2), False),
        (Council.Majority.TWO_THIRDS, (3, 2, 1, 0), True),
        (Council.Majority.TWO_THIRDS, (3, 1, 1, 1), False),
    ],
)
def test_consent_follows_the_councils_majority_rule(
    draft, director, gmr_of_six, gmr_member, majority, present_for_against_abstain, granted
):
    gmr_of_six.majority = majority
    gmr_of_six.save()
    consent = advance_to_consent(draft, director)
    workflow.record_decision(
        consent,
        by=gmr_member,
        decided_on=today(),
        votes=votes_of_three(parents=present_for_against_abstain),
    )
    assert consent.votes.get(geleding="parents").granted is granted


def test_votes_must_add_up_to_the_members_present(draft, director, gmr_of_six, gmr_member):
    consent = advance_to_consent(draft, director)
    with pytest.raises(ValidationError, match="optellen"):
        workflow.record_decision(
            consent, by=gmr_member, decided_on=today(), votes=votes_of_three(parents=(3, 1, 0, 0))
        )


def test_every_required_section_must_vote(draft, director, gmr_of_six, gmr_member):
    consent = advance_to_consent(draft, director)
    with pytest.raises(ValidationError, match="elke geleding"):
        workflow.record_decision(
            consent, by=gmr_member, decided_on=today(), votes=votes_of_three()[:1]
        )


def test_only_a_member_of_the_council_records_its_decision(draft, director, gmr_of_six):
    consent = advance_to_consent(draft, director)
    with pytest.raises(ValidationError, match="niet vastleggen"):
        workflow.record_decision(consent, by=director, decided_on=today(), votes=votes_of_three())


def test_a_former_member_cannot_record(draft, director, gmr_of_six):
    former = CouncilMemberFactory(council=gmr_of_six, end_date=date(2020, 1, 1)).user
    consent = advance_to_consent(draft, director)
    with pytest.raises(ValidationError):
        workflow.record_decision(consent, by=former, decided_on=today(), votes=votes_of_three())


def test_recording_the_same_step_twice_gives_one_decision(draft, director, gmr_of_six, gmr_member):
    consent = advance_to_consent(draft, director)
    workflow.record_decision(consent, by=gmr_member, decided_on=today(), votes=votes_of_three())
    with pytest.raises(ValidationError, match="al vastgelegd"):
        workflow.record_decision(consent, by=gmr_member, decided_on=today(), votes=votes_of_three())
    assert consent.votes.count() == 2  # one per section, not four


def test_an_outcome_must_fit_the_step(draft, director, gmr_of_six):
    step = submit(draft, director)
    with pytest.raises(ValidationError, match="past niet"):
        workflow.record_decision(step, by=director, decided_on=today(), outcome=Outcome.GRANTED)


def test_a_decision_cannot_be_dated_in_the_future(draft, director, gmr_of_six):
    step = submit(draft, director)
    with pytest.raises(ValidationError, match="toekomst"):
        workflow.record_decision(
            step, by=director, decided_on=today() + timedelta(days=1), outcome=Outcome.POSITIVE
        )


def test_steps_cannot_be_skipped(draft, director, gmr_of_six, gmr_member):
    submit(draft, director)
    consent = draft.steps.get(kind=StepKind.CONSENT)  # still waiting for the directors
    with pytest.raises(ValidationError):
        workflow.record_decision(consent, by=gmr_member, decided_on=today(), votes=votes_of_three())


# --- n.v.t., terms, withdrawal -------------------------------------------------------------


def test_a_step_that_may_be_nvt_is_skipped_with_its_reason(draft, director, gmr_of_six, gmr_member):
    adoption = advance_to_adoption(draft, director, gmr_member)
    rvt = draft.steps.get(kind=StepKind.APPROVAL)
    assert (rvt.status, rvt.reason, adoption.status) == (
        StepStatus.NOT_APPLICABLE,
        "Geen besluit in de statuten.",
        StepStatus.OPEN,
    )


def test_nvt_needs_a_reason(draft, director, gmr_of_six, gmr_member):
    consent = advance_to_consent(draft, director)
    workflow.record_decision(consent, by=gmr_member, decided_on=today(), votes=votes_of_three())
    with pytest.raises(ValidationError, match="reden"):
        workflow.mark_not_applicable(
            draft.steps.get(kind=StepKind.APPROVAL), by=director, reason=""
        )


def test_a_council_step_cannot_be_nvt(draft, director, gmr_of_six):
    consent = advance_to_consent(draft, director)
    with pytest.raises(ValidationError, match="niet worden overgeslagen"):
        workflow.mark_not_applicable(consent, by=director, reason="Geen tijd.")


def test_silence_is_never_consent_an_expired_term_stays_open(draft, director, gmr_of_six):
    consent = advance_to_consent(draft, director)
    later = consent.due_on + timedelta(days=1)
    consent.refresh_from_db()
    assert (consent.term_expired(later), consent.status, consent.outcome) == (
        True,
        StepStatus.OPEN,
        "",
    )


def test_the_director_can_extend_an_expired_term(draft, director, gmr_of_six):
    consent = advance_to_consent(draft, director)
    workflow.extend_term(consent, by=director, due_on=today() + timedelta(days=60))
    consent.refresh_from_db()
    assert consent.due_on == today() + timedelta(days=60)


def test_withdraw_ends_the_procedure(draft, director, gmr_of_six):
    submit(draft, director)
    workflow.withdraw(draft, by=director, reason="Te vroeg.")
    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN


# --- WMS art. 32 ---------------------------------------------------------------------------


def withheld(draft, director, gmr_member, on):
    consent = advance_to_consent(draft, director)
    backdate_submission(draft)
    workflow.record_decision(
        consent, by=gmr_member, decided_on=on, votes=votes_of_three(staff=(3, 0, 3, 0))
    )
    consent.refresh_from_db()
    return consent


def test_withheld_consent_starts_the_three_month_clock(draft, director, gmr_of_six, gmr_member):
    consent = withheld(draft, director, gmr_member, date(2026, 1, 31))
    clock = workflow.consent_clock(consent, date(2026, 4, 30))
    assert clock == {"choose_by": date(2026, 4, 30), "submit_by": None, "lapsed": False}
    assert workflow.consent_clock(consent, date(2026, 5, 1))["lapsed"] is True


def test_after_telling_the_council_six_weeks_to_submit_to_the_lcg(
    draft, director, gmr_of_six, gmr_member, board_member
):
    consent = withheld(draft, director, gmr_member, today() - timedelta(days=10))
    workflow.record_lcg(consent, by=board_member, notified_on=today())
    consent.refresh_from_db()
    clock = workflow.consent_clock(consent, today() + timedelta(weeks=6, days=1))
    assert (clock["submit_by"], clock["lapsed"]) == (today() + timedelta(weeks=6), True)


def test_an_lcg_ruling_replacing_consent_lets_the_procedure_go_on(
    draft, director, gmr_of_six, gmr_member, board_member
):
    consent = withheld(draft, director, gmr_member, today())
    workflow.record_lcg(
        consent,
        by=board_member,
        notified_on=today(),
        submitted_on=today(),
        ruling="replaces_consent",
    )
    consent.refresh_from_db()
    assert (consent.outcome, draft.steps.get(kind=StepKind.APPROVAL).status) == (
        Outcome.GRANTED,
        StepStatus.OPEN,
    )


def test_only_the_board_goes_to_the_lcg(draft, director, gmr_of_six, gmr_member):
    consent = withheld(draft, director, gmr_member, today())
    with pytest.raises(ValidationError, match="bestuur"):
        workflow.record_lcg(consent, by=director, notified_on=today())


# --- adoption -------------------------------------------------------------------------------


def test_the_board_adopts_and_the_evaluation_is_two_years_later(
    draft, director, gmr_of_six, gmr_member, board_member
):
    old = ProtocolVersionFactory(protocol=draft.protocol, status=Status.ADOPTED)
    advance_to_adoption(draft, director, gmr_member)
    workflow.adopt(draft, by=board_member, decided_on=today(), effective_date=date(2027, 1, 31))
    draft.refresh_from_db()
    old.refresh_from_db()
    assert (draft.status, draft.adopted_on, draft.evaluation_date, old.status) == (
        Status.ADOPTED,
        today(),
        date(2029, 1, 31),
        Status.SUPERSEDED,
    )


def test_a_director_cannot_adopt(draft, director, gmr_of_six, gmr_member):
    advance_to_adoption(draft, director, gmr_member)
    with pytest.raises(ValidationError, match="CvB"):
        workflow.adopt(draft, by=director, decided_on=today(), effective_date=today())


def test_adoption_waits_for_the_earlier_steps(draft, director, gmr_of_six, board_member):
    advance_to_consent(draft, director)
    with pytest.raises(ValidationError, match="niet klaar"):
        workflow.adopt(draft, by=board_member, decided_on=today(), effective_date=today())


def test_adoption_is_impossible_while_consent_is_missing(
    draft, director, gmr_of_six, gmr_member, board_member
):
    adoption = advance_to_adoption(draft, director, gmr_member)
    draft.steps.filter(kind=StepKind.CONSENT).update(outcome=Outcome.WITHHELD)
    with pytest.raises(ValidationError, match="instemming ontbreekt"):
        workflow.adopt(draft, by=board_member, decided_on=today(), effective_date=today())
    adoption.refresh_from_db()
    assert adoption.status == StepStatus.OPEN


def test_deviating_from_conditional_advice_needs_reasons(
    draft, director, gmr_of_six, gmr_member, board_member
):
    step = submit(draft, director)
    workflow.record_decision(step, by=director, decided_on=today(), outcome=Outcome.CONDITIONAL)
    consent = draft.steps.get(kind=StepKind.CONSENT)
    workflow.record_decision(consent, by=gmr_member, decided_on=today(), votes=votes_of_three())
    workflow.mark_not_applicable(
        draft.steps.get(kind=StepKind.APPROVAL), by=director, reason="n.v.t."
    )
    with pytest.raises(ValidationError, match="redenen"):
        workflow.adopt(draft, by=board_member, decided_on=today(), effective_date=today())


def test_adopting_twice_gives_one_adoption(draft, director, gmr_of_six, gmr_member, board_member):
    advance_to_adoption(draft, director, gmr_member)
    workflow.adopt(draft, by=board_member, decided_on=today(), effective_date=today())
    with pytest.raises(ValidationError):
        workflow.adopt(draft, by=board_member, decided_on=today(), effective_date=today())
    assert ProtocolVersion.objects.filter(status=Status.ADOPTED).count() == 1


def test_board_member_of_another_stichting_cannot_adopt(
    draft, director, gmr_of_six, gmr_member, outsider
):
    advance_to_adoption(draft, director, gmr_member)
    with pytest.raises(ValidationError):
        workflow.adopt(draft, by=outsider, decided_on=today(), effective_date=today())


def test_default_template_is_seed_003s_chain(school):
    steps = workflow.procedure_template(school.stichting)
    assert [(s.name, s.kind, s.may_be_not_applicable) for s in steps] == [
        ("Directeuren", StepKind.ADVICE, False),
        ("GMR", StepKind.CONSENT, False),
        ("RvT", StepKind.APPROVAL, True),
        ("Vaststelling CvB", StepKind.ADOPTION, False),
    ]


def test_add_months_keeps_the_end_of_a_month():
    assert (
        wms.add_months(date(2026, 1, 31), 1),
        wms.add_months(date(2026, 11, 30), 3),
    ) == (
        date(2026, 2, 28),
        date(2027, 2, 28),
    )


def test_role_membership_is_needed_to_draft(draft):
    user = MembershipFactory(school=draft.protocol.stichting.schools.first(), role=Role.STAFF).user
    assert workflow.may_draft(user, draft) is False


def test_council_member_seat_is_checked_per_council(draft, director, gmr_of_six):
    other = CouncilMemberFactory(council=CouncilFactory()).user
    consent = advance_to_consent(draft, director)
    assert (workflow.may_record(other, consent), CouncilMember.objects.count()) == (False, 7)


def test_adoption_cannot_be_dated_before_the_consent(
    draft, director, gmr_of_six, gmr_member, board_member
):
    advance_to_adoption(draft, director, gmr_member)
    backdate_submission(draft)
    with pytest.raises(ValidationError, match="eerdere besluiten"):
        workflow.adopt(
            draft,
            by=board_member,
            decided_on=today() - timedelta(days=1),
            effective_date=today(),
        )


def test_the_council_has_six_weeks_after_adoption_to_dispute(
    draft, director, gmr_of_six, gmr_member, board_member
):
    advance_to_adoption(draft, director, gmr_member)
    workflow.adopt(draft, by=board_member, decided_on=today(), effective_date=today())
    draft.refresh_from_db()
    assert workflow.dispute_window(draft) == today() + timedelta(weeks=6)


def test_an_imported_adoption_has_no_dispute_window_to_show(school):
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    workflow.register_adoption(
        version,
        adopted_on=date(2019, 10, 17),
        effective_date=date(2019, 10, 17),
        evaluation_date=date(2021, 10, 17),
        change_summary="Bestaand.",
    )
    version.refresh_from_db()
    assert workflow.dispute_window(version) is None
