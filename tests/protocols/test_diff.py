import random

import pytest
from django.urls import reverse

from protocols.diff import blocks, diff_sections, word_diff
from tests.factories import ProtocolFactory, ProtocolVersionFactory, SectionFactory


def summary(result):
    return [(d.heading, d.kind, d.moved, d.words_added, d.words_removed) for d in result]


def test_word_diff_counts_words_added_and_removed():
    changes = word_diff(
        "Leerlingen mogen geen foto's delen.", "Leerlingen mogen nooit foto's delen."
    )
    assert [(c.op, c.text) for c in changes] == [
        ("equal", "Leerlingen mogen"),
        ("delete", "geen"),
        ("insert", "nooit"),
        ("equal", "foto's delen."),
    ]


def test_word_diff_ignores_rewrapped_whitespace():
    assert [c.op for c in word_diff("een  twee\ndrie", "een twee drie")] == ["equal"]


def test_unchanged_versions_have_no_changes():
    sections = [("Inleiding", "Tekst."), ("Slot", "Einde.")]
    assert summary(diff_sections(sections, sections)) == [
        ("Inleiding", "unchanged", False, 0, 0),
        ("Slot", "unchanged", False, 0, 0),
    ]


def test_added_and_removed_sections_are_reported_in_place():
    old = [("Inleiding", "Tekst."), ("Oud", "Weg ermee."), ("Slot", "Einde.")]
    new = [("Inleiding", "Tekst."), ("Nieuw", "Twee woorden."), ("Slot", "Einde.")]
    assert summary(diff_sections(old, new)) == [
        ("Inleiding", "unchanged", False, 0, 0),
        ("Oud", "removed", False, 0, 2),
        ("Nieuw", "added", False, 2, 0),
        ("Slot", "unchanged", False, 0, 0),
    ]


def test_a_moved_section_is_marked_moved_not_removed_and_added():
    old = [("A", "a."), ("B", "b."), ("C", "c.")]
    new = [("A", "a."), ("C", "c."), ("B", "b.")]
    assert [(d.heading, d.kind, d.moved) for d in diff_sections(old, new)] == [
        ("A", "unchanged", False),
        ("C", "unchanged", False),
        ("B", "unchanged", True),
    ]


def test_renamed_section_with_same_body_is_a_heading_change():
    result = diff_sections([("Slot", "Einde.")], [("Tot slot", "Einde.")])
    assert summary(result) == [("Tot slot", "changed", False, 2, 1)]


def test_repeated_headings_pair_in_order():
    old = [("E-mail", "Eerste."), ("E-mail", "Tweede.")]
    new = [("E-mail", "Eerste."), ("E-mail", "Tweede, aangepast.")]
    assert summary(diff_sections(old, new)) == [
        ("E-mail", "unchanged", False, 0, 0),
        ("E-mail", "changed", False, 2, 1),
    ]


def long_text(words: int, seed: int) -> str:
    """Repetitive Dutch-like text: a small vocabulary, a full stop now and then."""
    rnd = random.Random(seed)
    vocabulary = ["de", "het", "een", "en", "van", "leerling", "school", "ouders", "mag", "niet"]
    return " ".join(
        rnd.choice(vocabulary) + ("." if rnd.random() < 0.05 else "") for _ in range(words)
    )


def test_word_diff_of_two_sections_of_8000_words_finishes():
    old = long_text(8000, seed=1)
    words = old.split()
    words[4000:4000] = ["nieuw"] * 10
    del words[100:105]
    changes = word_diff(old, " ".join(words))
    assert (
        sum(len(c.text.split()) for c in changes if c.op == "insert"),
        sum(len(c.text.split()) for c in changes if c.op == "delete"),
    ) == (10, 5)


def test_word_diff_of_two_unrelated_repetitive_texts_of_8000_words_finishes():
    changes = word_diff(long_text(8000, seed=1), long_text(8000, seed=2))
    assert (
        " ".join(c.text for c in changes if c.op != "insert").split()
        == long_text(8000, seed=1).split()
    )


def test_word_diff_of_8000_words_without_full_stops_finishes():
    old = long_text(8000, seed=3).replace(".", "")
    new = old.replace("school", "scholen")
    changes = word_diff(old, new)
    assert " ".join(c.text for c in changes if c.op != "delete").split() == new.split()


def structure(result):
    return [
        (group.tag, [(block.op, [(c.op, c.text) for c in block.changes]) for block in group.blocks])
        for group in result.groups
    ]


def test_blocks_split_paragraphs_and_list_items():
    body = (
        "Inleiding over\nfoto's.\n\n- eerste punt\n  loopt door\n- tweede punt\n\n"
        "1. stap een\n2) stap twee"
    )
    assert blocks(body) == [
        ("p", "Inleiding over foto's."),
        ("ul", "eerste punt loopt door"),
        ("ul", "tweede punt"),
        ("ol", "stap een"),
        ("ol", "stap twee"),
    ]


def test_diff_keeps_a_list_as_a_list_and_marks_the_changed_item_in_place():
    old = "Regels:\n\n- geen foto's\n- geen namen\n- geen adressen"
    new = "Regels:\n\n- geen foto's\n- nooit namen\n- geen adressen"
    [section] = diff_sections([("Privacy", old)], [("Privacy", new)])
    assert structure(section) == [
        ("p", [("equal", [("equal", "Regels:")])]),
        (
            "ul",
            [
                ("equal", [("equal", "geen foto's")]),
                ("changed", [("delete", "geen"), ("insert", "nooit"), ("equal", "namen")]),
                ("equal", [("equal", "geen adressen")]),
            ],
        ),
    ]


def test_diff_shows_an_added_item_and_a_removed_paragraph_as_whole_blocks():
    old = "Eerste alinea.\n\nTweede alinea.\n\n1. een\n2. twee"
    new = "Eerste alinea.\n\n1. een\n2. anderhalf\n3. twee"
    [section] = diff_sections([("A", old)], [("A", new)])
    assert [(g.tag, [b.op for b in g.blocks]) for g in section.groups] == [
        ("p", ["equal"]),
        ("p", ["delete"]),
        ("ol", ["equal", "insert", "equal"]),
    ]
    assert (section.words_added, section.words_removed) == (1, 2)


@pytest.mark.django_db
def test_diff_page_renders_list_items_as_li_with_the_change_inside(client, director, school):
    protocol = ProtocolFactory(stichting=school.stichting)
    old = ProtocolVersionFactory(protocol=protocol, number=1, status="superseded")
    SectionFactory(version=old, heading="Regels", body="- geen foto's\n- geen namen")
    new = ProtocolVersionFactory(protocol=protocol, number=2)
    SectionFactory(version=new, heading="Regels", body="- geen foto's\n- nooit namen")
    client.force_login(director)
    html = client.get(reverse("protocols:version_diff", args=[new.pk, old.pk])).content.decode()
    body = html[html.index('<div class="diff-body">') :]
    body = " ".join(body[: body.index("</div>")].split())
    assert body == (
        '<div class="diff-body"> <ul class="diff-list">'
        '<li class="diff-block diff-block-equal">geen foto&#x27;s </li>'
        '<li class="diff-block diff-block-changed"><del class="diff-del">'
        '<span class="visually-hidden">[verwijderd: </span>geen'
        '<span class="visually-hidden">]</span></del> <ins class="diff-ins">'
        '<span class="visually-hidden">[toegevoegd: </span>nooit'
        '<span class="visually-hidden">]</span></ins> namen </li></ul>'
    )
