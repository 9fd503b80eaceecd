"""Purposes: directors manage their school's own, the board the stichting's; texts versioned."""

import pytest
from django.urls import reverse

from consent import ledger
from consent.models import Purpose
from protocols.models import ProtocolVersion
from schools.models import Role
from tests.factories import (
    GuardianFactory,
    MembershipFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    SchoolFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Schoolkrant",
    "kind": "image",
    "photo": "on",
    "channel": "authenticated",
    "audience": "pupils",
    "active": "on",
    "text": "Foto's in de schoolkrant die op papier mee naar huis gaat.",
}


@pytest.fixture
def school_purpose(school):
    return ledger.create_purpose(
        stichting=school.stichting,
        school=school,
        name="Jaarboek",
        slug="jaarboek",
        text="Foto's in het jaarboek.",
        by=None,
    )


@pytest.fixture
def sibling_director(school):
    """The director of another school of the same stichting."""
    sibling = SchoolFactory(stichting=school.stichting)
    return MembershipFactory(school=sibling, role=Role.DIRECTOR).user


def adopted_section(school):
    version = ProtocolVersionFactory(
        protocol=ProtocolFactory(stichting=school.stichting, school=school),
        status=ProtocolVersion.Status.ADOPTED,
    )
    return SectionFactory(version=version, heading="Beeldmateriaal")


# --- purpose_list ---------------------------------------------------------------------------


def test_purpose_list_shows_managed_purposes_with_versions(
    client, director, school_purpose, public_purpose
):
    ledger.change_purpose_text(school_purpose, text="Ook online.", material=False, by=director)
    client.force_login(director)
    page = client.get(reverse("consent:purpose_list")).content.decode()
    assert reverse("consent:purpose_edit", args=[school_purpose.pk]) in page
    # The board's purpose is shown, but the director does not manage it.
    assert (
        "Website" in page,
        reverse("consent:purpose_edit", args=[public_purpose.pk]) in page,
    ) == (
        True,
        False,
    )
    assert ("Ook online." in page, "Foto&#x27;s in het jaarboek." in page) == (True, True)


def test_purpose_list_board_manages_every_purpose_of_the_stichting(
    client, board_member, school_purpose, public_purpose
):
    client.force_login(board_member)
    page = client.get(reverse("consent:purpose_list")).content.decode()
    assert reverse("consent:purpose_edit", args=[school_purpose.pk]) in page
    assert reverse("consent:purpose_edit", args=[public_purpose.pk]) in page


def test_purpose_list_shows_nothing_of_another_stichting(client, outsider, public_purpose):
    client.force_login(outsider)
    assert "Website" not in client.get(reverse("consent:purpose_list")).content.decode()


@pytest.mark.parametrize("who", ["teacher", "mother"])
def test_purpose_list_is_404_for_outsider(client, public_purpose, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("consent:purpose_list")).status_code == 404


# --- purpose_create -------------------------------------------------------------------------


def test_purpose_create_adds_a_school_purpose_with_its_first_text(client, director, school):
    client.force_login(director)
    client.post(reverse("consent:purpose_create"), {**FORM, "owner_choice": f"school-{school.pk}"})
    purpose = Purpose.objects.get()
    version = purpose.versions.get()
    assert (purpose.school, purpose.slug, version.number, version.material, version.text) == (
        school,
        "schoolkrant",
        1,
        True,
        FORM["text"],
    )


def test_purpose_create_board_adds_a_stichting_purpose(client, board_member, school):
    client.force_login(board_member)
    client.post(
        reverse("consent:purpose_create"),
        {**FORM, "owner_choice": f"stichting-{school.stichting.pk}"},
    )
    assert list(Purpose.objects.values_list("stichting", "school")) == [(school.stichting.pk, None)]


def test_purpose_create_director_cannot_add_for_the_stichting(client, director, school):
    client.force_login(director)
    client.post(
        reverse("consent:purpose_create"),
        {**FORM, "owner_choice": f"stichting-{school.stichting.pk}"},
    )
    assert Purpose.objects.count() == 0


