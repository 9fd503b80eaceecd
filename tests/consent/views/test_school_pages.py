"""The school's side of consent: who may be shown, the publication check, coverage, the
refusal list, inzage and takedowns (consent/views/school.py)."""

import io
import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from pypdf import PdfReader

from consent import ledger
from consent.models import TakedownTask
from schools.models import Role
from tests.factories import (
    ClassGroupFactory,
    GuardianFactory,
    MembershipFactory,
    PupilFactory,
    SchoolFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The visible words of a page, whitespace collapsed."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def yes_pupil(school, group, public_purpose, parent_app):
    pupil = PupilFactory(
        school=school, group=group, first_name="Anna", last_name="Ja", birth_date=date(2016, 1, 1)
    )
    parent = GuardianFactory(pupil=pupil, has_gezag=True).user
    for purpose in (public_purpose, parent_app):
        ledger.record_choice(subject=pupil, purpose=purpose, choice=True, by=parent)
    return pupil


@pytest.fixture
def no_pupil(school, group, public_purpose):
    pupil = PupilFactory(
        school=school, group=group, first_name="Bram", last_name="Nee", birth_date=date(2016, 1, 1)
    )
    parent = GuardianFactory(pupil=pupil, has_gezag=True).user
    ledger.record_choice(subject=pupil, purpose=public_purpose, choice=False, by=parent)
    return pupil


@pytest.fixture
def silent_pupil(school, group):
    return PupilFactory(
        school=school, group=group, first_name="Cas", last_name="Stil", birth_date=date(2016, 1, 1)
    )


@pytest.fixture
def class_of_three(yes_pupil, no_pupil, silent_pupil):
    return [yes_pupil, no_pupil, silent_pupil]


# --- group list ---------------------------------------------------------------------------------


def test_group_consent_splits_the_group_for_the_chosen_purpose(
    client, teacher, group, public_purpose, class_of_three
):
    client.force_login(teacher)
    url = reverse("consent:group_consent", args=[group.pk])
    page = text(client.get(url, {"purpose": public_purpose.pk}))
    assert "1 leerling mag NIET in beeld" not in page  # two may not: Bram (nee) and Cas (none)
    assert "2 leerlingen mogen NIET in beeld" in page
    assert "1 leerling mag in beeld" in page
    not_shown = page.split("mogen NIET in beeld")[1].split("mag in beeld")[0]
    assert ("Bram Nee" in not_shown, "Cas Stil" in not_shown, "Anna Ja" in not_shown) == (
        True,
        True,
        False,
    )


def test_group_consent_pdf_lists_names_for_the_photographer(
    client, teacher, group, public_purpose, class_of_three
):
    client.force_login(teacher)
    url = reverse("consent:group_consent_pdf", args=[group.pk])
    response = client.get(url, {"purpose": public_purpose.pk})
    assert response["Content-Type"] == "application/pdf"
    words = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    refused, allowed = words.split("Mag in beeld")
    assert ("Bram Nee" in refused, "Cas Stil" in refused, "Anna Ja" in allowed) == (
        True,
        True,
        True,
    )


@pytest.mark.parametrize("n", [1, 12])
def test_group_consent_query_count_is_constant(
    client, teacher, school, group, public_purpose, n, django_assert_num_queries
):
    for _ in range(n):
        pupil = PupilFactory(school=school, group=group, birth_date=date(2016, 1, 1))
        parent = GuardianFactory(pupil=pupil, has_gezag=True).user
        ledger.record_choice(subject=pupil, purpose=public_purpose, choice=True, by=parent)
    client.force_login(teacher)
    # session, user, group, purposes, activities, pupils, three for the states, and the
    # navigation's reach (six)
    with django_assert_num_queries(13):
        client.get(reverse("consent:group_consent", args=[group.pk]))


def test_group_consent_is_404_for_a_teacher_of_another_group(client, school, group):
    other_teacher = MembershipFactory(school=school, role=Role.STAFF).user
    StaffFactory(user=other_teacher, school=school, groups=[ClassGroupFactory(school=school)])
    client.force_login(other_teacher)
    assert client.get(reverse("consent:group_consent", args=[group.pk])).status_code == 404


def test_group_consent_is_404_for_outsider(client, outsider, group):
    client.force_login(outsider)
    assert client.get(reverse("consent:group_consent", args=[group.pk])).status_code == 404


def test_group_consent_pdf_is_404_for_outsider(client, outsider, group):
    client.force_login(outsider)
    assert client.get(reverse("consent:group_consent_pdf", args=[group.pk])).status_code == 404


def test_group_consent_of_an_unknown_purpose_is_404(client, teacher, group, public_purpose):
    client.force_login(teacher)
    url = reverse("consent:group_consent", args=[group.pk])
    assert client.get(url, {"purpose": "999999"}).status_code == 404


# --- mag ik dit publiceren? ---------------------------------------------------------------------


def check(client, school, purpose, pupils, hidden=()):
    return client.get(
        reverse("consent:publish_check", args=[school.slug]),
        {
            "purpose": purpose.pk,
            "pupils": [p.pk for p in pupils],
            "unrecognisable": [p.pk for p in hidden],
        },
    )


def test_publish_check_says_yes_when_everyone_in_the_picture_has_consent(
    client, teacher, school, public_purpose, yes_pupil
):
    client.force_login(teacher)
    assert "Ja, je mag het publiceren." in text(check(client, school, public_purpose, [yes_pupil]))


def test_publish_check_says_no_when_one_pupil_has_no_consent(
    client, teacher, school, public_purpose, yes_pupil, no_pupil
):
    client.force_login(teacher)
    page = text(check(client, school, public_purpose, [yes_pupil, no_pupil]))
    assert ("Nee, zo niet." in page, "1 leerling heeft hiervoor geen toestemming" in page) == (
        True,
        True,
    )


def test_publish_check_allows_a_pupil_made_unrecognisable(
    client, teacher, school, public_purpose, yes_pupil, no_pupil
):
    client.force_login(teacher)
    page = text(check(client, school, public_purpose, [yes_pupil, no_pupil], hidden=[no_pupil]))
    assert "Ja, je mag het publiceren." in page


def test_publish_check_offers_a_teacher_only_the_pupils_they_may_see(
    client, teacher, school, public_purpose, yes_pupil
):
    stranger = PupilFactory(school=school, group=ClassGroupFactory(school=school))
    client.force_login(teacher)
    response = check(client, school, public_purpose, [stranger])
    assert (response.context["verdict"], "pupils" in response.context["form"].errors) == (
        None,
        True,
    )


def test_publish_check_rejects_junk_with_a_message_not_an_error(client, teacher, school):
    client.force_login(teacher)
    url = reverse("consent:publish_check", args=[school.slug])
    for junk in ({"purpose": "x", "pupils": ["'; drop"]}, {"purpose": "1" * 40}, {"group": "abc"}):
        assert client.get(url, junk).status_code in (200, 404)


def test_publish_check_is_404_for_outsider(client, outsider, school):
    client.force_login(outsider)
    url = reverse("consent:publish_check", args=[school.slug])
    assert client.get(url).status_code == 404


# --- coverage -----------------------------------------------------------------------------------


def test_coverage_counts_each_answer_per_purpose(
    client, director, school, public_purpose, class_of_three
):
    client.force_login(director)
    response = client.get(reverse("consent:coverage", args=[school.slug]))
    website = next(r for r in response.context["rows"] if r["purpose"] == public_purpose)
    assert [(p["state"].value, p["count"]) for p in website["parts"]] == [
        ("ja", 1),
        ("nee", 1),
        ("disagreement", 0),
        ("unanswered", 1),
    ]
    assert 'role="img"' in response.content.decode()  # the chart says its numbers too


@pytest.mark.parametrize("n", [1, 12])
def test_coverage_query_count_is_constant(
    client, director, school, group, public_purpose, n, django_assert_num_queries
):
    PupilFactory.create_batch(n, school=school, group=group, birth_date=date(2016, 1, 1))
    client.force_login(director)
    # session, user, school, purposes, four for the coverage, open takedowns, and the
    # navigation's reach
    with django_assert_num_queries(11):
        client.get(reverse("consent:coverage", args=[school.slug]))


def test_coverage_is_404_for_a_teacher(client, teacher, school):
    client.force_login(teacher)
    assert client.get(reverse("consent:coverage", args=[school.slug])).status_code == 404


def test_coverage_is_404_for_outsider(client, outsider, school):
    client.force_login(outsider)
    assert client.get(reverse("consent:coverage", args=[school.slug])).status_code == 404


def test_board_coverage_shows_every_school_of_the_stichting(
    client, board_member, school, public_purpose, class_of_three
):
    sibling = SchoolFactory(stichting=school.stichting, name="Tweede school")
    client.force_login(board_member)
    response = client.get(reverse("consent:board_coverage", args=[school.stichting.slug]))
    assert [line["school"] for line in response.context["table"]] == sorted(
        [school, sibling], key=lambda s: s.name
    )


def test_board_coverage_is_404_for_a_director(client, director, school):
    client.force_login(director)
    url = reverse("consent:board_coverage", args=[school.stichting.slug])
    assert client.get(url).status_code == 404


def test_board_coverage_is_404_for_outsider(client, outsider, school):
    client.force_login(outsider)
    url = reverse("consent:board_coverage", args=[school.stichting.slug])
    assert client.get(url).status_code == 404


# --- refusals -----------------------------------------------------------------------------------


def test_refusal_list_names_who_may_not_be_shown_and_downloads_for_excel(
    client, director, school, public_purpose, class_of_three
):
    client.force_login(director)
    url = reverse("consent:refusal_list", args=[school.slug, public_purpose.pk])
    assert [p.full_name for p, _s in client.get(url).context["refused"]] == ["Bram Nee", "Cas Stil"]
    csv = client.get(url, {"download": "csv"})
    body = csv.content.decode("utf-8")
    assert (body[0], body.splitlines()[0]) == ("\ufeff", "\ufeffLeerling;Groep;Stand")


def test_refusal_list_is_404_for_outsider(client, outsider, school, public_purpose):
    client.force_login(outsider)
    url = reverse("consent:refusal_list", args=[school.slug, public_purpose.pk])
    assert client.get(url).status_code == 404


# --- inzage -------------------------------------------------------------------------------------


def test_pupil_history_shows_every_choice_with_the_text_shown(
    client, director, public_purpose, no_pupil
):
    parent = no_pupil.guardians.get().user
    ledger.record_choice(subject=no_pupil, purpose=public_purpose, choice=True, by=parent)
    client.force_login(director)
    page = text(client.get(reverse("consent:pupil_history", args=[no_pupil.pk])))
    assert page.count("Website (tekst 1)") == 2
    assert "Foto's en video's op de openbare website van de school." in page


def test_pupil_history_pdf_and_csv_hold_the_same_choices(client, director, no_pupil):
    client.force_login(director)
    pdf = client.get(reverse("consent:pupil_history_pdf", args=[no_pupil.pk]))
    words = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    csv = client.get(reverse("consent:pupil_history_csv", args=[no_pupil.pk]))
    rows = csv.content.decode("utf-8").splitlines()
    assert ("Website" in words, len(rows), rows[1].split(";")[1:4]) == (
        True,
        2,
        ["Website", "1", "nee"],
    )


def test_a_parent_sees_the_history_of_their_own_child(client, no_pupil):
    client.force_login(no_pupil.guardians.get().user)
    assert client.get(reverse("consent:pupil_history", args=[no_pupil.pk])).status_code == 200


def test_pupil_history_is_404_for_a_teacher(client, teacher, no_pupil):
    client.force_login(teacher)
    assert client.get(reverse("consent:pupil_history", args=[no_pupil.pk])).status_code == 404


def test_pupil_history_is_404_for_a_parent_of_another_child(client, school, no_pupil):
    other = GuardianFactory(pupil=PupilFactory(school=school), has_gezag=True).user
    client.force_login(other)
    assert client.get(reverse("consent:pupil_history", args=[no_pupil.pk])).status_code == 404


def test_pupil_history_is_404_for_outsider(client, outsider, no_pupil):
    client.force_login(outsider)
    assert client.get(reverse("consent:pupil_history", args=[no_pupil.pk])).status_code == 404


def test_pupil_history_pdf_is_404_for_outsider(client, outsider, no_pupil):
    client.force_login(outsider)
    url = reverse("consent:pupil_history_pdf", args=[no_pupil.pk])
    assert client.get(url).status_code == 404


def test_pupil_history_csv_is_404_for_outsider(client, outsider, no_pupil):
    client.force_login(outsider)
    url = reverse("consent:pupil_history_csv", args=[no_pupil.pk])
    assert client.get(url).status_code == 404


def test_staff_history_shows_a_staff_members_own_choices(client, colleague, staff_purpose):
    ledger.record_choice(subject=colleague, purpose=staff_purpose, choice=False, by=colleague.user)
    client.force_login(colleague.user)
    page = text(client.get(reverse("consent:staff_history", args=[colleague.pk])))
    assert "Smoelenboek (tekst 1)" in page


def test_staff_history_is_404_for_a_colleague(client, colleague, school):
    other = StaffFactory(school=school)
    client.force_login(other.user)
    assert client.get(reverse("consent:staff_history", args=[colleague.pk])).status_code == 404


def test_staff_history_is_404_for_outsider(client, outsider, colleague):
    client.force_login(outsider)
    assert client.get(reverse("consent:staff_history", args=[colleague.pk])).status_code == 404


def test_staff_history_pdf_is_404_for_outsider(client, outsider, colleague):
    client.force_login(outsider)
    url = reverse("consent:staff_history_pdf", args=[colleague.pk])
    assert client.get(url).status_code == 404


def test_staff_history_csv_is_404_for_outsider(client, outsider, colleague):
    client.force_login(outsider)
    url = reverse("consent:staff_history_csv", args=[colleague.pk])
    assert client.get(url).status_code == 404


# --- takedowns ----------------------------------------------------------------------------------


@pytest.fixture
def takedown(yes_pupil, public_purpose):
    parent = yes_pupil.guardians.get().user
    ledger.record_choice(subject=yes_pupil, purpose=public_purpose, choice=False, by=parent)
    return TakedownTask.objects.get()


def test_takedown_list_shows_the_open_task_and_done_marks_it_once(
    client, director, school, takedown
):
    client.force_login(director)
    page = text(client.get(reverse("consent:takedown_list", args=[school.slug])))
    assert "Anna Ja" in page
    client.post(reverse("consent:takedown_done", args=[takedown.pk]))
    first = TakedownTask.objects.get().done_at
    client.post(reverse("consent:takedown_done", args=[takedown.pk]))
    assert (first is not None, TakedownTask.objects.get().done_at) == (True, first)


def test_takedown_list_is_404_for_a_teacher(client, teacher, school):
    client.force_login(teacher)
    assert client.get(reverse("consent:takedown_list", args=[school.slug])).status_code == 404


def test_takedown_list_is_404_for_outsider(client, outsider, school):
    client.force_login(outsider)
    assert client.get(reverse("consent:takedown_list", args=[school.slug])).status_code == 404


def test_takedown_done_is_404_for_outsider(client, outsider, takedown):
    client.force_login(outsider)
    response = client.post(reverse("consent:takedown_done", args=[takedown.pk]))
    assert (response.status_code, TakedownTask.objects.get().done_at) == (404, None)


# --- paper forms --------------------------------------------------------------------------------


def test_paper_entry_records_the_signers_choice_with_the_note(
    client, director, silent_pupil, public_purpose
):
    mother = GuardianFactory(pupil=silent_pupil, has_gezag=True).user
    client.force_login(director)
    response = client.post(
        reverse("consent:paper_entry", args=[silent_pupil.pk]),
        {
            "signed_by": mother.pk,
            "note": "Gescand in het leerlingdossier.",
            f"purpose_{public_purpose.pk}": "nee",
        },
    )
    [event] = ledger.history(silent_pupil)
    assert response.url == reverse("consent:pupil_history", args=[silent_pupil.pk])
    assert (event.given_by, event.entered_by, event.channel, event.choice, event.note) == (
        mother,
        director,
        "paper",
        False,
        "Gescand in het leerlingdossier.",
    )


def test_paper_entry_offers_only_guardians_with_gezag(client, director, silent_pupil):
    with_gezag = GuardianFactory(pupil=silent_pupil, has_gezag=True).user
    GuardianFactory(pupil=silent_pupil, has_gezag=False)
    client.force_login(director)
    response = client.get(reverse("consent:paper_entry", args=[silent_pupil.pk]))
    assert [pk for pk, _label in response.context["form"].fields["signed_by"].choices] == [
        with_gezag.pk
    ]


def test_paper_entry_without_a_note_records_nothing(client, director, silent_pupil, public_purpose):
    mother = GuardianFactory(pupil=silent_pupil, has_gezag=True).user
    client.force_login(director)
    client.post(
        reverse("consent:paper_entry", args=[silent_pupil.pk]),
        {"signed_by": mother.pk, "note": "", f"purpose_{public_purpose.pk}": "ja"},
    )
    assert list(ledger.history(silent_pupil)) == []


def test_paper_entry_is_404_for_a_teacher(client, teacher, silent_pupil):
    client.force_login(teacher)
    url = reverse("consent:paper_entry", args=[silent_pupil.pk])
    assert client.get(url).status_code == 404


def test_paper_entry_is_404_for_outsider(client, outsider, silent_pupil):
    client.force_login(outsider)
    url = reverse("consent:paper_entry", args=[silent_pupil.pk])
    assert client.get(url).status_code == 404


# --- settings -----------------------------------------------------------------------------------


def test_policy_edit_saves_the_boards_settings(client, board_member, school):
    client.force_login(board_member)
    url = reverse("consent:policy_edit", args=[school.stichting.slug])
    response = client.post(url, {"retention_years": "3", "review_month": "10", "review_day": "1"})
    policy = ledger.policy_for(school.stichting)
    assert (response.url, policy.retention_years, policy.review_on(2027)) == (
        url,
        3,
        date(2027, 10, 1),
    )


def test_policy_edit_refuses_a_day_that_does_not_exist_every_year(client, board_member, school):
    client.force_login(board_member)
    url = reverse("consent:policy_edit", args=[school.stichting.slug])
    response = client.post(url, {"retention_years": "2", "review_month": "2", "review_day": "29"})
    assert (response.status_code, ledger.policy_for(school.stichting).review_month) == (200, 9)


def test_policy_edit_is_404_for_a_director(client, director, school):
    client.force_login(director)
    url = reverse("consent:policy_edit", args=[school.stichting.slug])
    assert client.get(url).status_code == 404


def test_policy_edit_is_404_for_outsider(client, outsider, school):
    client.force_login(outsider)
    url = reverse("consent:policy_edit", args=[school.stichting.slug])
    assert client.get(url).status_code == 404
