from protocols.rendering import fill_placeholders, render_body, render_text


def test_raw_html_in_a_body_is_escaped():
    html = render_body('Klik <script>alert("x")</script> <a href="javascript:x">hier</a>')
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_javascript_links_are_not_rendered_as_links():
    assert "href" not in render_body("[klik](javascript:alert(1))")


def test_placeholders_are_filled_for_a_school_and_kept_board_wide():
    text = "Welkom op [naam school]. [Naam school] is trots."
    assert (fill_placeholders(text, "De Linde"), fill_placeholders(text, None)) == (
        "Welkom op De Linde. De Linde is trots.",
        text,
    )


def test_school_name_in_a_heading_is_escaped():
    assert render_text("Protocol [naam school]", school_name="A & B") == "Protocol A &amp; B"


def test_numbered_and_bulleted_items_become_lists():
    html = render_body("3. drie\n4. vier\n\n- punt")
    assert ('<ol start="3">' in html, "<ul>\n<li>punt</li>" in html) == (True, True)


def test_unreferenced_footnote_is_kept_as_a_plain_note():
    html = render_body("Tekst.\n\n[^1]: Dit model is gebaseerd op VERUS.")
    assert "<p>¹ Dit model is gebaseerd op VERUS.</p>" in html


def test_referenced_footnote_becomes_a_real_footnote():
    html = render_body("Gegevens[^2] delen.\n\n[^2]: Zie de AVG.", prefix="s9")
    assert ('href="#fn-s9-1"' in html, "Zie de AVG." in html) == (True, True)
