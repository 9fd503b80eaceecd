"""Staff confirm reading an adopted version ("gelezen en begrepen"); directors follow it up."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from protocols import acknowledgements, workflow
from protocols.models import Acknowledgement, ProtocolVersion
from protocols.views import record as views_record
from schools import access
from schools.models import Role
from tests.factories import (
    MembershipFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    SchoolFactory,
    SectionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def adopt(version, *, is_editorial=False):
    version.is_editorial = is_editorial
    version.save(update_fields=["is_editorial"])
    workflow.register_adoption(
        version,
        adopted_on=date(2026, 2, 23),
        effective_date=date(2026, 2, 23),
        evaluation_date=date(2028, 2, 23),
        change_summary="Vastgesteld.",
    )
    version.refresh_from_db()
    return version


@pytest.fixture
def version(school):
    """An adopted board-wide protocol that applies to `school` only."""
    protocol = ProtocolFactory(stichting=school.stichting)
    protocol.applies_to.set([school])
    draft = ProtocolVersionFactory(protocol=protocol)
    SectionFactory(version=draft, heading="Foto's", body="Geen beelden zonder toestemming.")
    return adopt(draft)


def staff(school, **kwargs):
    return StaffFactory(school=school, **kwargs).user


def asked(version):
    return set(version.acknowledgements.values_list("user", "school"))


# --- request --------------------------------------------------------------------------------


def test_request_asks_current_staff_of_covered_schools_only(school, version):
    current = staff(school)
    leaving = staff(school, end_date=timezone.localdate() + timedelta(days=30))
    staff(school, end_date=date(2024, 7, 31))  # left
    staff(SchoolFactory(stichting=school.stichting))  # a school the protocol does not cover
    acknowledgements.request(version)
    assert asked(version) == {(current.pk, school.pk), (leaving.pk, school.pk)}


def test_request_twice_asks_nobody_twice(school, version):
    staff(school)
    first = acknowledgements.request(version)
    assert (first, acknowledgements.request(version), len(asked(version))) == (1, 0, 1)


def test_request_for_an_editorial_change_asks_nobody(school):
    staff(school)
    draft = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    version = adopt(draft, is_editorial=True)
    assert (acknowledgements.request(version), asked(version)) == (0, set())


def test_request_for_a_draft_is_refused(school):
    draft = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    with pytest.raises(ValueError):
        acknowledgements.request(draft)


def test_request_covers_every_school_of_a_board_wide_protocol_without_applies_to(school):
    sibling = SchoolFactory(stichting=school.stichting)
    here, there = staff(school), staff(sibling)
    version = adopt(ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting)))
    acknowledgements.request(version)
    assert asked(version) == {(here.pk, school.pk), (there.pk, sibling.pk)}


# --- confirm ----------------------------------------------------------------------------------


def test_confirm_records_the_time(school, version):
    user = staff(school)
    acknowledgements.request(version)
    acknowledgement = acknowledgements.confirm(version, user)
    assert acknowledgement.confirmed_at is not None


def test_confirming_twice_keeps_the_first_time(school, version):
    user = staff(school)
    acknowledgements.request(version)
    first = acknowledgements.confirm(version, user).confirmed_at
    again = acknowledgements.confirm(version, user).confirmed_at
    assert again == first


def test_confirm_without_being_asked_is_refused(school, version):
    with pytest.raises(ValidationError):
        acknowledgements.confirm(version, staff(school))


# --- remind ----------------------------------------------------------------------------------


@pytest.fixture
def asked_staff(school, version):
    """Two staff members asked to confirm; the first has, the second has not."""
    done, pending = staff(school), staff(school)
    acknowledgements.request(version)
    acknowledgements.confirm(version, done)
    return done, pending


def test_remind_mails_only_the_unconfirmed_of_that_school(
    school, version, asked_staff, director, mailoutbox
):
    _done, pending = asked_staff
    sent = acknowledgements.remind(version, school, by=director)
    assert (sent, [m.to for m in mailoutbox]) == (1, [[pending.email]])


def test_reminder_is_dutch_and_links_to_the_confirm_page(
    school, version, asked_staff, director, mailoutbox, settings
):
    acknowledgements.remind(version, school, by=director)
    (mail,) = mailoutbox
    url = settings.PORTAL_URL + reverse("protocols:acknowledgement_confirm", args=[version.pk])
    assert (mail.subject.startswith("Herinnering: bevestig dat je"), url in mail.body) == (
        True,
        True,
    )


def test_remind_records_when_it_reminded(school, version, asked_staff, director):
    done, pending = asked_staff
    acknowledgements.remind(version, school, by=director)
    reminded = dict(version.acknowledgements.values_list("user", "reminded_at"))
    assert (reminded[done.pk] is None, reminded[pending.pk] is not None) == (True, True)


def test_remind_skips_staff_who_have_left(school, version, director, mailoutbox):
    leaver = StaffFactory(school=school)
    acknowledgements.request(version)
    leaver.end_date = date(2024, 7, 31)
    leaver.save()
    assert (acknowledgements.remind(version, school, by=director), mailoutbox) == (0, [])


def test_only_a_director_or_board_member_of_the_school_reminds(school, version, teacher):
    with pytest.raises(ValidationError):
        acknowledgements.remind(version, school, by=teacher)


# --- overview ---------------------------------------------------------------------------------


def test_overview_counts_per_school(school, version, asked_staff):
    done, pending = asked_staff
    (item,) = acknowledgements.overview(version)
    assert (
        item["school"],
        [a.user for a in item["confirmed"]],
        [a.user for a in item["pending"]],
        (item["confirmed_count"], item["pending_count"], item["total"]),
    ) == (school, [done], [pending], (1, 1, 2))


# --- views -----------------------------------------------------------------------------------


def test_acknowledgement_confirm_shows_the_text_and_the_button(client, school, version):
    user = staff(school)
    acknowledgements.request(version)
    client.force_login(user)
    html = client.get(reverse("protocols:acknowledgement_confirm", args=[version.pk])).content
    html = html.decode()
    assert ("Geen beelden zonder toestemming." in html, "Gelezen en begrepen" in html) == (
        True,
        True,
    )


def test_the_version_page_asks_only_staff_who_have_not_confirmed(client, school, version):
    done, pending = staff(school), staff(school)
    acknowledgements.request(version)
    acknowledgements.confirm(version, done)
    shown = {}
    for user in (done, pending):
        client.force_login(user)
        html = client.get(version.get_absolute_url()).content.decode()
        shown[user] = "Gelezen en begrepen" in html
    assert shown == {done: False, pending: True}


def test_the_version_page_counts_the_directors_school_only(client, school, version, director):
    other = SchoolFactory(stichting=school.stichting)
    version.protocol.applies_to.add(other)  # both schools are asked
    reader, elsewhere = staff(school), staff(other)
    acknowledgements.request(version)
    acknowledgements.confirm(version, reader)
    acknowledgements.confirm(version, elsewhere)
    staff(school)  # asked too, has not confirmed
    acknowledgements.request(version)
    client.force_login(director)
    html = client.get(version.get_absolute_url()).content.decode()
    assert "1 van 2 medewerkers hebben bevestigd" in html


def test_acknowledgement_confirm_post_confirms(client, school, version):
    user = staff(school)
    acknowledgements.request(version)
    client.force_login(user)
    client.post(reverse("protocols:acknowledgement_confirm", args=[version.pk]))
    assert Acknowledgement.objects.get(user=user).confirmed_at is not None


def test_acknowledgement_confirm_is_404_for_outsider(client, outsider, version):
    client.force_login(outsider)
    url = reverse("protocols:acknowledgement_confirm", args=[version.pk])
    assert (client.get(url).status_code, client.post(url).status_code) == (404, 404)


def test_acknowledgement_confirm_is_404_for_a_teacher_of_another_school(client, school, version):
    acknowledgements.request(version)
    other = staff(SchoolFactory(stichting=school.stichting))  # sees the board's protocols
    client.force_login(other)
    response = client.post(reverse("protocols:acknowledgement_confirm", args=[version.pk]))
    assert (response.status_code, Acknowledgement.objects.filter(user=other).exists()) == (
        404,
        False,
    )


def test_acknowledgement_overview_shows_who_has_and_has_not_confirmed(
    client, school, version, asked_staff, director
):
    done, pending = asked_staff
    client.force_login(director)
    response = client.get(reverse("protocols:acknowledgement_overview", args=[version.pk]))
    (item,) = response.context["schools"]
    assert ([a.user for a in item["confirmed"]], [a.user for a in item["pending"]]) == (
        [done],
        [pending],
    )
    assert str(pending) in response.content.decode()


def test_acknowledgement_overview_is_404_for_a_teacher(client, school, version, teacher):
    client.force_login(teacher)
    url = reverse("protocols:acknowledgement_overview", args=[version.pk])
    assert client.get(url).status_code == 404


def test_acknowledgement_overview_is_404_for_outsider(client, outsider, version):
    client.force_login(outsider)
    url = reverse("protocols:acknowledgement_overview", args=[version.pk])
    assert client.get(url).status_code == 404


def test_acknowledgement_overview_shows_a_director_only_their_own_school(client, school):
    sibling = SchoolFactory(stichting=school.stichting)
    staff(school)
    elsewhere = staff(sibling)
    version = adopt(ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting)))
    acknowledgements.request(version)
    director = MembershipFactory(school=school, role=Role.DIRECTOR).user
    client.force_login(director)
    response = client.get(reverse("protocols:acknowledgement_overview", args=[version.pk]))
    assert ([item["school"] for item in response.context["schools"]], str(elsewhere)) == (
        [school],
        str(elsewhere),
    )
    assert str(elsewhere) not in response.content.decode()


@pytest.mark.parametrize("n", [1, 10])
def test_acknowledgement_overview_query_count_is_constant(
    client, school, version, director, n, django_assert_num_queries
):
    for _ in range(n):
        staff(school)
    acknowledgements.request(version)
    acknowledgements.confirm(version, version.acknowledgements.first().user)
    client.force_login(director)
    # session, user, version, applies_to, schools (count, page), acknowledgements, totals,
    # navigation's reach (five)
    with django_assert_num_queries(10):
        client.get(reverse("protocols:acknowledgement_overview", args=[version.pk]))


def board_wide_with_staff(school, schools: int):
    """An adopted board-wide version over `school` and more, one staff member each; the first
    of them has confirmed."""
    for _ in range(schools - 1):
        SchoolFactory(stichting=school.stichting)
    for each in school.stichting.schools.all():
        staff(each)
    version = adopt(ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting)))
    acknowledgements.request(version)
    acknowledgements.confirm(version, version.acknowledgements.first().user)
    return version


def test_a_board_sees_its_schools_ten_at_a_time_with_the_totals_above(client, school, board_member):
    version = board_wide_with_staff(school, 12)
    client.force_login(board_member)
    path = reverse("protocols:acknowledgement_overview", args=[version.pk])
    first, second = client.get(path), client.get(path + "?page=2")
    names = sorted(school.stichting.schools.values_list("name", flat=True))
    shown = [[item["school"].name for item in r.context["schools"]] for r in (first, second)]
    html = first.content.decode()
    assert shown == [names[:10], names[10:]]
    assert "Alle scholen samen: 1 van 12 medewerkers hebben bevestigd." in html
    assert 'href="?page=2"' in html


def test_one_school_needs_no_pages_and_no_totals(client, school, version, asked_staff, director):
    client.force_login(director)
    response = client.get(reverse("protocols:acknowledgement_overview", args=[version.pk]))
    html = response.content.decode()
    assert ("Alle scholen samen" in html, "?page=" in html) == (False, False)


@pytest.mark.parametrize("schools", [1, 12])
def test_the_boards_overview_query_count_is_constant_over_schools(
    client, school, board_member, schools, django_assert_num_queries
):
    version = board_wide_with_staff(school, schools)
    client.force_login(board_member)
    # session, user, version, its schools (count, page), acknowledgements, totals,
    # navigation's reach (six)
    with django_assert_num_queries(11):
        client.get(reverse("protocols:acknowledgement_overview", args=[version.pk]))


def test_acknowledgement_remind_sends_the_reminders(
    client, school, version, asked_staff, director, mailoutbox
):
    _done, pending = asked_staff
    client.force_login(director)
    client.post(reverse("protocols:acknowledgement_remind", args=[version.pk, school.slug]))
    assert [m.to for m in mailoutbox] == [[pending.email]]


def test_acknowledgement_remind_is_404_for_a_teacher(
    client, school, version, asked_staff, teacher, mailoutbox
):
    client.force_login(teacher)
    url = reverse("protocols:acknowledgement_remind", args=[version.pk, school.slug])
    assert (client.post(url).status_code, mailoutbox) == (404, [])


def test_acknowledgement_remind_is_404_for_outsider(client, outsider, school, version, mailoutbox):
    client.force_login(outsider)
    url = reverse("protocols:acknowledgement_remind", args=[version.pk, school.slug])
    assert (client.post(url).status_code, mailoutbox) == (404, [])


# --- the panel on the version page -----------------------------------------------------------


def test_version_page_offers_an_unconfirmed_staff_member_the_confirm_button(
    client, school, version
):
    user = staff(school)
    acknowledgements.request(version)
    client.force_login(user)
    html = client.get(version.get_absolute_url()).content.decode()
    action = reverse("protocols:acknowledgement_confirm", args=[version.pk])
    assert (f'action="{action}"' in html, "Gelezen en begrepen" in html) == (True, True)


def test_version_page_shows_the_director_the_counts(client, school, version, asked_staff, director):
    client.force_login(director)
    html = client.get(version.get_absolute_url()).content.decode()
    overview = reverse("protocols:acknowledgement_overview", args=[version.pk])
    assert ("1 van 2 medewerkers hebben bevestigd" in html, overview in html) == (True, True)


def test_version_page_tells_an_editorial_version_asks_nobody(client, school, director):
    version = adopt(
        ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting)),
        is_editorial=True,
    )
    client.force_login(director)
    html = client.get(version.get_absolute_url()).content.decode()
    assert "niet opnieuw gevraagd" in html


def test_a_user_without_staff_position_is_never_asked(school, version):
    UserFactory()
    acknowledgements.request(version)
    assert asked(version) == set()


@pytest.mark.parametrize("n", [1, 10])
def test_version_context_query_count_is_constant(
    rf, school, version, director, n, django_assert_num_queries
):
    for _ in range(n):
        staff(school)
    acknowledgements.request(version)
    version = ProtocolVersion.objects.select_related("protocol").get(pk=version.pk)  # as a page
    request = rf.get(version.get_absolute_url())
    request.user = director
    with access.request_scope():
        access.reach(director)  # in a request, the menu has read it already
        # the trail's steps and records; the counts and one's own request in one query
        with django_assert_num_queries(3):
            context = views_record.version_context(request, version)
    assert context["acknowledgement_counts"] == {"total": n, "confirmed": 0, "asking_pending": 0}


def test_acknowledgement_confirm_shows_what_changed_since_the_version_one_confirmed(
    client, school, version
):
    reader = staff(school)
    acknowledgements.request(version)
    acknowledgements.confirm(version, reader)
    draft = ProtocolVersionFactory(protocol=version.protocol, number=version.number + 1)
    SectionFactory(version=draft, heading="Foto's", body="Nooit beelden zonder toestemming.")
    newer = adopt(draft)
    acknowledgements.request(newer)
    client.force_login(reader)
    response = client.get(reverse("protocols:acknowledgement_confirm", args=[newer.pk]))
    html = response.content.decode()
    assert response.context["previous"] == version
    assert [(d.heading, d.words_added, d.words_removed) for d in response.context["diff"]] == [
        ("Foto's", 1, 1)
    ]
    # The button comes before the changes, so it is in reach without scrolling past them.
    assert html.index("Gelezen en begrepen</button>") < html.index("[toegevoegd: </span>Nooit")


def test_acknowledgement_confirm_without_an_earlier_confirmation_shows_no_changes(
    client, school, version
):
    reader = staff(school)
    acknowledgements.request(version)
    client.force_login(reader)
    response = client.get(reverse("protocols:acknowledgement_confirm", args=[version.pk]))
    assert "previous" not in response.context
