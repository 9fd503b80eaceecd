import io
import re

import pytest
from django.core import signing
from django.urls import reverse

from protocols.forms.versions import VersionEditForm, add_footnote
from protocols.models import ProtocolVersion
from schools.models import Role
from tests.factories import (
    MembershipFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    SchoolFactory,
    SectionFactory,
)
from tests.seeds import SEEDS

pytestmark = pytest.mark.django_db


def formset_data(sections, prefix="form"):
    """POST data for the section formset: (heading, body, order, delete) per section."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(sections)),
        f"{prefix}-INITIAL_FORMS": str(len(sections)),
    }
    for i, (heading, body, order, delete) in enumerate(sections):
        data.update(
            {
                f"{prefix}-{i}-heading": heading,
                f"{prefix}-{i}-audience": "",
                f"{prefix}-{i}-body": body,
                f"{prefix}-{i}-ORDER": str(order),
            }
        )
        if delete:
            data[f"{prefix}-{i}-DELETE"] = "on"
    return data


def loaded_token(version) -> str:
    """The signed moment the editor loaded `version`, as the edit page puts it in its form."""
    return VersionEditForm(version=version).initial["loaded_at"]


def upload(client, name, content, target):
    file = io.BytesIO(content)
    file.name = name
    return client.post(
        reverse("protocols:protocol_import"), {"step": "upload", "file": file, "target": target}
    )


# --- import -----------------------------------------------------------------------------------


def test_import_upload_shows_detected_sections_beside_the_source(client, director, school):
    client.force_login(director)
    response = upload(
        client,
        "klasse.txt",
        (SEEDS / "003_092d0334a5f458af.txt").read_bytes(),
        f"school:{school.pk}",
    )
    html = response.content.decode()
    headings = [f.initial.get("heading") for f in response.context["formset"]]
    assert headings[:3] == ["Inleiding", "Uitgangspunten", "Doelgroep en reikwijdte"]
    assert "Ter advisering" in response.context["source"]
    assert "Stappen van de besluitvorming in de tekst" in html


def test_import_review_saves_the_corrected_sections_and_the_trail(client, director, school):
    client.force_login(director)
    trail = [["GMR", "Ter instemming", "2026-02-11", "GMR\tTer instemming\t11-02-2026"]]
    data = {
        "step": "review",
        "target": f"school:{school.pk}",
        "source_name": "protocol.docx",
        "procedure": signing.dumps(trail),
        "title": "Protocol sociale media",
        **formset_data(
            [("Inleidng", "Eerste tekst.", 2, False), ("Inleiding", "Tekst.", 1, False)]
        ),
    }
    data["form-0-heading"] = "Slot"  # the director corrects a heading
    response = client.post(reverse("protocols:protocol_import"), data)
    version = ProtocolVersion.objects.get()
    assert response.url == version.get_absolute_url()
    assert [(s.heading, s.body) for s in version.sections.all()] == [
        ("Inleiding", "Tekst."),
        ("Slot", "Eerste tekst."),
    ]
    assert [(r.step, str(r.date)) for r in version.procedure_records.all()] == [
        ("GMR", "2026-02-11")
    ]
    assert (version.status, version.protocol.school, version.created_by) == (
        ProtocolVersion.Status.DRAFT,
        school,
        director,
    )


def test_import_review_refuses_a_tampered_trail_and_saves_nothing(client, director, school):
    client.force_login(director)
    data = {
        "step": "review",
        "target": f"school:{school.pk}",
        "source_name": "x.txt",
        "procedure": "forged",
        "title": "Protocol",
        **formset_data([("Inleiding", "Tekst.", 1, False)]),
    }
    html = client.post(reverse("protocols:protocol_import"), data).content.decode()
    assert "Er is met de import geknoeid; upload het bestand opnieuw." in html
    assert ProtocolVersion.objects.count() == 0


def test_import_refuses_other_file_types_with_a_clear_error(client, director, school):
    client.force_login(director)
    html = upload(client, "protocol.pdf", b"%PDF-1.7", f"school:{school.pk}").content.decode()
    assert "Alleen .txt- en .docx-bestanden kunnen worden geïmporteerd." in html


def test_import_of_a_broken_word_file_says_so(client, director, school):
    client.force_login(director)
    html = upload(client, "protocol.docx", b"not a zip", f"school:{school.pk}").content.decode()
    assert "Dit bestand is geen leesbaar Word-document (.docx)" in html


def test_import_is_404_for_a_teacher(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("protocols:protocol_import")).status_code == 404


def test_protocol_import_is_404_for_outsider(client, outsider, school):
    # An outsider can import for their own school, never into another stichting's.
    client.force_login(outsider)
    data = {
        "step": "review",
        "target": f"school:{school.pk}",
        "source_name": "x.txt",
        "procedure": signing.dumps([]),
        "title": "Protocol",
        **formset_data([("Inleiding", "Tekst.", 1, False)]),
    }
    response = client.post(reverse("protocols:protocol_import"), data)
    assert ProtocolVersion.objects.count() == 0
    assert "Selecteer een geldige keuze" in response.content.decode()


# --- editing a draft --------------------------------------------------------------------------


@pytest.fixture
def draft(school):
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    SectionFactory(version=version, position=1, heading="Inleiding", body="Oud.")
    SectionFactory(version=version, position=2, heading="Slot", body="Einde.")
    return version


def edit(client, version, sections):
    data = {"loaded_at": loaded_token(version), **formset_data(sections)}
    return client.post(reverse("protocols:version_edit", args=[version.pk]), data)


def test_version_edit_reorders_removes_and_adds_sections(client, director, draft):
    client.force_login(director)
    edit(
        client,
        draft,
        [
            ("Inleiding", "Nieuw.", 2, False),
            ("Slot", "Einde.", 1, True),
            ("Foto's", "Vraag.", 1, False),
        ],
    )
    assert [(s.position, s.heading, s.body) for s in draft.sections.all()] == [
        (1, "Foto's", "Vraag."),
        (2, "Inleiding", "Nieuw."),
    ]


def test_version_edit_after_someone_elses_save_keeps_your_text_and_saves_nothing(
    client, director, draft
):
    client.force_login(director)
    loaded = loaded_token(draft)
    draft.save()  # another editor saves in the meantime
    data = {"loaded_at": loaded, **formset_data([("Inleiding", "Mijn tekst.", 1, False)])}
    html = client.post(reverse("protocols:version_edit", args=[draft.pk]), data).content.decode()
    assert "Iemand anders heeft dit concept opgeslagen nadat je het opende." in html
    assert "Mijn tekst." in html
    assert [s.body for s in draft.sections.all()] == ["Oud.", "Einde."]


def test_version_edit_refuses_an_empty_protocol(client, director, draft):
    client.force_login(director)
    html = edit(client, draft, [("Inleiding", "Oud.", 1, True)]).content.decode()
    assert "Een protocol heeft minstens één paragraaf met tekst nodig." in html


def test_version_edit_of_an_adopted_version_is_refused(client, director, draft):
    draft.status = ProtocolVersion.Status.ADOPTED
    draft.save()
    client.force_login(director)
    response = edit(client, draft, [("Inleiding", "Stiekem.", 1, False)])
    assert response.url == draft.get_absolute_url()
    assert [s.body for s in draft.sections.all()] == ["Oud.", "Einde."]


def test_version_edit_is_404_for_a_teacher_who_may_only_read(client, teacher, draft):
    client.force_login(teacher)
    assert client.get(reverse("protocols:version_edit", args=[draft.pk])).status_code == 404


def test_version_edit_is_404_for_outsider(client, outsider, draft):
    client.force_login(outsider)
    assert client.get(reverse("protocols:version_edit", args=[draft.pk])).status_code == 404


def test_director_of_a_sibling_school_may_edit_a_board_wide_draft(client, draft, school):
    sibling = SchoolFactory(stichting=school.stichting)
    director = MembershipFactory(school=sibling, role=Role.DIRECTOR).user
    client.force_login(director)
    assert client.get(reverse("protocols:version_edit", args=[draft.pk])).status_code == 200


@pytest.mark.parametrize("n", [1, 10])
def test_version_edit_query_count_is_constant(
    client, director, school, n, django_assert_num_queries
):
    version = ProtocolVersionFactory(protocol=ProtocolFactory(stichting=school.stichting))
    SectionFactory.create_batch(n, version=version)
    client.force_login(director)
    # session, user, version, sections, and the navigation's reach (five)
    with django_assert_num_queries(6):
        client.get(reverse("protocols:version_edit", args=[version.pk]))


# --- new draft --------------------------------------------------------------------------------


def test_version_new_draft_copies_the_text_into_a_new_version(client, director, draft):
    draft.status = ProtocolVersion.Status.ADOPTED
    draft.save()
    client.force_login(director)
    response = client.post(reverse("protocols:version_new_draft", args=[draft.pk]))
    new = ProtocolVersion.objects.get(status=ProtocolVersion.Status.DRAFT)
    assert response.url == reverse("protocols:version_edit", args=[new.pk])
    assert (new.number, new.based_on) == (draft.number + 1, draft)
    assert [s.body for s in new.sections.all()] == ["Oud.", "Einde."]


def test_version_new_draft_when_a_draft_exists_points_to_it(client, director, draft):
    client.force_login(director)
    client.post(reverse("protocols:version_new_draft", args=[draft.pk]), follow=True)
    response = client.post(reverse("protocols:version_new_draft", args=[draft.pk]), follow=True)
    assert ProtocolVersion.objects.count() == 1
    assert f"Versie {draft.number} is al een concept van dit protocol" in response.content.decode()


def test_version_new_draft_is_404_for_outsider(client, outsider, draft):
    client.force_login(outsider)
    response = client.post(reverse("protocols:version_new_draft", args=[draft.pk]))
    assert (response.status_code, ProtocolVersion.objects.count()) == (404, 1)


def test_version_new_draft_asks_before_it_makes_one(client, director, draft):
    draft.status = ProtocolVersion.Status.ADOPTED
    draft.save()
    client.force_login(director)
    response = client.get(reverse("protocols:version_new_draft", args=[draft.pk]))
    page = response.content.decode()
    assert (
        f"Nieuw concept maken van versie {draft.number}?" in page,
        "Maak het nieuwe concept" in page,
    ) == (True, True)
    assert ProtocolVersion.objects.count() == 1


# --- discard ----------------------------------------------------------------------------------


@pytest.fixture
def second_draft(draft):
    draft.status = ProtocolVersion.Status.ADOPTED
    draft.save()
    return ProtocolVersionFactory(protocol=draft.protocol, number=draft.number + 1)


def test_version_discard_asks_first_and_then_throws_the_draft_away(
    client, director, draft, second_draft
):
    client.force_login(director)
    url = reverse("protocols:version_discard", args=[second_draft.pk])
    asked = client.get(url).content.decode()
    response = client.post(url)
    assert (f"Conceptversie {second_draft.number} weggooien?" in asked, response.url) == (
        True,
        reverse("protocols:protocol_list"),
    )
    assert list(ProtocolVersion.objects.values_list("number", flat=True)) == [draft.number]


def test_version_discard_keeps_a_protocols_only_version(client, director, draft):
    client.force_login(director)
    response = client.post(reverse("protocols:version_discard", args=[draft.pk]), follow=True)
    assert "de enige versie van dit protocol" in response.content.decode()
    assert ProtocolVersion.objects.count() == 1


def test_version_discard_is_404_for_a_version_that_is_not_a_draft(client, director, draft):
    draft.status = ProtocolVersion.Status.ADOPTED
    draft.save()
    client.force_login(director)
    response = client.post(reverse("protocols:version_discard", args=[draft.pk]))
    assert (response.status_code, ProtocolVersion.objects.count()) == (404, 1)


def test_version_discard_is_404_for_a_teacher(client, teacher, second_draft):
    client.force_login(teacher)
    response = client.post(reverse("protocols:version_discard", args=[second_draft.pk]))
    assert (response.status_code, ProtocolVersion.objects.count()) == (404, 2)


def test_version_discard_is_404_for_outsider(client, outsider, second_draft):
    client.force_login(outsider)
    response = client.post(reverse("protocols:version_discard", args=[second_draft.pk]))
    assert (response.status_code, ProtocolVersion.objects.count()) == (404, 2)


# --- preview ----------------------------------------------------------------------------------


def test_section_preview_renders_the_safe_markdown_subset(client, director):
    client.force_login(director)
    response = client.post(reverse("protocols:section_preview"), {"body": "1. een\n\n<b>x</b>"})
    html = response.content.decode()
    assert re.sub(r"\s+", "", html) == "<ol><li>een</li></ol><p>&lt;b&gt;x&lt;/b&gt;</p>"


def test_section_preview_needs_login(client):
    response = client.post(reverse("protocols:section_preview"), {"body": "x"})
    assert response.status_code == 302


# --- school addenda ---------------------------------------------------------------------------


def test_director_adds_an_addendum_shown_after_the_board_text(client, director, draft, school):
    client.force_login(director)
    data = {
        "loaded_at": loaded_token(draft),
        **formset_data([("Onze school", "Wij fotograferen alleen op het plein.", 1, False)]),
    }
    client.post(reverse("protocols:version_addendum_edit", args=[draft.pk, school.slug]), data)
    assert [(s.heading, s.school) for s in draft.sections.all()] == [
        ("Inleiding", None),
        ("Slot", None),
        ("Onze school", school),
    ]


def test_editing_the_board_text_keeps_the_addenda(client, director, draft, school):
    SectionFactory(version=draft, position=3, heading="Onze school", school=school)
    client.force_login(director)
    edit(client, draft, [("Inleiding", "Nieuw.", 1, False)])
    assert [(s.heading, s.school) for s in draft.sections.all()] == [
        ("Inleiding", None),
        ("Onze school", school),
    ]


def test_version_addendum_edit_for_a_school_one_does_not_direct_is_404(
    client, director, draft, school
):
    sibling = SchoolFactory(stichting=school.stichting)
    client.force_login(director)
    url = reverse("protocols:version_addendum_edit", args=[draft.pk, sibling.slug])
    assert client.get(url).status_code == 404


def test_version_addendum_edit_is_404_for_outsider(client, outsider, draft, school):
    client.force_login(outsider)
    url = reverse("protocols:version_addendum_edit", args=[draft.pk, school.slug])
    assert client.get(url).status_code == 404


# --- moving sections and adding footnotes without JavaScript -----------------------------------


def test_version_edit_move_button_reorders_the_form_without_saving(client, director, draft):
    client.force_login(director)
    data = {
        "loaded_at": loaded_token(draft),
        "move": "1:up",
        **formset_data([("Inleiding", "Oud.", 1, False), ("Slot", "Einde.", 2, False)]),
    }
    html = client.post(reverse("protocols:version_edit", args=[draft.pk]), data).content.decode()
    headings = re.findall(r'name="form-\d-heading" value="([^"]*)"', html)
    orders = re.findall(r'name="form-\d-ORDER" value="([^"]*)"', html)
    assert (headings, orders) == (["Slot", "Inleiding"], ["1", "2"])
    assert re.search(r'value="0:up"[^>]*autofocus', html)
    assert [s.heading for s in draft.sections.all()] == ["Inleiding", "Slot"]


def test_version_edit_saves_the_order_the_move_buttons_made(client, director, draft):
    client.force_login(director)
    data = {
        "loaded_at": loaded_token(draft),
        "move": "0:down",
        **formset_data([("Inleiding", "Oud.", 1, False), ("Slot", "Einde.", 2, False)]),
    }
    moved = client.post(reverse("protocols:version_edit", args=[draft.pk]), data)
    posted = dict(
        re.findall(r'name="(form-[^"]+|loaded_at)"[^>]*value="([^"]*)"', moved.content.decode())
    )
    posted.update({"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2"})
    for i in (0, 1):
        posted[f"form-{i}-body"] = ["Einde.", "Oud."][i]
    client.post(reverse("protocols:version_edit", args=[draft.pk]), posted)
    assert [s.heading for s in draft.sections.all()] == ["Slot", "Inleiding"]


@pytest.mark.parametrize("value", ["0:up", "1:down", "x:up", "0:sideways", "99:down", ""])
def test_version_edit_move_that_goes_nowhere_changes_nothing(client, director, draft, value):
    client.force_login(director)
    data = {
        "loaded_at": loaded_token(draft),
        "move": value,
        **formset_data([("Inleiding", "Oud.", 1, False), ("Slot", "Einde.", 2, False)]),
    }
    html = client.post(reverse("protocols:version_edit", args=[draft.pk]), data).content.decode()
    assert re.findall(r'name="form-\d-heading" value="([^"]*)"', html) == ["Inleiding", "Slot"]


def test_add_footnote_puts_the_call_after_the_text_and_the_note_below():
    body = "Eerste zin.[^1]\n\n- een punt\n\n[^1]: Oude noot."
    assert add_footnote(body, "  Nieuwe\nnoot. ") == (
        "Eerste zin.[^1]\n\n- een punt[^2]\n\n[^1]: Oude noot.\n[^2]: Nieuwe noot."
    )


def test_version_edit_footnote_button_adds_the_note_without_saving(client, director, draft):
    client.force_login(director)
    data = {
        "loaded_at": loaded_token(draft),
        "footnote": "0",
        **formset_data([("Inleiding", "Oud.", 1, False), ("Slot", "Einde.", 2, False)]),
        "form-0-footnote": "Zie de AVG.",
    }
    response = client.post(reverse("protocols:version_edit", args=[draft.pk]), data)
    assert response.context["formset"].forms[0]["body"].value() == "Oud.[^1]\n\n[^1]: Zie de AVG."
    assert [s.body for s in draft.sections.all()] == ["Oud.", "Einde."]


def test_version_edit_saves_a_typed_footnote_with_the_draft(client, director, draft):
    client.force_login(director)
    data = {
        "loaded_at": loaded_token(draft),
        **formset_data([("Inleiding", "Oud.", 1, False), ("Slot", "Einde.", 2, False)]),
        "form-1-footnote": "Bron: de wet.",
    }
    client.post(reverse("protocols:version_edit", args=[draft.pk]), data)
    assert [s.body for s in draft.sections.all()] == ["Oud.", "Einde.[^1]\n\n[^1]: Bron: de wet."]


# --- the kept rendering of a version's text (rendering.reader_sections) -----------------------


def test_the_version_page_shows_an_edit_at_once_though_its_text_is_kept(client, director, draft):
    client.force_login(director)
    before = client.get(draft.get_absolute_url()).content.decode()
    edit(client, draft, [("Inleiding", "Nieuw.", 1, False), ("Slot", "Einde.", 2, False)])
    after = client.get(draft.get_absolute_url()).content.decode()
    assert ("Oud." in before, "Oud." in after, "Nieuw." in after) == (True, False, True)
