"""Importing pupils into a school (schools/pupil_import.py): plan, write, invite.

Pupils match on leerlingnummer and accounts on e-mail ignoring case, so a re-import updates
and never duplicates; one bad row writes nothing; new accounts are invited once a day at most.
"""

from datetime import date, timedelta

import pytest
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.utils import timezone

from schools.models import ClassGroup, Guardian, Notice, Pupil, User
from schools.pupil_import import (
    ImportRefused,
    import_pupils,
    invite,
    make_plan,
    parse,
    pending_accounts,
)
from tests.factories import (
    ClassGroupFactory,
    GuardianFactory,
    PupilFactory,
    SchoolFactory,
    UserFactory,
)
from tests.schools.pupil_csv import csv_bytes, pupil

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


def run(school, rows, *, today=TODAY, confirm_left=False, **kwargs):
    parsed = parse(csv_bytes(rows, **kwargs), today=today)
    return import_pupils(parsed, school=school, today=today, confirm_left=confirm_left)


def plan_for(school, rows, *, today=TODAY):
    return make_plan(parse(csv_bytes(rows), today=today), school=school, today=today)


# --- new pupils ---------------------------------------------------------------------------


def test_import_creates_pupil_group_account_and_guardian(school):
    _plan, summary = run(school, [pupil()])
    created = Pupil.objects.get(school=school)
    guardian = Guardian.objects.get(pupil=created)
    assert (
        (summary.new, summary.groups_created, summary.accounts_created),
        (created.number, created.full_name, created.birth_date, created.start_date),
        (str(created.group), guardian.user.email, guardian.has_gezag),
        guardian.user.has_usable_password(),
    ) == (
        (1, 1, 1),
        ("1001", "Daan de Vries", date(2017, 5, 1), TODAY),
        ("Groep 5 (2026-2027)", "ouder1001@example.org", True),
        False,
    )


def test_import_names_a_new_account_after_the_guardian(school):
    run(school, [pupil(ouder1_naam="Petra de Vries")])
    user = User.objects.get(email="ouder1001@example.org")
    assert (user.first_name, user.last_name) == ("Petra", "de Vries")


def test_import_uses_an_existing_group_of_this_school_year_ignoring_case(school):
    group = ClassGroupFactory(school=school, name="Groep 5", school_year="2026-2027")
    plan, summary = run(school, [pupil(groep="groep 5")])
    assert (summary.groups_created, Pupil.objects.get().group) == (0, group)


def test_import_creates_a_group_for_the_current_school_year_only(school):
    ClassGroupFactory(school=school, name="Groep 5", school_year="2025-2026")
    run(school, [pupil()])
    assert sorted(ClassGroup.objects.values_list("school_year", flat=True)) == [
        "2025-2026",
        "2026-2027",
    ]


def test_import_matches_an_existing_account_by_email_ignoring_case(school):
    parent = UserFactory(email="Petra.DeVries@Example.org")
    _plan, summary = run(school, [pupil(ouder1_email="petra.devries@example.org")])
    assert (summary.accounts_created, User.objects.count(), Guardian.objects.get().user) == (
        0,
        1,
        parent,
    )


def test_import_never_changes_an_existing_accounts_password_or_name(school):
    parent = UserFactory(email="petra@example.org", first_name="P.")
    run(school, [pupil(ouder1_email="petra@example.org", ouder1_naam="Petra de Vries")])
    parent.refresh_from_db()
    assert (parent.first_name, parent.has_usable_password()) == ("P.", True)


def test_import_creates_one_account_for_a_parent_of_two_pupils(school):
    email = "ouder@example.org"
    _plan, summary = run(school, [pupil("1", ouder1_email=email), pupil("2", ouder1_email=email)])
    assert (summary.accounts_created, Guardian.objects.filter(user__email=email).count()) == (1, 2)


def test_import_gives_a_pupil_of_16_their_own_account(school):
    run(school, [pupil(geboortedatum="01-01-2010", leerling_email="Daan@School.nl")])
    assert Pupil.objects.get().user.email == "daan@school.nl"


def test_import_gives_a_pupil_under_16_no_account(school):
    _plan, summary = run(school, [pupil(geboortedatum="02-12-2010", leerling_email="d@school.nl")])
    assert (summary.accounts_created, Pupil.objects.get().user) == (1, None)


