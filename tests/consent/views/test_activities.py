"""Activity requests: the school asks per event, whoever decides answers per child."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consent import ledger
from consent.models import ActivityAnswer, ActivityRequest
from tests.factories import (
    ActivityRequestFactory,
    ClassGroupFactory,
    GuardianFactory,
    PupilFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def in_days(n):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def trip(school, group, pupil):
    request = ActivityRequestFactory(school=school, title="Schoolreis", deadline=in_days(10))
    request.groups.set([group])
    return request


def answers():
    return list(ActivityAnswer.objects.values_list("pupil", "choice", "given_by"))


# --- activity_list --------------------------------------------------------------------------


def test_activity_list_shows_the_schools_requests(client, teacher, school, trip):
    client.force_login(teacher)
    page = client.get(reverse("consent:activity_list", args=[school.slug])).content.decode()
    assert (
        "Schoolreis" in page,
        reverse("consent:activity_create", args=[school.slug]) in page,
    ) == (
        True,
        False,
    )


def test_activity_list_director_may_create(client, director, school):
    client.force_login(director)
    page = client.get(reverse("consent:activity_list", args=[school.slug])).content.decode()
    assert reverse("consent:activity_create", args=[school.slug]) in page


@pytest.mark.parametrize("who", ["outsider", "mother"])
def test_activity_list_is_404_for_outsider(client, school, trip, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("consent:activity_list", args=[school.slug])).status_code == 404


# --- activity_create ------------------------------------------------------------------------


def test_activity_create_asks_groups_and_pupils(client, director, school, group, pupil):
    other = PupilFactory(school=school)
    client.force_login(director)
    response = client.post(
        reverse("consent:activity_create", args=[school.slug]),
        {
            "title": "Musical in de Lindenberg",
            "text": "Mag je kind meedoen en gefilmd worden?",
            "deadline": in_days(14).isoformat(),
            "groups": [group.pk],
            "pupils": [other.pk],
        },
    )
    activity = ActivityRequest.objects.get()
    assert response.url == reverse("consent:activity_detail", args=[activity.pk])
    assert (activity.school, activity.created_by, set(activity.asked_pupils())) == (
        school,
        director,
        {pupil, other},
    )


def test_activity_create_offers_only_the_schools_groups(client, director, school):
    elsewhere = ClassGroupFactory()
    client.force_login(director)
    client.post(
        reverse("consent:activity_create", args=[school.slug]),
        {
            "title": "Trip",
            "text": "x",
            "deadline": in_days(3).isoformat(),
            "groups": [elsewhere.pk],
        },
    )
    assert ActivityRequest.objects.count() == 0


def test_activity_create_needs_a_group_or_pupil(client, director, school):
    client.force_login(director)
    response = client.post(
        reverse("consent:activity_create", args=[school.slug]),
        {"title": "Trip", "text": "x", "deadline": in_days(3).isoformat()},
    )
    assert (ActivityRequest.objects.count(), "groep of leerling" in response.content.decode()) == (
        0,
        True,
    )


@pytest.mark.parametrize("who", ["outsider", "teacher", "mother"])
def test_activity_create_is_404_for_outsider(client, school, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("consent:activity_create", args=[school.slug])).status_code == 404


# --- activity_detail ------------------------------------------------------------------------


def test_activity_detail_shows_answers_and_who_has_not_answered(
    client, director, school, group, trip, pupil, mother
):
    quiet = PupilFactory(school=school, group=group, first_name="Stil")
    ledger.record_activity_answer(request=trip, pupil=pupil, choice=True, by=mother)
    client.force_login(director)
    page = client.get(reverse("consent:activity_detail", args=[trip.pk])).content.decode()
    waiting = page[page.index('id="waiting-heading"') :]
    waiting = waiting[: waiting.index("</section>")]
    assert 'data-state="ja">1<' in page and 'data-state="unanswered">1<' in page
    assert (quiet.full_name in waiting, pupil.full_name in waiting) == (True, False)


def test_activity_detail_after_the_deadline_no_answer_is_nee(client, director, school, group):
    PupilFactory(school=school, group=group)
    closed = ActivityRequestFactory(school=school, deadline=in_days(-1))
    closed.groups.set([group])
    client.force_login(director)
    page = client.get(reverse("consent:activity_detail", args=[closed.pk])).content.decode()
    assert ('data-state="nee">1<' in page, 'data-state="unanswered">0<' in page) == (True, True)


def test_activity_detail_teacher_of_another_group_sees_no_pupil(client, school, trip, pupil):
    user = UserFactory()
    StaffFactory(user=user, school=school, groups=[ClassGroupFactory(school=school)])
    client.force_login(user)
    page = client.get(reverse("consent:activity_detail", args=[trip.pk])).content.decode()
    assert pupil.full_name not in page


@pytest.mark.parametrize("who", ["outsider", "mother"])
def test_activity_detail_is_404_for_outsider(client, trip, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("consent:activity_detail", args=[trip.pk])).status_code == 404


# --- activity_answer ------------------------------------------------------------------------


def test_activity_answer_records_per_child_with_receipt(
    client, trip, pupil, mother, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(mother)
    url = reverse("consent:activity_answer", args=[trip.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {f"pupil_{pupil.pk}": "ja"}, follow=True)
    assert answers() == [(pupil.pk, True, mother.pk)]
    assert "Je keuzes zijn opgeslagen" in response.content.decode()
    assert [m.to for m in mailoutbox] == [[mother.email]]


def test_activity_answer_has_no_default_and_records_nothing_twice(client, trip, pupil, mother):
    client.force_login(mother)
    url = reverse("consent:activity_answer", args=[trip.pk])
    assert " checked" not in client.get(url).content.decode()
    client.post(url, {f"pupil_{pupil.pk}": "nee"})
    client.post(url, {f"pupil_{pupil.pk}": "nee"})
    assert answers() == [(pupil.pk, False, mother.pk)]


def test_activity_answer_refused_after_the_deadline(client, school, group, pupil, mother):
    closed = ActivityRequestFactory(school=school, pupils=[pupil], deadline=in_days(-1))
    client.force_login(mother)
    url = reverse("consent:activity_answer", args=[closed.pk])
    assert 'type="radio"' not in client.get(url).content.decode()
    client.post(url, {f"pupil_{pupil.pk}": "ja"})
    assert answers() == []


def test_activity_answer_pupil_of_sixteen_answers_personally(client, school):
    today = timezone.localdate()
    own = PupilFactory(
        school=school, birth_date=today.replace(year=today.year - 16), user=UserFactory()
    )
    activity = ActivityRequestFactory(school=school, pupils=[own], deadline=in_days(5))
    client.force_login(own.user)
    client.post(reverse("consent:activity_answer", args=[activity.pk]), {f"pupil_{own.pk}": "ja"})
    assert answers() == [(own.pk, True, own.user.pk)]


@pytest.mark.parametrize("who", ["outsider", "other_parent", "no_gezag", "director"])
def test_activity_answer_is_404_for_outsider(client, school, trip, pupil, who, request):
    if who == "other_parent":
        user = GuardianFactory(pupil=PupilFactory(school=school)).user
    elif who == "no_gezag":
        user = GuardianFactory(pupil=pupil, has_gezag=False).user
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    url = reverse("consent:activity_answer", args=[trip.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {f"pupil_{pupil.pk}": "ja"}).status_code == 404
    assert answers() == []


def test_activity_answer_board_member_of_school_is_not_a_parent(client, board_member, trip):
    # The board sees the request on the school's side, not here.
    client.force_login(board_member)
    assert client.get(reverse("consent:activity_answer", args=[trip.pk])).status_code == 404
