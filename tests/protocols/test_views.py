import re
from datetime import date

import pytest
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.urls import reverse

from protocols.models import ProtocolVersion
from protocols.views.versions import PUBLIC_PAGE_SIZE
from tests.factories import (
    GuardianFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    PupilFactory,
    SchoolFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db
Status = ProtocolVersion.Status


def adopted(protocol, **kwargs):
    """An adopted version; the workflow module will own this transition."""
    version = ProtocolVersionFactory(protocol=protocol, **kwargs)
    version.status = Status.ADOPTED
    version.adopted_on = date(2026, 2, 23)
    version.evaluation_date = date(2028, 2, 23)
    version.save()
    return version


# --- public pages ---------------------------------------------------------------------------


def test_public_index_lists_schools_with_an_adopted_protocol_only(client, school):
    board = ProtocolFactory(stichting=school.stichting)
    adopted(board)
    sibling = SchoolFactory(stichting=school.stichting)  # covered by the board-wide protocol
    own = SchoolFactory()
    adopted(ProtocolFactory(stichting=own.stichting, school=own))
    drafted = SchoolFactory()
    ProtocolVersionFactory(protocol=ProtocolFactory(stichting=drafted.stichting, school=drafted))
    response = client.get(reverse("protocols:public_index"))
    assert set(response.context["schools"]) == {school, sibling, own}


def test_public_index_respects_the_schools_a_board_protocol_applies_to(client, school):
    other = SchoolFactory(stichting=school.stichting)
    protocol = ProtocolFactory(stichting=school.stichting)
    protocol.applies_to.set([school])
    adopted(protocol)
    response = client.get(reverse("protocols:public_index"))
    assert (school in response.context["schools"], other in response.context["schools"]) == (
        True,
        False,
    )


def test_public_index_is_searched_by_school_name_and_place(client):
    found = SchoolFactory(name="De Lindenberg", city="Nijmegen")
    adopted(ProtocolFactory(stichting=found.stichting, school=found))
    other = SchoolFactory(name="De Regenboog", city="Utrecht")
    adopted(ProtocolFactory(stichting=other.stichting, school=other))
    by_place = client.get(reverse("protocols:public_index"), {"q": "nijmegen"})
    by_words = client.get(reverse("protocols:public_index"), {"q": "lindenberg  NIJMEGEN"})
    assert (list(by_place.context["schools"]), list(by_words.context["schools"])) == (
        [found],
        [found],
    )


def test_public_index_marks_an_overdue_evaluation(client, school):
    version = adopted(ProtocolFactory(stichting=school.stichting))
    version.evaluation_date = date(2020, 1, 1)
    version.save()
    page = client.get(reverse("protocols:public_index")).content.decode()
    assert "evaluatie te laat" in page


def test_public_index_is_paginated(client, school):
    adopted(ProtocolFactory(stichting=school.stichting))
    for _ in range(PUBLIC_PAGE_SIZE):
        SchoolFactory(stichting=school.stichting)  # all covered by the board-wide protocol
    first = client.get(reverse("protocols:public_index"))
    second = client.get(reverse("protocols:public_index"), {"page": 2})
    assert (len(first.context["schools"]), len(second.context["schools"])) == (
        PUBLIC_PAGE_SIZE,
        1,
    )


def test_the_login_page_links_the_public_protocols(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("protocols:public_index")}"' in page


def test_public_school_fills_placeholders_and_adds_the_addendum(client, school):
    version = adopted(ProtocolFactory(stichting=school.stichting, title="Protocol [naam school]"))
    SectionFactory(version=version, heading="Inleiding", body="Trots op [naam school].")
    SectionFactory(version=version, heading="Onze afspraak", body="Eigen tekst.", school=school)
    SectionFactory(version=version, heading="Andermans", body="Niet tonen.", school=SchoolFactory())
    html = client.get(reverse("protocols:public_school", args=[school.slug])).content.decode()
    assert f"Protocol {school.name}" in html
    assert f"Trots op {school.name}." in html
    assert (f"Aanvulling van {school.name}" in html, "Eigen tekst." in html) == (True, True)
    assert "Niet tonen." not in html


def test_public_school_text_is_kept_and_follows_a_new_school_name(client, school):
    version = adopted(ProtocolFactory(stichting=school.stichting))
    SectionFactory(version=version, heading="Inleiding", body="Trots op [naam school].")
    url = reverse("protocols:public_school", args=[school.slug])
    old_name = school.name
    (document,) = client.get(url).context["documents"]
    key = make_template_fragment_key("version_text", [document["text_key"], "nl"])
    kept = caches["template_fragments"].get(key)
    school.name = "Het Nieuwe Kompas"
    school.save()
    again = client.get(url).content.decode()
    assert (f"Trots op {old_name}." in kept, "Trots op Het Nieuwe Kompas." in again) == (True, True)


def test_public_school_text_is_kept_per_language(client, school):
    version = adopted(ProtocolFactory(stichting=school.stichting))
    SectionFactory(version=version, heading="Inleiding", body="Tekst.", audience="staff")
    url = reverse("protocols:public_school", args=[school.slug])
    dutch = client.get(url).content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ("Inhoud" in dutch, "Contents" in english, "Inhoud" in english) == (True, True, False)


def test_public_school_shows_adoption_and_evaluation_dates(client, school):
    adopted(ProtocolFactory(stichting=school.stichting, school=school))
    html = client.get(reverse("protocols:public_school", args=[school.slug])).content.decode()
    assert ("23-02-2026" in html, "23-02-2028" in html) == (True, True)


def test_public_school_without_adopted_protocol_says_so(client, school):
    ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting, school=school))
    response = client.get(reverse("protocols:public_school", args=[school.slug]))
    assert response.status_code == 200
    assert "heeft nog geen vastgesteld protocol sociale media" in response.content.decode()