def test_import_refuses_a_pupil_email_that_is_another_pupils_account(school):
    other = PupilFactory(school=SchoolFactory(), user=UserFactory(email="d@school.nl"))
    plan = plan_for(school, [pupil(geboortedatum="01-01-2010", leerling_email="D@school.nl")])
    assert ([(e.row, e.code) for e in plan.errors], other.user.email) == (
        [(2, "email_taken")],
        "d@school.nl",
    )


# --- one transaction ----------------------------------------------------------------------


def test_one_bad_row_writes_nothing(school):
    rows = [pupil("1"), pupil("2", geboortedatum="31-02-2017"), pupil("3")]
    with pytest.raises(ImportRefused) as refused:
        run(school, rows)
    assert (
        [(e.row, e.code) for e in refused.value.plan.errors],
        Pupil.objects.count(),
        User.objects.count(),
        ClassGroup.objects.count(),
    ) == ([(3, "bad_date")], 0, 0, 0)


def test_a_row_the_database_refuses_writes_nothing(school):
    PupilFactory(school=SchoolFactory(), user=UserFactory(email="d@school.nl"))
    rows = [pupil("1"), pupil("2", geboortedatum="01-01-2010", leerling_email="d@school.nl")]
    with pytest.raises(ImportRefused):
        run(school, rows)
    assert Pupil.objects.filter(school=school).count() == 0


def test_import_refuses_a_plan_other_than_the_one_checked(school):
    parsed = parse(csv_bytes([pupil()]), today=TODAY)
    with pytest.raises(ImportRefused):
        import_pupils(parsed, school=school, today=TODAY, expected="an older preview")
    assert Pupil.objects.count() == 0


def test_import_accepts_the_plan_that_was_checked(school):
    parsed = parse(csv_bytes([pupil()]), today=TODAY)
    expected = make_plan(parsed, school=school, today=TODAY).fingerprint()
    import_pupils(parsed, school=school, today=TODAY, expected=expected)
    assert Pupil.objects.count() == 1


# --- re-import ----------------------------------------------------------------------------


def test_reimport_changes_nothing(school):
    rows = [
        pupil("1"),
        pupil("2", ouder2_naam="K", ouder2_email="k@example.org", ouder2_gezag="nee"),
    ]
    run(school, rows)
    before = (Pupil.objects.count(), User.objects.count(), Guardian.objects.count())
    plan, summary = run(school, rows)
    after = (Pupil.objects.count(), User.objects.count(), Guardian.objects.count())
    assert (summary.new, summary.changed, summary.unchanged, summary.accounts_created) == (
        0,
        0,
        2,
        0,
    )
    assert before == after


def test_reimport_updates_the_pupil_with_the_same_number(school):
    run(school, [pupil("1")])
    plan, _summary = run(school, [pupil("1", voornaam="Daniël", groep="Groep 6")])
    updated = Pupil.objects.get()
    assert (
        [(c.what, c.old, c.new) for c in plan.changed[0].changes],
        (updated.first_name, updated.group.name, Pupil.objects.count()),
    ) == (
        [("voornaam", "Daan", "Daniël"), ("groep", "Groep 5 (2026-2027)", "Groep 6 (2026-2027)")],
        ("Daniël", "Groep 6", 1),
    )


def test_reimport_moves_pupils_to_the_new_school_years_groups(school):
    run(school, [pupil("1")], today=date(2026, 7, 1))
    plan, _summary = run(school, [pupil("1", groep="Groep 6")], today=date(2026, 8, 20))
    assert (len(plan.changed), str(Pupil.objects.get().group)) == (1, "Groep 6 (2026-2027)")


def test_reimport_changes_gezag(school):
    run(school, [pupil("1", ouder1_gezag="ja")])
    run(school, [pupil("1", ouder1_gezag="nee")])
    assert Guardian.objects.get().has_gezag is False


def test_reimport_removes_a_guardian_the_file_no_longer_lists(school):
    two = {"ouder2_naam": "Karim", "ouder2_email": "k@example.org", "ouder2_gezag": "ja"}
    run(school, [pupil("1", **two)])
    plan, _summary = run(school, [pupil("1")])
    assert (
        [(c.old, c.new) for c in plan.changed[0].changes],
        list(Guardian.objects.values_list("user__email", flat=True)),
        User.objects.filter(email="k@example.org").exists(),
    ) == ([("k@example.org", "—")], ["ouder1@example.org"], True)


