"""A parent's consent page for one child: ja/nee per purpose, only changes recorded."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from consent import ledger
from consent.models import ConsentEvent
from tests.factories import (
    GuardianFactory,
    PupilFactory,
    PurposeFactory,
    PurposeVersionFactory,
)

pytestmark = pytest.mark.django_db


def url(pupil):
    return reverse("consent:child_consent", args=[pupil.pk])


def field(purpose, pupil):
    return f"pupil-{pupil.pk}-purpose_{purpose.pk}"


def sixteen_years_before(day):
    return day.replace(year=day.year - 16)


def events(pupil):
    return list(
        ConsentEvent.objects.filter(pupil=pupil).values_list("purpose__slug", "choice", "given_by")
    )


def test_child_consent_shows_every_purpose_with_its_explanation(
    client, mother, pupil, public_purpose, parent_app
):
    client.force_login(mother)
    page = unescape(client.get(url(pupil)).content.decode())
    assert (
        "Foto's en video's op de openbare website van de school." in page,
        "Foto's in de besloten ouderapp." in page,
        page.count('data-state="unanswered"'),
        page.count("Je hebt dit nog niet beantwoord."),
    ) == (True, True, 2, 2)


def test_child_consent_has_no_default_choice(client, mother, pupil, public_purpose, parent_app):
    client.force_login(mother)
    page = client.get(url(pupil)).content.decode()
    assert (page.count('type="radio"'), " checked" in page) == (4, False)


def test_child_consent_shows_own_earlier_answer_as_chosen(client, mother, pupil, public_purpose):
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=False, by=mother)
    client.force_login(mother)
    page = client.get(url(pupil)).content.decode()
    assert page.count(" checked") == 1
    assert 'value="nee" checked' in page


def test_child_consent_left_open_stays_unanswered(client, mother, pupil, public_purpose):
    client.force_login(mother)
    response = client.post(url(pupil), {}, follow=True)
    assert events(pupil) == []
    assert "Er is niets veranderd" in response.content.decode()


def test_child_consent_records_only_changed_purposes(
    client, mother, pupil, public_purpose, parent_app
):
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother)
    client.force_login(mother)
    client.post(url(pupil), {field(public_purpose, pupil): "ja", field(parent_app, pupil): "nee"})
    assert events(pupil) == [("website", True, mother.pk), ("ouderapp", False, mother.pk)]


def test_child_consent_double_submit_records_nothing_twice(client, mother, pupil, public_purpose):
    client.force_login(mother)
    data = {field(public_purpose, pupil): "nee"}
    client.post(url(pupil), data)
    client.post(url(pupil), data)
    assert events(pupil) == [("website", False, mother.pk)]


def test_child_consent_refuses_a_value_other_than_ja_or_nee(client, mother, pupil, public_purpose):
    client.force_login(mother)
    client.post(url(pupil), {field(public_purpose, pupil): "yes please"})
    assert events(pupil) == []


def test_child_consent_confirms_what_was_chosen_and_mails_a_receipt(
    client,
    mother,
    pupil,
    public_purpose,
    parent_app,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(mother)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(pupil), {field(parent_app, pupil): "ja"}, follow=True)
    page = response.content.decode()
    saved = page[page.index('data-testid="saved"') :]
    assert "Je keuzes zijn opgeslagen" in saved
    assert "Ouderapp: <strong>ja</strong>" in saved
    assert "Website" not in saved[: saved.index("</section>")]
    assert [m.to for m in mailoutbox] == [[mother.email]]


def test_child_consent_confirmation_shows_once(client, mother, pupil, parent_app):
    client.force_login(mother)
    client.post(url(pupil), {field(parent_app, pupil): "ja"})
    assert 'data-testid="saved"' in client.get(url(pupil)).content.decode()
    assert 'data-testid="saved"' not in client.get(url(pupil)).content.decode()


def test_child_consent_shows_disagreement_but_not_who(
    client, mother, father, pupil, public_purpose
):
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother)
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=False, by=father)
    client.force_login(mother)
    page = client.get(url(pupil)).content.decode()
    assert 'data-state="disagreement"' in page
    assert "Tot jullie het eens zijn" in page
    assert (father.first_name in page, father.email in page) == (False, False)


def test_child_consent_guardian_cannot_change_from_sixteenth_birthday(
    client, school, group, public_purpose
):
    today = timezone.localdate()
    child = PupilFactory(school=school, group=group, birth_date=sixteen_years_before(today))
    parent = GuardianFactory(pupil=child, has_gezag=True).user
    client.force_login(parent)
    page = client.get(url(child)).content.decode()
    assert ('type="radio"' in page, "beslist zelf" in page) == (False, True)
    response = client.post(url(child), {field(public_purpose, child): "ja"}, follow=True)
    assert "Vanaf 16 jaar beslist alleen de leerling" in response.content.decode()
    assert events(child) == []


def test_child_consent_guardian_decides_the_day_before_sixteenth_birthday(
    client, school, group, public_purpose
):
    today = timezone.localdate()
    child = PupilFactory(
        school=school, group=group, birth_date=sixteen_years_before(today) + timedelta(days=1)
    )
    parent = GuardianFactory(pupil=child, has_gezag=True).user
    client.force_login(parent)
    client.post(url(child), {field(public_purpose, child): "ja"})
    assert events(child) == [("website", True, parent.pk)]


def test_child_consent_parent_without_gezag_may_view_but_not_change(client, pupil, public_purpose):
    parent = GuardianFactory(pupil=pupil, has_gezag=False).user
    client.force_login(parent)
    page = client.get(url(pupil)).content.decode()
    assert ('type="radio"' in page, "gezag" in page) == (False, True)
    response = client.post(url(pupil), {field(public_purpose, pupil): "ja"}, follow=True)
    assert response.status_code == 200
    assert events(pupil) == []


def test_child_consent_after_a_material_change_asks_again(
    client, mother, pupil, public_purpose, director
):
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=mother)
    ledger.change_purpose_text(
        public_purpose, text="Nu ook op Instagram.", material=True, by=director
    )
    client.force_login(mother)
    page = client.get(url(pupil)).content.decode()
    assert ("Nu ook op Instagram." in page, " checked" in page) == (True, False)
    assert 'data-state="unanswered"' in page


@pytest.mark.parametrize("who", ["other_parent", "outsider", "teacher", "director"])
def test_child_consent_is_404_for_outsider(client, pupil, mother, school, who, request):
    if who == "other_parent":
        user = GuardianFactory(pupil=PupilFactory(school=school), has_gezag=True).user
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(url(pupil)).status_code == 404
    assert client.post(url(pupil), {}).status_code == 404


@pytest.mark.parametrize("n", [1, 6])
def test_child_consent_query_count_is_constant(
    client, mother, pupil, school, n, django_assert_num_queries
):
    for purpose in PurposeFactory.create_batch(n, stichting=school.stichting):
        PurposeVersionFactory(purpose=purpose)
        ledger.record_choice(subject=pupil, purpose=purpose, choice=True, by=mother)
    client.force_login(mother)
    with django_assert_num_queries(11):
        client.get(url(pupil))


def test_child_consent_board_member_is_not_a_guardian(client, board_member, pupil):
    client.force_login(board_member)
    assert client.get(url(pupil)).status_code == 404