def test_public_school_never_shows_a_draft(client, school):
    protocol = ProtocolFactory(stichting=school.stichting, school=school)
    adopted(protocol)
    draft = ProtocolVersionFactory(protocol=protocol)
    SectionFactory(version=draft, body="Geheim concept.")
    url = reverse("protocols:public_version", args=[school.slug, draft.pk])
    assert client.get(url).status_code == 404
    page = client.get(reverse("protocols:public_school", args=[school.slug])).content.decode()
    assert "Geheim concept." not in page


def test_public_school_links_older_adopted_versions(client, school):
    protocol = ProtocolFactory(stichting=school.stichting, school=school)
    old = adopted(protocol)
    old.status = Status.SUPERSEDED
    old.save()
    adopted(protocol)
    html = client.get(reverse("protocols:public_school", args=[school.slug])).content.decode()
    assert reverse("protocols:public_version", args=[school.slug, old.pk]) in html


def test_public_version_of_another_schools_protocol_is_404(client, school):
    other = SchoolFactory()
    version = adopted(ProtocolFactory(stichting=other.stichting, school=other))
    url = reverse("protocols:public_version", args=[school.slug, version.pk])
    assert client.get(url).status_code == 404


def test_public_pdf_without_adopted_protocol_is_404(client, school):
    assert client.get(reverse("protocols:public_pdf", args=[school.slug])).status_code == 404


@pytest.mark.parametrize("n", [1, 6])
def test_public_school_query_count_is_constant(client, school, n, django_assert_num_queries):
    version = adopted(ProtocolFactory(stichting=school.stichting, school=school))
    SectionFactory.create_batch(n, version=version)
    for _ in range(n):
        old = adopted(ProtocolFactory(stichting=school.stichting, school=school))
        old.status = Status.SUPERSEDED
        old.save()
    # school, versions, sections, procedure records
    with django_assert_num_queries(4):
        client.get(reverse("protocols:public_school", args=[school.slug]))


# --- inside the portal ------------------------------------------------------------------------


def test_protocol_list_shows_director_the_board_protocol_and_their_schools(
    client, director, school
):
    board = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting)).protocol
    own = ProtocolFactory(stichting=school.stichting, school=school, title="Eigen protocol")
    ProtocolFactory(stichting=school.stichting, school=SchoolFactory(stichting=school.stichting))
    ProtocolFactory()  # another stichting
    client.force_login(director)
    response = client.get(reverse("protocols:protocol_list"))
    assert set(response.context["protocols"]) == {board, own}


def test_protocol_list_is_empty_for_a_parent(client, school):
    ProtocolFactory(stichting=school.stichting)
    guardian = GuardianFactory(pupil=PupilFactory(school=school))
    client.force_login(guardian.user)
    assert list(client.get(reverse("protocols:protocol_list")).context["protocols"]) == []


def test_version_detail_shows_a_draft_to_the_director(client, director, school):
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    SectionFactory(version=version, heading="Inleiding", body="Conceptregel.")
    client.force_login(director)
    html = client.get(version.get_absolute_url()).content.decode()
    assert ("Conceptregel." in html, "Concept" in html) == (True, True)


def test_version_detail_lists_the_newest_other_versions_and_points_to_the_decision_log(
    client, director, school
):
    protocol = ProtocolFactory(stichting=school.stichting)
    old = [
        ProtocolVersionFactory(
            protocol=protocol, number=number, status=ProtocolVersion.Status.SUPERSEDED
        )
        for number in range(1, 8)
    ]
    newest = ProtocolVersionFactory(
        protocol=protocol, number=8, status=ProtocolVersion.Status.ADOPTED
    )
    client.force_login(director)
    html = client.get(newest.get_absolute_url()).content.decode()
    listed = [v.number for v in old if f'href="{v.get_absolute_url()}"' in html]
    assert listed == [3, 4, 5, 6, 7]
    assert reverse("protocols:decision_log", args=[protocol.pk]) in html
    assert "Oudere versies staan in de besluitenlijst" in html


