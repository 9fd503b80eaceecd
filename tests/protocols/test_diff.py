from protocols.diff import diff_sections, word_diff


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
