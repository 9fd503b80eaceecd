"""The pure consent rules: who decides, and how answers combine. No database."""

from datetime import date

import pytest

from consent.rules import (
    Decider,
    State,
    combine,
    deciders_on,
    guardians_state,
    may_decide,
    sixteenth_birthday,
)


@pytest.mark.parametrize(
    "day, expected",
    [(date(2026, 3, 13), Decider.GUARDIANS), (date(2026, 3, 14), Decider.PUPIL)],
)
def test_pupil_decides_from_the_sixteenth_birthday_itself(day, expected):
    assert deciders_on(birth_date=date(2010, 3, 14), day=day) == expected


def test_staff_member_decides_for_themselves():
    assert deciders_on(birth_date=None, day=date(2026, 3, 14)) == Decider.STAFF_MEMBER


def test_sixteenth_birthday_is_the_same_date_sixteen_years_on():
    assert sixteenth_birthday(date(2008, 2, 29)) == date(2024, 2, 29)
    assert sixteenth_birthday(date(2011, 2, 28)) == date(2027, 2, 28)


def test_parent_without_gezag_cannot_decide():
    assert may_decide(Decider.GUARDIANS, is_subject=False, has_gezag=False) is False


def test_parent_with_gezag_decides_under_16():
    assert may_decide(Decider.GUARDIANS, is_subject=False, has_gezag=True) is True


def test_pupil_under_16_cannot_decide_for_themselves():
    assert may_decide(Decider.GUARDIANS, is_subject=True, has_gezag=False) is False


def test_parent_cannot_decide_for_pupil_of_16():
    assert may_decide(Decider.PUPIL, is_subject=False, has_gezag=True) is False


def test_staff_only_for_themselves():
    assert (
        may_decide(Decider.STAFF_MEMBER, is_subject=True),
        may_decide(Decider.STAFF_MEMBER, is_subject=False),
    ) == (True, False)


def test_no_answer_is_unanswered_and_counts_as_no():
    state = guardians_state([])
    assert (state, state.allows) == (State.UNANSWERED, False)


def test_two_guardians_one_no_wins_and_shows_disagreement():
    state = guardians_state([True, False])
    assert (state, state.allows) == (State.DISAGREEMENT, False)


def test_one_guardian_yes_and_the_other_unanswered_is_yes():
    assert guardians_state([True]) == State.JA


def test_two_guardians_no_is_no_without_disagreement():
    assert guardians_state([False, False]) == State.NEE


def test_from_16_the_pupils_own_answer_counts_over_the_guardians():
    assert combine(guardian_choices=[True], pupil_choice=False, pupil_decides=True) == State.NEE


def test_from_16_the_guardians_earlier_choice_stays_until_the_pupil_answers():
    assert combine(guardian_choices=[True], pupil_choice=None, pupil_decides=True) == State.JA


def test_only_ja_allows_publishing():
    assert [s for s in State if s.allows] == [State.JA]