def test_version_detail_is_404_for_outsider(client, outsider, school):
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    client.force_login(outsider)
    assert client.get(version.get_absolute_url()).status_code == 404


def test_version_detail_is_404_for_parent(client, school):
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    guardian = GuardianFactory(pupil=PupilFactory(school=school))
    client.force_login(guardian.user)
    assert client.get(version.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("n", [1, 6])
def test_protocol_list_query_count_is_constant(
    client, director, school, n, django_assert_num_queries
):
    for _ in range(n):
        protocol = ProtocolFactory(stichting=school.stichting)
        ProtocolVersionFactory(protocol=protocol, status=ProtocolVersion.Status.SUPERSEDED)
        ProtocolVersionFactory(protocol=protocol)
    client.force_login(director)
    # session, user, protocols, their versions, may-import, stichtingen the user governs, and
    # the navigation's reach (five)
    with django_assert_num_queries(7):
        client.get(reverse("protocols:protocol_list"))


# --- diff -------------------------------------------------------------------------------------


def test_version_diff_shows_words_added_and_removed(client, director, school):
    protocol = ProtocolFactory(stichting=school.stichting)
    old = adopted(protocol)
    SectionFactory(version=old, heading="Foto's", body="Geen foto's zonder toestemming.")
    new = ProtocolVersionFactory(protocol=protocol)
    SectionFactory(
        version=new, heading="Foto's", body="Nooit foto's zonder schriftelijke toestemming."
    )
    client.force_login(director)
    html = client.get(reverse("protocols:version_diff", args=[new.pk, old.pk])).content.decode()
    assert "2 woorden toegevoegd" in html and "1 woord verwijderd" in html
    assert '<span class="visually-hidden">[toegevoegd: </span>Nooit' in html


def test_version_diff_with_a_version_of_another_protocol_is_404(client, director, school):
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    foreign = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    client.force_login(director)
    url = reverse("protocols:version_diff", args=[version.pk, foreign.pk])
    assert client.get(url).status_code == 404


def test_version_diff_is_404_for_outsider(client, outsider, school):
    protocol = ProtocolFactory(stichting=school.stichting)
    old = ProtocolVersionFactory(protocol=protocol, status=ProtocolVersion.Status.SUPERSEDED)
    new = ProtocolVersionFactory(protocol=protocol)
    client.force_login(outsider)
    url = reverse("protocols:version_diff", args=[new.pk, old.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("n", [1, 8])
def test_version_diff_query_count_is_constant(
    client, director, school, n, django_assert_num_queries
):
    protocol = ProtocolFactory(stichting=school.stichting)
    old = ProtocolVersionFactory(protocol=protocol, status=ProtocolVersion.Status.SUPERSEDED)
    new = ProtocolVersionFactory(protocol=protocol)
    SectionFactory.create_batch(n, version=old)
    SectionFactory.create_batch(n, version=new)
    client.force_login(director)
    # session, user, two versions, the sections of each, other versions, navigation (six)
    with django_assert_num_queries(9):
        client.get(reverse("protocols:version_diff", args=[new.pk, old.pk]))


def test_version_diff_pdf_marks_the_changes_for_paper(client, director, school):
    import io

    from pypdf import PdfReader

    protocol = ProtocolFactory(stichting=school.stichting, title="Protocol sociale media")
    old = adopted(protocol)
    SectionFactory(version=old, heading="Foto's", body="Geen foto's zonder toestemming.")
    new = ProtocolVersionFactory(protocol=protocol)
    SectionFactory(version=new, heading="Foto's", body="Nooit foto's zonder toestemming.")
    client.force_login(director)
    response = client.get(reverse("protocols:version_diff_pdf", args=[new.pk, old.pk]))
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(p.extract_text() for p in pages)
    assert response["Content-Type"] == "application/pdf"
    assert "1 woord toegevoegd" in " ".join(text.split())
    # The CONCEPT mark is a page background drawn as an artifact, not text.
    content = pages[0].get_contents().get_data()
    assert ("Nooit" in text, re.search(rb"/Artifact\s+BMC[^E]*?/x\d+ Do", content) is not None) == (
        True,
        True,
    )


def test_version_diff_pdf_is_404_for_outsider(client, outsider, school):
    protocol = ProtocolFactory(stichting=school.stichting)
    old = ProtocolVersionFactory(protocol=protocol, status=ProtocolVersion.Status.SUPERSEDED)
    new = ProtocolVersionFactory(protocol=protocol)
    client.force_login(outsider)
    url = reverse("protocols:version_diff_pdf", args=[new.pk, old.pk])
    assert client.get(url).status_code == 404