def test_purpose_create_offers_only_sections_of_adopted_protocols(client, director, school):
    adopted = adopted_section(school)
    draft = SectionFactory(
        version=ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting)),
        heading="Concepttekst",
    )
    client.force_login(director)
    page = client.get(reverse("consent:purpose_create")).content.decode()
    assert (f'value="{adopted.pk}"' in page, f'value="{draft.pk}"' in page) == (True, False)
    client.post(
        reverse("consent:purpose_create"),
        {**FORM, "owner_choice": f"school-{school.pk}", "section": adopted.pk},
    )
    assert Purpose.objects.get().section == adopted


def test_purpose_create_other_kind_covers_no_media(client, director, school):
    client.force_login(director)
    client.post(
        reverse("consent:purpose_create"),
        {
            **FORM,
            "name": "E-mailadres",
            "kind": "other",
            "video": "on",
            "owner_choice": f"school-{school.pk}",
        },
    )
    assert Purpose.objects.get().media == []


@pytest.mark.parametrize("who", ["teacher", "mother", "colleague"])
def test_purpose_create_is_404_for_outsider(client, school, who, request):
    user = request.getfixturevalue(who)
    client.force_login(getattr(user, "user", user))
    assert client.get(reverse("consent:purpose_create")).status_code == 404


# --- purpose_edit ---------------------------------------------------------------------------


def edit(client, purpose, **changes):
    data = {**FORM, "name": purpose.name, "kind": purpose.kind, **changes}
    return client.post(reverse("consent:purpose_edit", args=[purpose.pk]), data)


def test_purpose_edit_material_change_asks_everyone_again(
    client, director, school_purpose, pupil, mother
):
    ledger.record_choice(subject=pupil, purpose=school_purpose, choice=True, by=mother)
    client.force_login(director)
    edit(client, school_purpose, text="Nu ook in de digitale schoolkrant.", change="material")
    latest = school_purpose.versions.last()
    assert (latest.number, latest.material) == (2, True)
    state = ledger.state_of(pupil, school_purpose, ledger.timezone.localdate())
    assert state == ledger.State.UNANSWERED


def test_purpose_edit_editorial_change_keeps_answers(
    client, director, school_purpose, pupil, mother
):
    ledger.record_choice(subject=pupil, purpose=school_purpose, choice=True, by=mother)
    client.force_login(director)
    edit(client, school_purpose, text="Foto's in ons jaarboek.", change="editorial")
    assert (school_purpose.versions.last().material, school_purpose.versions.count()) == (False, 2)
    assert ledger.state_of(pupil, school_purpose, ledger.timezone.localdate()) == ledger.State.JA


def test_purpose_edit_asks_which_kind_of_change(client, director, school_purpose):
    client.force_login(director)
    response = edit(client, school_purpose, text="Een nieuwe uitleg.")
    assert school_purpose.versions.count() == 1
    assert "inhoudelijke of een redactionele" in response.content.decode()


def test_purpose_edit_channel_change_needs_a_material_change(client, director, school_purpose):
    client.force_login(director)
    edit(client, school_purpose, text="Foto's in het jaarboek.", channel="public")
    school_purpose.refresh_from_db()
    assert school_purpose.channel == Purpose.Channel.AUTHENTICATED


def test_purpose_edit_without_text_change_adds_no_version(client, director, school_purpose):
    client.force_login(director)
    edit(client, school_purpose, name="Jaarboek 2027", text="Foto's in het jaarboek.")
    school_purpose.refresh_from_db()
    assert (school_purpose.name, school_purpose.versions.count()) == ("Jaarboek 2027", 1)


@pytest.mark.parametrize("who", ["outsider", "sibling_director", "teacher", "director_on_board"])
def test_purpose_edit_is_404_for_outsider(client, school_purpose, public_purpose, who, request):
    if who == "director_on_board":
        # A director does not edit the board's purposes.
        user, purpose = request.getfixturevalue("director"), public_purpose
    else:
        user, purpose = request.getfixturevalue(who), school_purpose
    client.force_login(user)
    assert client.get(reverse("consent:purpose_edit", args=[purpose.pk])).status_code == 404


def test_purpose_edit_parent_is_404(client, pupil, school_purpose):
    client.force_login(GuardianFactory(pupil=pupil).user)
    assert client.get(reverse("consent:purpose_edit", args=[school_purpose.pk])).status_code == 404