def test_first_import_numbers_pupils_entered_by_hand_instead_of_duplicating(school):
    existing = PupilFactory(
        school=school, first_name="Daan", last_name="de Vries", birth_date=date(2017, 5, 1)
    )
    plan, summary = run(school, [pupil("1001")])
    existing.refresh_from_db()
    assert ((summary.new, summary.changed), existing.number, Pupil.objects.count()) == (
        (0, 1),
        "1001",
        1,
    )


def test_numbers_do_not_match_across_schools(school):
    PupilFactory(school=SchoolFactory(), number="1001")
    _plan, summary = run(school, [pupil("1001")])
    assert summary.new == 1


# --- left ---------------------------------------------------------------------------------


def test_a_pupil_missing_from_the_file_is_only_listed_without_confirmation(school):
    gone = PupilFactory(school=school, number="9")
    plan, summary = run(school, [pupil("1")])
    gone.refresh_from_db()
    assert (plan.left, summary.left, summary.left_unconfirmed, gone.leave_date) == (
        [gone],
        0,
        1,
        None,
    )


def test_a_pupil_missing_from_the_file_is_marked_left_today_when_confirmed(school):
    gone = PupilFactory(school=school, number="9")
    _plan, summary = run(school, [pupil("1")], confirm_left=True)
    gone.refresh_from_db()
    assert (summary.left, gone.leave_date) == (1, TODAY)


def test_a_pupil_who_left_earlier_is_not_listed_as_leaving_again(school):
    PupilFactory(school=school, number="9", leave_date=date(2025, 7, 1))
    assert plan_for(school, [pupil("1")]).left == []


def test_a_pupil_back_in_the_file_is_enrolled_again(school):
    back = PupilFactory(school=school, number="1001", leave_date=date(2025, 7, 1))
    run(school, [pupil("1001")])
    back.refresh_from_db()
    assert back.leave_date is None


def test_pupils_of_another_school_are_never_left(school):
    PupilFactory(school=SchoolFactory(), number="9")
    assert plan_for(school, [pupil("1")]).left == []


# --- invitations --------------------------------------------------------------------------


def test_new_accounts_are_invited_after_the_commit(
    school, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="known@example.org")
    rows = [pupil("1"), pupil("2", ouder1_email="KNOWN@example.org")]
    with django_capture_on_commit_callbacks(execute=True):
        run(school, rows)
    assert [m.to for m in mailoutbox] == [["ouder1@example.org"]]


def test_an_invitation_holds_a_link_to_choose_a_password(school, mailoutbox):
    user = UserFactory(password=None)
    invite(user, school=school, today=TODAY)
    [mail] = mailoutbox
    assert ("/accounts/activeren/" in mail.body, school.name in mail.subject) == (True, True)


def test_an_account_is_invited_at_most_once_a_day(school, mailoutbox):
    user = UserFactory(password=None)
    sent = [
        invite(user, school=school, today=TODAY),
        invite(user, school=school, today=TODAY),
        invite(user, school=school, today=TODAY + timedelta(days=1)),
    ]
    assert (sent, len(mailoutbox), Notice.objects.count()) == ([True, False, True], 2, 2)


def test_pending_accounts_are_the_schools_parents_and_pupils_without_a_password(school):
    waiting = GuardianFactory(pupil=PupilFactory(school=school), user=UserFactory(password=None))
    GuardianFactory(pupil=PupilFactory(school=school))  # chose a password
    GuardianFactory(pupil=PupilFactory(school=SchoolFactory()), user=UserFactory(password=None))
    own = PupilFactory(school=school, user=UserFactory(password=None)).user
    assert set(pending_accounts(school, today=TODAY)) == {waiting.user, own}


def test_an_account_that_logged_in_is_not_pending(school):
    user = UserFactory(password=None, last_login=timezone.now())
    GuardianFactory(pupil=PupilFactory(school=school), user=user)
    assert list(pending_accounts(school, today=TODAY)) == []


def test_accounts_made_by_the_import_have_an_unusable_password(school):
    run(school, [pupil()])
    assert User.objects.get().password.startswith(UNUSABLE_PASSWORD_PREFIX)


# --- queries ------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 25])
def test_make_plan_query_count_is_constant(school, n, django_assert_num_queries):
    run(school, [pupil(str(i)) for i in range(n)])
    rows = [pupil(str(i), voornaam="Anders") for i in range(n)] + [pupil("new")]
    parsed = parse(csv_bytes(rows), today=TODAY)
    # pupils, groups, accounts by e-mail, guardian links
    with django_assert_num_queries(4):
        make_plan(parsed, school=school, today=TODAY)
