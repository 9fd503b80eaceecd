"""Importing pupils in the browser, the accounts not activated yet, and the activation link.

Directors and the board of the school import; a teacher or parent of the school and anyone of
another school or stichting gets 404.
"""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from schools.forms import pack_upload
from schools.models import Guardian, Pupil, Role, User
from tests.factories import (
    PASSWORD,
    GuardianFactory,
    MembershipFactory,
    PupilFactory,
    SchoolFactory,
    UserFactory,
)
from tests.schools.pupil_csv import csv_bytes, pupil

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Vier-konijnen-in-de-wei-2026"


def upload(client, school, rows=None, *, data=None):
    data = csv_bytes(rows) if data is None else data
    return client.post(
        reverse("schools:pupil_import", args=[school.slug]),
        {"step": "upload", "file": SimpleUploadedFile("leerlingen.csv", data, "text/csv")},
    )


def confirm(client, school, response, *, confirm_left=False):
    form = response.context["confirm"]
    data = {
        "step": "import",
        "payload": form.initial["payload"],
        "fingerprint": form.initial["fingerprint"],
    }
    if confirm_left:
        data["confirm_left"] = "on"
    return client.post(reverse("schools:pupil_import", args=[school.slug]), data)


@pytest.fixture
def other_stichting_director(db):
    return MembershipFactory(school=SchoolFactory(), role=Role.DIRECTOR).user


@pytest.fixture
def other_school_director(school):
    sibling = SchoolFactory(stichting=school.stichting)
    return MembershipFactory(school=sibling, role=Role.DIRECTOR).user


@pytest.fixture
def parent(school):
    return GuardianFactory(pupil=PupilFactory(school=school)).user


@pytest.fixture
def pending(school):
    return GuardianFactory(
        pupil=PupilFactory(school=school), user=UserFactory(password=None, email="w@example.org")
    ).user


OUTSIDERS = ["outsider", "other_stichting_director", "other_school_director", "teacher", "parent"]


# --- pupil_import -------------------------------------------------------------------------


def test_pupil_import_shows_the_upload_form(client, director, school):
    client.force_login(director)
    response = client.get(reverse("schools:pupil_import", args=[school.slug]))
    assert (response.status_code, 'type="file"' in response.content.decode()) == (200, True)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_pupil_import_is_404_for_outsider(client, school, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("schools:pupil_import", args=[school.slug])).status_code == 404


@pytest.mark.parametrize("who", OUTSIDERS)
def test_pupil_import_upload_and_confirm_are_404_for_outsider(client, school, who, request):
    client.force_login(request.getfixturevalue(who))
    assert upload(client, school, [pupil()]).status_code == 404
    post = {"step": "import", "payload": "x", "fingerprint": "x"}
    response = client.post(reverse("schools:pupil_import", args=[school.slug]), post)
    assert (response.status_code, Pupil.objects.filter(number="1001").exists()) == (404, False)


def test_pupil_import_is_open_to_the_board(client, board_member, school):
    client.force_login(board_member)
    assert upload(client, school, [pupil()]).context["plan"].new[0].number == "1001"


def test_pupil_import_preview_writes_nothing(client, director, school):
    client.force_login(director)
    response = upload(client, school, [pupil("1"), pupil("2")])
    assert ([r.number for r in response.context["plan"].new], Pupil.objects.count()) == (
        ["1", "2"],
        0,
    )


def test_pupil_import_preview_then_import_writes_and_redirects(client, director, school):
    client.force_login(director)
    response = confirm(client, school, upload(client, school, [pupil("1"), pupil("2")]))
    assert (response.status_code, response.url, Pupil.objects.count()) == (
        302,
        school.get_absolute_url(),
        2,
    )


def test_pupil_import_with_one_bad_row_names_it_and_offers_no_import(client, director, school):
    client.force_login(director)
    response = upload(client, school, [pupil("1"), pupil("2", geboortedatum="31-02-2017")])
    page = response.content.decode()
    assert (response.context["confirm"], 'name="step" value="import"' in page) == (None, False)
    assert re.search(r"Rij 3: geboortedatum 31-02-2017", page)
    assert Pupil.objects.count() == 0


def test_pupil_import_after_fixing_the_bad_row_imports_all(client, director, school):
    client.force_login(director)
    upload(client, school, [pupil("1"), pupil("2", geboortedatum="31-02-2017")])
    confirm(client, school, upload(client, school, [pupil("1"), pupil("2")]))
    assert sorted(Pupil.objects.values_list("number", flat=True)) == ["1", "2"]


