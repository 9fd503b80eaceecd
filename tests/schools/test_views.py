from datetime import date

import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from protocols.tasks import store_adopted_pdfs
from schools.models import Council, school_year_of
from tests.factories import (
    ClassGroupFactory,
    CouncilFactory,
    CouncilMemberFactory,
    GuardianFactory,
    PupilFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    return date(today.year - years, today.month, 1 if today.day > 28 else today.day) - (
        timezone.timedelta(days=days)
    )


# --- home ---------------------------------------------------------------------------------


def test_home_redirects_anonymous_visitor_to_login(client):
    response = client.get(reverse("schools:home"))
    assert (response.status_code, response.url) == (302, "/accounts/login/?next=/")


def test_home_shows_director_their_school_and_role(client, director, school):
    client.force_login(director)
    response = client.get(reverse("schools:home"))
    assert response.context["reach"].schools == [(school, ["Directeur"])]
    assert school.name in response.content.decode()


def test_home_shows_parent_both_children_and_who_decides(client, school):
    parent = UserFactory()
    young = GuardianFactory(
        user=parent, pupil=PupilFactory(school=school, birth_date=years_ago(10))
    )
    old = GuardianFactory(user=parent, pupil=PupilFactory(school=school, birth_date=years_ago(17)))
    client.force_login(parent)
    html = client.get(reverse("schools:home")).content.decode()
    assert young.pupil.full_name in html and old.pupil.full_name in html
    assert "17 jaar: beslist zelf over toestemming voor foto’s." in html


def test_home_tells_parent_without_gezag_they_cannot_consent(client, school):
    guardian = GuardianFactory(has_gezag=False, pupil=PupilFactory(birth_date=years_ago(8)))
    client.force_login(guardian.user)
    html = client.get(reverse("schools:home")).content.decode()
    assert "8 jaar: zonder ouderlijk gezag kun je geen toestemming voor foto’s geven." in html


def test_home_shows_council_member_their_council(client, school):
    seat = CouncilMemberFactory(council=CouncilFactory(school=school, name="MR De Linde"))
    client.force_login(seat.user)
    assert "MR De Linde" in client.get(reverse("schools:home")).content.decode()


def test_home_shows_empty_task_list_as_such(client, director):
    client.force_login(director)
    assert "Er wacht niets op je." in client.get(reverse("schools:home")).content.decode()


@pytest.mark.parametrize("n", [1, 8])
def test_home_query_count_is_constant(client, school, n, django_assert_num_queries):
    parent = UserFactory()
    for _ in range(n):
        GuardianFactory(user=parent, pupil=PupilFactory(school=school))
        CouncilMemberFactory(user=parent, council=CouncilFactory(school=school))
    client.force_login(parent)
    # session, user, the five reach queries (memberships + prefetch of schools is lazy when
    # there are none, staff positions, council seats, guardianships, own pupil), and what waits:
    # two from the procedure (steps of the council, reading confirmations) and four from
    # consent (children, purposes, their answers, activity requests). Questions, evaluations,
    # staff consent and incidents are only ever for staff, so a parent's reach skips them.
    with django_assert_num_queries(9):
        client.get(reverse("schools:home"))


# --- school_detail ------------------------------------------------------------------------


def test_school_detail_shows_groups_with_pupil_counts(client, director, school, group):
    PupilFactory.create_batch(3, school=school, group=group)
    PupilFactory(school=school, group=group, leave_date=date(2022, 7, 15))  # has left
    client.force_login(director)
    response = client.get(reverse("schools:school_detail", args=[school.slug]))
    assert [(g.name, g.pupil_count) for g in response.context["groups"]] == [(group.name, 3)]


def test_school_detail_links_only_the_teachers_own_group(client, teacher, school, group):
    other = ClassGroupFactory(school=school)
    client.force_login(teacher)
    html = client.get(reverse("schools:school_detail", args=[school.slug])).content.decode()
    assert (group.get_absolute_url() in html, other.get_absolute_url() in html) == (True, False)


def test_school_detail_lists_mr_and_gmr_for_board(client, board_member, school):
    CouncilFactory(school=school, name="MR Het Anker")
    CouncilFactory(
        kind=Council.Kind.GMR, school=None, stichting=school.stichting, name="GMR Klasse"
    )
    client.force_login(board_member)
    response = client.get(reverse("schools:school_detail", args=[school.slug]))
    assert sorted(c.name for c in response.context["councils"]) == ["GMR Klasse", "MR Het Anker"]


def test_school_detail_is_404_for_outsider(client, outsider, school):
    client.force_login(outsider)
    assert client.get(reverse("schools:school_detail", args=[school.slug])).status_code == 404


def test_school_detail_is_404_for_parent_of_a_pupil_there(client, school):
    guardian = GuardianFactory(pupil=PupilFactory(school=school))
    client.force_login(guardian.user)
    assert client.get(reverse("schools:school_detail", args=[school.slug])).status_code == 404


@pytest.mark.parametrize("n", [1, 10])
def test_school_detail_query_count_is_constant(
    client, director, school, n, django_assert_num_queries
):
    year = school_year_of(timezone.localdate())
    for _ in range(n):
        group = ClassGroupFactory(school=school, school_year=year)
        PupilFactory.create_batch(2, school=school, group=group)
        CouncilMemberFactory(council=CouncilFactory(school=school))
    client.force_login(director)
    # session, user, school, groups, visible groups, councils, pupil count, may import pupils,
    # and the navigation's reach (memberships, staff, seats,
    # children, pupil).
    with django_assert_num_queries(10):
        client.get(reverse("schools:school_detail", args=[school.slug]))


# --- group_detail -------------------------------------------------------------------------


def test_group_detail_lists_pupils_and_who_gives_consent(client, teacher, school, group):
    PupilFactory(school=school, group=group, first_name="Sanne", birth_date=years_ago(11))
    PupilFactory(school=school, group=group, first_name="Daan", birth_date=years_ago(16))
    client.force_login(teacher)
    response = client.get(reverse("schools:group_detail", args=[group.pk]))
    rows = [(r["pupil"].first_name, r["pupil_decides"]) for r in response.context["pupils"]]
    assert sorted(rows) == [("Daan", True), ("Sanne", False)]


def test_group_detail_is_404_for_teacher_of_another_group(client, teacher, school):
    other = ClassGroupFactory(school=school)
    client.force_login(teacher)
    assert client.get(reverse("schools:group_detail", args=[other.pk])).status_code == 404


def test_group_detail_is_404_for_outsider(client, outsider, group):
    client.force_login(outsider)
    assert client.get(reverse("schools:group_detail", args=[group.pk])).status_code == 404


def test_group_detail_is_404_for_parent_of_pupil_in_group(client, school, group):
    guardian = GuardianFactory(pupil=PupilFactory(school=school, group=group))
    client.force_login(guardian.user)
    assert client.get(reverse("schools:group_detail", args=[group.pk])).status_code == 404


@pytest.mark.parametrize("n", [1, 12])
def test_group_detail_query_count_is_constant(
    client, teacher, school, group, n, django_assert_num_queries
):
    PupilFactory.create_batch(n, school=school, group=group)
    client.force_login(teacher)
    # session, user, group, pupils, and the navigation's reach (see above).
    with django_assert_num_queries(8):
        client.get(reverse("schools:group_detail", args=[group.pk]))


# --- public pages -------------------------------------------------------------------------


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_readyz_answers_without_login_when_the_database_does(client):
    response = client.get("/readyz")
    assert (response.status_code, response.content) == (200, b"ok\nqueued tasks: 0")


def test_readyz_counts_the_tasks_waiting_for_a_worker(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_BACKEND = "database"
    store_adopted_pdfs.enqueue(1)
    assert client.get("/readyz").content == b"ok\nqueued tasks: 1"


def test_readyz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/readyz")
    assert (response.status_code, response.content) == (503, b"database unavailable")


def test_accessibility_statement_is_public_and_dutch(client):
    response = client.get(reverse("schools:accessibility"))
    assert "Toegankelijkheidsverklaring" in response.content.decode()


def test_login_page_is_dutch_by_default(client):
    html = client.get(reverse("login")).content.decode()
    assert ('lang="nl"' in html, "Inloggen" in html) == (True, True)


def test_login_with_email_in_other_case_works(client, director):
    response = client.post(
        reverse("login"),
        {"username": director.email.upper(), "password": "correct horse battery staple"},
    )
    assert (response.status_code, response.url) == (302, reverse("schools:home"))


def test_wrong_password_shows_a_clear_error(client, director):
    response = client.post(reverse("login"), {"username": director.email, "password": "nope"})
    assert "Dit e-mailadres en wachtwoord horen niet bij een account." in response.content.decode()


def test_english_can_be_chosen(client, director):
    client.force_login(director)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Nothing is waiting for you." in client.get(reverse("schools:home")).content.decode()


def test_not_found_page_is_dutch_and_leads_home(client, outsider, school):
    client.force_login(outsider)
    html = client.get(reverse("schools:school_detail", args=[school.slug])).content.decode()
    assert ("Pagina niet gevonden" in html, reverse("schools:home") in html) == (True, True)
