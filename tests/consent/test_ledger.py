"""Writing choices and deriving the state from the ledger (DOMAIN B 18-28)."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consent import ledger
from consent.models import Capacity, Channel, ConsentEvent, TakedownTask
from consent.rules import State
from schools.models import Role
from tests.consent.conftest import BIRTHDAY_16, TODAY
from tests.factories import (
    ActivityRequestFactory,
    GuardianFactory,
    MembershipFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


def state(subject, purpose, day=TODAY):
    return ledger.state_of(subject, purpose, day)


def test_no_answer_means_no(pupil, public_purpose):
    assert state(pupil, public_purpose) == State.UNANSWERED


def test_guardian_with_gezag_gives_consent(pupil, mother, public_purpose):
    event = ledger.record_choice(
        subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY
    )
    assert (event.capacity, event.purpose_version.number, state(pupil, public_purpose)) == (
        Capacity.PARENT,
        1,
        State.JA,
    )


def test_two_guardians_one_no_wins_and_disagreement_is_shown(pupil, mother, father, public_purpose):
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY)
    ledger.record_choice(
        subject=pupil, purpose=public_purpose, choice=False, by=father, today=TODAY
    )
    assert state(pupil, public_purpose) == State.DISAGREEMENT


def test_two_guardians_one_yes_other_unanswered_is_yes(pupil, mother, father, public_purpose):
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY)
    assert state(pupil, public_purpose) == State.JA


def test_guardian_changes_own_answer_latest_counts(pupil, mother, parent_app):
    ledger.record_choice(subject=pupil, purpose=parent_app, choice=False, by=mother, today=TODAY)
    ledger.record_choice(subject=pupil, purpose=parent_app, choice=True, by=mother, today=TODAY)
    assert state(pupil, parent_app) == State.JA


def test_parent_without_gezag_cannot_decide(pupil, public_purpose):
    parent = GuardianFactory(pupil=pupil, has_gezag=False).user
    with pytest.raises(ValidationError):
        ledger.record_choice(
            subject=pupil, purpose=public_purpose, choice=True, by=parent, today=TODAY
        )


def test_guardian_who_loses_gezag_no_longer_counts(pupil, public_purpose):
    guardianship = GuardianFactory(pupil=pupil, has_gezag=True)
    ledger.record_choice(
        subject=pupil, purpose=public_purpose, choice=True, by=guardianship.user, today=TODAY
    )
    guardianship.has_gezag = False
    guardianship.save()
    assert state(pupil, public_purpose) == State.UNANSWERED


def test_stranger_cannot_decide_for_a_pupil(pupil, public_purpose, outsider):
    with pytest.raises(ValidationError):
        ledger.record_choice(
            subject=pupil, purpose=public_purpose, choice=True, by=outsider, today=TODAY
        )


def test_sixteenth_birthday_day_before_guardians_decide(teen, teen_parent, public_purpose):
    day_before = BIRTHDAY_16 - timedelta(days=1)
    ledger.record_choice(
        subject=teen, purpose=public_purpose, choice=True, by=teen_parent, today=day_before
    )
    with pytest.raises(ValidationError):
        ledger.record_choice(
            subject=teen, purpose=public_purpose, choice=True, by=teen.user, today=day_before
        )


def test_sixteenth_birthday_on_the_day_the_pupil_decides(teen, teen_parent, public_purpose):
    event = ledger.record_choice(
        subject=teen, purpose=public_purpose, choice=False, by=teen.user, today=BIRTHDAY_16
    )
    assert event.capacity == Capacity.PUPIL
    with pytest.raises(ValidationError):
        ledger.record_choice(
            subject=teen, purpose=public_purpose, choice=True, by=teen_parent, today=BIRTHDAY_16
        )


def test_sixteenth_birthday_guardians_choice_stays_until_pupil_changes_it(
    teen, teen_parent, public_purpose
):
    ledger.record_choice(
        subject=teen, purpose=public_purpose, choice=True, by=teen_parent, today=TODAY
    )
    before = state(teen, public_purpose, BIRTHDAY_16)
    ledger.record_choice(
        subject=teen, purpose=public_purpose, choice=False, by=teen.user, today=BIRTHDAY_16
    )
    assert (before, state(teen, public_purpose, BIRTHDAY_16)) == (State.JA, State.NEE)


def test_staff_sets_own_consent(colleague, staff_purpose):
    event = ledger.record_choice(
        subject=colleague, purpose=staff_purpose, choice=True, by=colleague.user, today=TODAY
    )
    assert (event.capacity, state(colleague, staff_purpose)) == (Capacity.STAFF, State.JA)


def test_staff_consent_only_by_the_staff_member_themselves(colleague, staff_purpose, director):
    with pytest.raises(ValidationError):
        ledger.record_choice(
            subject=colleague, purpose=staff_purpose, choice=True, by=director, today=TODAY
        )


def test_staff_consent_cannot_be_entered_on_paper(colleague, staff_purpose, director):
    with pytest.raises(ValidationError):
        ledger.record_choice(
            subject=colleague,
            purpose=staff_purpose,
            choice=True,
            by=director,
            channel=Channel.PAPER,
            note="Formulier in map",
            on_behalf_of=colleague.user,
            today=TODAY,
        )


def test_purpose_for_pupils_is_not_asked_of_staff(colleague, public_purpose):
    with pytest.raises(ValidationError):
        ledger.record_choice(
            subject=colleague, purpose=public_purpose, choice=True, by=colleague.user, today=TODAY
        )


def test_director_enters_paper_form_on_behalf_of_a_guardian(
    pupil, mother, director, public_purpose
):
    event = ledger.record_choice(
        subject=pupil,
        purpose=public_purpose,
        choice=True,
        by=director,
        channel=Channel.PAPER,
        note="Papieren formulier, map groep 5",
        on_behalf_of=mother,
        today=TODAY,
    )
    assert (event.given_by, event.entered_by, state(pupil, public_purpose)) == (
        mother,
        director,
        State.JA,
    )


def test_paper_form_needs_a_note(pupil, mother, director, public_purpose):
    with pytest.raises(ValidationError):
        ledger.record_choice(
            subject=pupil,
            purpose=public_purpose,
            choice=True,
            by=director,
            channel=Channel.PAPER,
            on_behalf_of=mother,
            today=TODAY,
        )


def test_teacher_cannot_enter_a_paper_form(pupil, mother, teacher, public_purpose):
    with pytest.raises(ValidationError):
        ledger.record_choice(
            subject=pupil,
            purpose=public_purpose,
            choice=True,
            by=teacher,
            channel=Channel.PAPER,
            note="Formulier",
            on_behalf_of=mother,
            today=TODAY,
        )


def test_withdrawal_creates_takedown_for_public_channel(pupil, mother, public_purpose):
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY)
    event = ledger.record_choice(
        subject=pupil, purpose=public_purpose, choice=False, by=mother, today=TODAY
    )
    task = TakedownTask.objects.get()
    assert (task.event, task.pupil, task.school, task.due_on) == (
        event,
        pupil,
        pupil.school,
        TODAY + timedelta(days=ledger.TAKEDOWN_DAYS),
    )


def test_withdrawal_by_one_of_two_guardians_creates_takedown(pupil, mother, father, public_purpose):
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY)
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=father, today=TODAY)
    ledger.record_choice(
        subject=pupil, purpose=public_purpose, choice=False, by=father, today=TODAY
    )
    assert TakedownTask.objects.count() == 1


def test_withdrawal_for_authenticated_channel_creates_no_takedown(pupil, mother, parent_app):
    ledger.record_choice(subject=pupil, purpose=parent_app, choice=True, by=mother, today=TODAY)
    ledger.record_choice(subject=pupil, purpose=parent_app, choice=False, by=mother, today=TODAY)
    assert TakedownTask.objects.count() == 0


def test_first_no_is_not_a_withdrawal(pupil, mother, public_purpose):
    ledger.record_choice(
        subject=pupil, purpose=public_purpose, choice=False, by=mother, today=TODAY
    )
    assert TakedownTask.objects.count() == 0


def test_re_consent_after_material_change_old_answers_no_longer_count(
    pupil, mother, public_purpose, director
):
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY)
    ledger.change_purpose_text(
        public_purpose, text="Nu ook op Instagram.", material=True, by=director
    )
    assert state(pupil, public_purpose) == State.UNANSWERED


def test_editorial_change_keeps_earlier_answers(pupil, mother, public_purpose, director):
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY)
    ledger.change_purpose_text(
        public_purpose, text="Foto's en video's op de website.", material=False, by=director
    )
    assert state(pupil, public_purpose) == State.JA


def test_answer_after_material_change_is_on_the_new_text(pupil, mother, public_purpose, director):
    ledger.change_purpose_text(public_purpose, text="Nieuwe tekst.", material=True, by=director)
    event = ledger.record_choice(
        subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY
    )
    assert (event.purpose_version.number, state(pupil, public_purpose)) == (2, State.JA)


def test_receipt_is_mailed_after_commit(
    pupil, mother, public_purpose, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ledger.record_choice(
            subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY
        )
    assert [m.to for m in mailoutbox] == [[mother.email]]


def test_history_lists_every_event_with_its_text(pupil, mother, public_purpose, director):
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY)
    ledger.change_purpose_text(public_purpose, text="Nieuwe tekst.", material=True, by=director)
    ledger.record_choice(
        subject=pupil, purpose=public_purpose, choice=False, by=mother, today=TODAY
    )
    assert [(e.choice, e.purpose_version.text) for e in ledger.history(pupil)] == [
        (True, "Foto's en video's op de openbare website van de school."),
        (False, "Nieuwe tekst."),
    ]


def test_coverage_counts_per_school_and_purpose(school, group, public_purpose):
    from tests.factories import PupilFactory

    yes, no, silent, split = PupilFactory.create_batch(4, school=school, group=group)
    for pupil, choices in [(yes, [True]), (no, [False]), (split, [True, False])]:
        for choice in choices:
            ledger.record_choice(
                subject=pupil,
                purpose=public_purpose,
                choice=choice,
                by=GuardianFactory(pupil=pupil).user,
                today=TODAY,
            )
    assert ledger.coverage(school, TODAY)[(school.pk, public_purpose.pk)] == {
        State.JA: 1,
        State.NEE: 1,
        State.UNANSWERED: 1,
        State.DISAGREEMENT: 1,
    }


def test_coverage_keeps_schools_purposes_and_who_decides_apart(
    school, group, teen, teen_parent, public_purpose
):
    from tests.factories import ClassGroupFactory, PupilFactory, SchoolFactory

    sister = SchoolFactory(stichting=school.stichting)
    own = ledger.create_purpose(
        stichting=school.stichting,
        school=school,
        name="Schoolkrant",
        slug="krant",
        text="Krant.",
        by=None,
    )
    child = PupilFactory(school=school, group=group, birth_date=date(2017, 5, 1))
    sister_child = PupilFactory(school=sister, group=ClassGroupFactory(school=sister))
    for pupil in (teen, child, sister_child):  # every parent says ja
        parent = teen_parent if pupil == teen else GuardianFactory(pupil=pupil).user
        ledger.record_choice(
            subject=pupil, purpose=public_purpose, choice=True, by=parent, today=TODAY
        )
    # From 16 the pupil's own nee counts, whatever the parent said.
    ledger.record_choice(
        subject=teen, purpose=public_purpose, choice=False, by=teen.user, today=BIRTHDAY_16
    )
    found = ledger.coverage([school.pk, sister.pk], BIRTHDAY_16)
    shown = {key: {state: n for state, n in counts.items() if n} for key, counts in found.items()}
    assert shown == {
        (school.pk, public_purpose.pk): {State.JA: 1, State.NEE: 1},
        (school.pk, own.pk): {State.UNANSWERED: 2},
        (sister.pk, public_purpose.pk): {State.JA: 1},
    }


def test_refusals_lists_who_may_not_be_shown(pupil, mother, school, group, public_purpose):
    from tests.factories import PupilFactory

    other = PupilFactory(school=school, group=group)
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY)
    assert ledger.refusals(school, public_purpose, TODAY) == [(other, State.UNANSWERED)]


def test_may_publish_is_no_when_one_pupil_lacks_consent(pupil, mother, school, public_purpose):
    from schools.models import Pupil
    from tests.factories import PupilFactory

    other = PupilFactory(school=school)
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY)
    verdict, states = ledger.may_publish(
        Pupil.objects.filter(pk__in=[pupil.pk, other.pk]), public_purpose, TODAY
    )
    assert (verdict, states) == (False, {pupil.pk: State.JA, other.pk: State.UNANSWERED})


def test_events_ordered_by_time_not_by_id(pupil, mother, public_purpose):
    # An import may bring older choices after newer ones: the latest in time counts.
    version = public_purpose.versions.get()
    common = dict(pupil=pupil, purpose=public_purpose, purpose_version=version, given_by=mother)
    ConsentEvent.objects.create(**common, choice=True, capacity=Capacity.PARENT)
    ConsentEvent.objects.create(
        **common,
        choice=False,
        capacity=Capacity.PARENT,
        channel=Channel.IMPORT,
        created_at=timezone.make_aware(datetime(2020, 1, 1)),
    )
    assert state(pupil, public_purpose) == State.JA


def test_activity_answer_by_guardian(pupil, mother, school):
    request = ActivityRequestFactory(school=school, pupils=[pupil], deadline=date(2026, 5, 1))
    ledger.record_activity_answer(request=request, pupil=pupil, choice=True, by=mother, today=TODAY)
    assert ledger.activity_answers(request, TODAY) == {pupil.pk: State.JA}


def test_activity_no_answer_after_deadline_is_no(pupil, school, group):
    request = ActivityRequestFactory(school=school, deadline=date(2026, 5, 1))
    request.groups.set([group])
    assert (
        ledger.activity_answers(request, date(2026, 5, 1)),
        ledger.activity_answers(request, date(2026, 5, 2)),
    ) == ({pupil.pk: State.UNANSWERED}, {pupil.pk: State.NEE})


def test_activity_answer_refused_after_deadline(pupil, mother, school):
    request = ActivityRequestFactory(school=school, pupils=[pupil], deadline=date(2026, 5, 1))
    with pytest.raises(ValidationError):
        ledger.record_activity_answer(
            request=request, pupil=pupil, choice=True, by=mother, today=date(2026, 5, 2)
        )


def test_activity_answer_only_for_a_pupil_asked(pupil, mother, school):
    request = ActivityRequestFactory(school=school, deadline=date(2026, 5, 1))
    with pytest.raises(ValidationError):
        ledger.record_activity_answer(
            request=request, pupil=pupil, choice=True, by=mother, today=TODAY
        )


def test_policy_is_created_with_defaults(school):
    policy = ledger.policy_for(school.stichting)
    assert (policy.retention_years, policy.ask_again_at_16) == (2, False)


def test_board_member_can_enter_paper_form(pupil, mother, public_purpose):
    board = MembershipFactory(role=Role.BOARD, school=None, stichting=pupil.school.stichting).user
    event = ledger.record_choice(
        subject=pupil,
        purpose=public_purpose,
        choice=False,
        by=board,
        channel=Channel.PAPER,
        note="Brief van moeder",
        on_behalf_of=mother,
        today=TODAY,
    )
    assert event.entered_by == board


def test_staff_member_of_two_schools_has_consent_per_school(school, staff_purpose):
    position = StaffFactory(school=school)
    ledger.record_choice(
        subject=position, purpose=staff_purpose, choice=True, by=position.user, today=TODAY
    )
    assert ledger.states_for_staff(
        position.__class__.objects.filter(pk=position.pk), [staff_purpose]
    ) == {(position.pk, staff_purpose.pk): State.JA}


def test_nobody_in_scope_has_no_states(pupil, mother, public_purpose):
    # A staff member's home asks for their own consent through a list of ids, which can be
    # empty: the counts must be empty, not an error.
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother, today=TODAY)
    assert (
        ledger.states_for_pupils([], [public_purpose], TODAY),
        ledger._event_counts([], [public_purpose], subject="staff"),
        state(pupil, public_purpose),
    ) == ({}, {}, State.JA)