def test_pupil_import_twice_does_not_duplicate(client, director, school):
    client.force_login(director)
    rows = [pupil("1"), pupil("2")]
    confirm(client, school, upload(client, school, rows))
    second = upload(client, school, rows)
    confirm(client, school, second)
    assert (
        len(second.context["plan"].unchanged),
        Pupil.objects.count(),
        User.objects.filter(guardianships__isnull=False).count(),
    ) == (2, 2, 2)


def test_pupil_import_shows_what_changes(client, director, school):
    PupilFactory(school=school, number="1", first_name="Daan", last_name="de Vries")
    client.force_login(director)
    page = upload(client, school, [pupil("1", voornaam="Daniël")]).content.decode()
    assert "Daan → Daniël" in page


def test_pupil_import_marks_left_only_after_the_checkbox(client, director, school):
    gone = PupilFactory(school=school, number="9", first_name="Vertrokken")
    client.force_login(director)
    rows = [pupil("1")]
    preview = upload(client, school, rows)
    assert "Vertrokken" in preview.content.decode()
    confirm(client, school, preview)
    gone.refresh_from_db()
    kept = gone.leave_date
    confirm(client, school, upload(client, school, rows), confirm_left=True)
    gone.refresh_from_db()
    assert (kept, gone.leave_date) == (None, timezone.localdate())


def test_pupil_import_refuses_an_altered_payload(client, director, school):
    client.force_login(director)
    response = upload(client, school, [pupil()])
    form = response.context["confirm"]
    post = {
        "step": "import",
        "payload": form.initial["payload"][:-3] + "abc",
        "fingerprint": form.initial["fingerprint"],
    }
    response = client.post(reverse("schools:pupil_import", args=[school.slug]), post)
    assert (response.status_code, Pupil.objects.count()) == (302, 0)


def test_pupil_import_refuses_a_payload_signed_for_another_school(client, director, school):
    other = SchoolFactory(stichting=school.stichting)
    MembershipFactory(user=director, school=other, role=Role.DIRECTOR)
    client.force_login(director)
    form = upload(client, other, [pupil()]).context["confirm"]
    post = {"step": "import", **{k: form.initial[k] for k in ("payload", "fingerprint")}}
    client.post(reverse("schools:pupil_import", args=[school.slug]), post)
    assert Pupil.objects.count() == 0


def test_pupil_import_shows_the_preview_again_when_the_school_changed(client, director, school):
    client.force_login(director)
    preview = upload(client, school, [pupil("1")])
    PupilFactory(school=school, number="9")  # someone adds a pupil meanwhile
    response = confirm(client, school, preview)
    assert (response.status_code, response.context["stale"], Pupil.objects.count()) == (
        200,
        True,
        1,
    )


def test_pupil_import_refuses_a_file_above_the_cap_before_reading_it(
    client, director, school, settings
):
    client.force_login(director)
    response = upload(client, school, data=b"x" * (5 * 1024 * 1024 + 1))
    assert (response.status_code, bool(response.context["form"].errors)) == (200, True)


def test_pupil_import_invites_the_new_accounts(
    client, director, school, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(director)
    preview = upload(client, school, [pupil("1")])
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, school, preview)
    assert [m.to for m in mailoutbox] == [["ouder1@example.org"]]


def test_school_detail_links_the_import_for_a_director(client, director, school):
    client.force_login(director)
    page = client.get(school.get_absolute_url()).content.decode()
    assert reverse("schools:pupil_import", args=[school.slug]) in page


def test_school_detail_hides_the_import_from_a_teacher(client, teacher, school):
    client.force_login(teacher)
    page = client.get(school.get_absolute_url()).content.decode()
    assert reverse("schools:pupil_import", args=[school.slug]) not in page


def test_pack_upload_round_trips_through_the_confirm_form(school):
    from schools.forms import PupilImportConfirmForm

    data = csv_bytes([pupil()])
    form = PupilImportConfirmForm(
        {"payload": pack_upload(data, salt="s"), "fingerprint": "f"}, salt="s"
    )
    assert (form.is_valid(), form.cleaned_data["payload"]) == (True, data)


# --- invitation_list and invitation_resend -------------------------------------------------


def test_invitation_list_shows_accounts_not_activated(client, director, school, pending, parent):
    client.force_login(director)
    response = client.get(reverse("schools:invitation_list", args=[school.slug]))
    assert [a.user for a in response.context["accounts"]] == [pending]
    assert "w@example.org" in response.content.decode()


@pytest.mark.parametrize("who", OUTSIDERS)
def test_invitation_list_is_404_for_outsider(client, school, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("schools:invitation_list", args=[school.slug])).status_code == 404


@pytest.mark.parametrize("n", [1, 10])
def test_invitation_list_query_count_is_constant(
    client, director, school, n, django_assert_num_queries
):
    for _ in range(n):
        GuardianFactory(pupil=PupilFactory(school=school), user=UserFactory(password=None))
    client.force_login(director)
    # session, user, school, count, page of accounts, their guardianships, their invitations,
    # and the navigation's reach (memberships, staff, seats,
    # children, pupil).
    with django_assert_num_queries(9):
        client.get(reverse("schools:invitation_list", args=[school.slug]))


def test_invitation_resend_sends_a_new_mail_once_a_day(
    client, director, school, pending, mailoutbox
):
    client.force_login(director)
    url = reverse("schools:invitation_resend", args=[school.slug, pending.pk])
    client.post(url)
    client.post(url)
    assert [m.to for m in mailoutbox] == [["w@example.org"]]


def test_invitation_resend_needs_a_post(client, director, school, pending):
    client.force_login(director)
    url = reverse("schools:invitation_resend", args=[school.slug, pending.pk])
    assert client.get(url).status_code == 405


@pytest.mark.parametrize("who", OUTSIDERS)
def test_invitation_resend_is_404_for_outsider(client, school, pending, who, request, mailoutbox):
    client.force_login(request.getfixturevalue(who))
    url = reverse("schools:invitation_resend", args=[school.slug, pending.pk])
    assert (client.post(url).status_code, mailoutbox) == (404, [])


def test_invitation_resend_is_404_for_an_account_of_another_school(client, director, school):
    elsewhere = GuardianFactory(
        pupil=PupilFactory(school=SchoolFactory()), user=UserFactory(password=None)
    ).user
    client.force_login(director)
    url = reverse("schools:invitation_resend", args=[school.slug, elsewhere.pk])
    assert client.post(url).status_code == 404


def test_invitation_resend_is_404_for_an_activated_account(client, director, school, parent):
    client.force_login(director)
    url = reverse("schools:invitation_resend", args=[school.slug, parent.pk])
    assert client.post(url).status_code == 404


# --- activation -----------------------------------------------------------------------------


def activation_url(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("schools:activate", args=[uid, default_token_generator.make_token(user)])


def activate(client, url, password=NEW_PASSWORD):
    form_url = client.get(url).url  # Django moves the token into the session first
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_the_invitation_link_sets_a_password_and_logs_in(client, pending):
    response = activate(client, activation_url(pending))
    pending.refresh_from_db()
    assert (response.url, pending.has_usable_password()) == (
        reverse("schools:activate_complete"),
        True,
    )
    assert client.get(reverse("schools:home")).context["user"] == pending


def test_after_activation_the_account_logs_in_with_its_email_in_any_case(client, pending):
    activate(client, activation_url(pending))
    client.logout()
    assert client.login(username="W@Example.org", password=NEW_PASSWORD) is True


def test_the_invitation_link_works_once(client, pending):
    url = activation_url(pending)
    activate(client, url)
    client.logout()
    response = client.get(url, follow=True)
    assert response.context["validlink"] is False


def test_the_link_from_the_invitation_mail_works(client, school, pending, mailoutbox):
    from schools.pupil_import import invite

    invite(pending, school=school, today=timezone.localdate())
    path = re.search(r"https?://[^/\s]+(/accounts/activeren/\S+)", mailoutbox[0].body).group(1)
    activate(client, path)
    pending.refresh_from_db()
    assert pending.has_usable_password() is True


def test_an_activated_account_leaves_the_pending_list(client, director, school, pending):
    activate(client, activation_url(pending))
    client.force_login(director)
    response = client.get(reverse("schools:invitation_list", args=[school.slug]))
    assert list(response.context["accounts"]) == []


def test_an_existing_account_keeps_its_password_after_an_import(client, director, school):
    parent = UserFactory(email="petra@example.org")
    client.force_login(director)
    confirm(client, school, upload(client, school, [pupil(ouder1_email="PETRA@example.org")]))
    client.logout()
    assert (
        client.login(username="petra@example.org", password=PASSWORD),
        Guardian.objects.get().user,
    ) == (True, parent)
