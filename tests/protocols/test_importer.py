"""Tests for protocols.importer: the five source protocols and small hand-made inputs."""

import datetime
import io
import re
import zipfile
from collections import Counter

import docx
import pytest
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn

from protocols.importer import (
    ImportResult,
    ProcedureRecord,
    import_docx,
    import_text,
    parse_date,
    result_text,
    sentences,
)
from tests.seeds import SEEDS

SEED_IDS = ["000", "001", "002", "003", "004"]

# The sections a reader sees in each source, in order ("" = text before the first heading).
EXPECTED_HEADINGS = {
    "000": [
        "Wat verstaan we onder social media?",
        "Waarom een social media protocol?",
        "Social media en ons onderwijs",
        "Toepassing social media bij profilering",
        "Toepassing social media in communicatie vanuit school",
        "A. Voor alle gebruikers (medewerkers, leerlingen en ouders/verzorgers)",
        "B. Voor de leerlingen",
        "C. Voor ouders",
        "D. Voor medewerkers",
        "Gevolgen voor medewerkers en leerlingen",
    ],
    "001": [
        "",
        "Bijlage",
        "Protocol Sociale Media [naam school]",
        "Inleiding",
        "Uitgangspunten",
        "Doelgroep en reikwijdte",
        "Sociale media in de school",
        "A. Voor alle gebruikers (medewerkers, leerlingen en ouders/verzorgers)",
        "B. Voor medewerkers tijdens werksituaties",
        "C. Voor medewerkers buiten werksituaties",
        "Sancties en gevolgen voor medewerkers en leerlingen",
    ],
    "002": [
        "Inleiding",
        "Uitgangspunten",
        "Doelgroep en reikwijdte",
        "Social media, de Algemene Verordening Gegevensbescherming (AVG) en de school",
        "A. Voor alle gebruikers (medewerkers, leerlingen en ouders/verzorgers)",
        "B. Voor medewerkers tijdens werksituaties",
        "C. Voor medewerkers tijdens privésituaties",
        "D. Sancties en gevolgen voor medewerkers en leerlingen",
    ],
    "003": [
        "Inleiding",
        "Uitgangspunten",
        "Doelgroep en reikwijdte",
        "Sociale media, de Algemene Verordening Gegevensbescherming (AVG) en de school",
        "A. Voor alle gebruikers (medewerkers, leerlingen en ouders/verzorgers)",
        "B. Voor medewerkers tijdens werksituaties",
        "C. Voor medewerkers tijdens privésituaties",
        "Sancties en gevolgen voor medewerkers en leerlingen",
    ],
    "004": [
        "",
        "Inleiding",
        "Doelgroep en reikwijdte",
        "Uitgangspunten",
        "Afspraken voor leerlingen",
        "Internet",
        "E-mail",
        "Afspraken gebruikers",
        "Specifiek voor werknemers tijdens werksituaties.",
        "Specifiek voor werknemer tijdens privésituaties.",
        "SCHOOLWEBSITE",
        "MOBIELE TELEFOONS, SMARTPHONES EN OVERIGE INFORMATIE- EN COMMUNICATIEMIDDELEN DOOR "
        "LEERLINGEN",
        "Sancties en gevolgen bij:",
        "E-mail",
        "Sociale media:",
        "Mobiele telefoons",
        "In bewaring nemen:",
        "Tot slot",
    ],
}

EXPECTED_TITLES = {
    "000": "Protocol Social Media Nutsschool Lankforst (dd 7-11-2024)",
    "001": "3.8 Beleid protocol Social Media",
    "002": "Social Media Protocol",
    "003": "Protocol sociale media",
    "004": "Protocol gebruik van Internet en Sociale Media",
}

FOOTNOTE_DEFINITION_RE = re.compile(r"^\[\^(\d+)\]: (.*)$", re.MULTILINE)


def _seed(seed_id: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"the source protocols are not at {SEEDS}")
    [path] = SEEDS.glob(f"{seed_id}_*.txt")
    return path.read_text(encoding="utf-8")


def _flat(text: str) -> str:
    return " ".join(sentences(text))


def _section(result: ImportResult, heading: str):
    [section] = [s for s in result.sections if s.heading == heading]
    return section


def _dates(result: ImportResult) -> list[tuple[str, datetime.date | None]]:
    return [(record.step, record.date) for record in result.procedure]


# --- Nothing lost, nothing invented, nothing out of order ----------------------------------------


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_import_keeps_every_word_of_the_source(seed_id):
    source = _seed(seed_id)

    result = import_text(source)

    assert Counter(_flat(result_text(result)).split()) == Counter(_flat(source).split())


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_import_keeps_every_sentence_in_order(seed_id):
    source = _seed(seed_id)
    result = import_text(source)
    # Procedure lines move to result.procedure and footnotes to the end of their section: take
    # them out of the source (each must be found there as written), then the rest must match
    # the title, headings and bodies sentence for sentence.
    definitions = [
        text for s in result.sections for _n, text in FOOTNOTE_DEFINITION_RE.findall(s.body)
    ]
    moved = [r.text for r in result.procedure if not r.also_in_body] + definitions
    remaining = _flat(source)
    for piece in moved:
        assert _flat(piece) in remaining
        remaining = remaining.replace(_flat(piece), " ", 1)
    in_place = [result.title]
    for section in result.sections:
        in_place += [section.heading, FOOTNOTE_DEFINITION_RE.sub("", section.body)]

    assert sentences("\n\n".join(in_place)) == sentences(remaining)


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_import_keeps_extraction_noise_as_written(seed_id):
    source = _seed(seed_id)
    noise = ["Hetis", "codrdinator", "officiéle", "Al-beelden", "social meida", "Afthankelijk"]

    text = result_text(import_text(source))

    assert {word: text.count(word) for word in noise} == {
        word: source.count(word) for word in noise
    }


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_import_keeps_school_name_placeholders(seed_id):
    source = _seed(seed_id)

    text = result_text(import_text(source))

    assert (text.count("[naam school]"), text.count("[Naam school]")) == (
        " ".join(source.split()).count("[naam school]"),
        source.count("[Naam school]"),
    )


# --- Title and sections --------------------------------------------------------------------------


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_import_finds_the_title(seed_id):
    assert import_text(_seed(seed_id)).title == EXPECTED_TITLES[seed_id]


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_import_finds_the_headings_a_reader_sees(seed_id):
    result = import_text(_seed(seed_id))

    assert [section.heading for section in result.sections] == EXPECTED_HEADINGS[seed_id]


def test_section_audience_follows_the_heading():
    result = import_text(_seed("000"))

    assert [(s.heading[:2], s.audience) for s in result.sections[5:]] == [
        ("A.", "alle gebruikers"),
        ("B.", "leerlingen"),
        ("C.", "ouders"),
        ("D.", "medewerkers"),
        ("Ge", ""),  # "Gevolgen voor medewerkers en leerlingen" addresses two groups
    ]


def test_section_audience_is_alle_gebruikers_for_lettered_a_heading():
    result = import_text(_seed("003"))

    assert [s.audience for s in result.sections if s.heading[:2] in ("A.", "B.", "C.")] == [
        "alle gebruikers",
        "medewerkers",
        "medewerkers",
    ]


def test_short_line_under_a_heading_that_opens_its_text_is_not_a_heading():
    result = import_text(_seed("004"))

    assert _section(result, "Inleiding").body.split("\n\n")[:2] == [
        "De scholen van CBO Meilân",
        "Willen dat de leerlingen leren in schriftelijke en digitale bronnen informatie te "
        "zoeken, te ordenen en te beoordelen op waarde voor hem/haarzelf en anderen'.",
    ]


def test_trailing_short_lines_without_text_below_stay_body_text():
    result = import_text(_seed("000"))

    assert result.sections[-1].body.split("\n\n")[-2:] == [
        "Mogelijk nodig voor toekomst :Protocol PC-gebruik?, Protocol Beeldmateriaal?",
        "Gedragscode (zie bijlage)",
    ]


# --- Paragraphs and lists ------------------------------------------------------------------------


def test_wrapped_lines_are_joined_into_one_paragraph():
    result = import_text(_seed("000"))

    assert _section(result, "Wat verstaan we onder social media?").body == (
        "Onder het gebruik van sociale media verstaan we het gebruik van programma’s waarmee "
        "online informatie kan worden opgezocht, gedeeld en gepresenteerd. Denk bijvoorbeeld aan "
        "Whatsapp, Facebook, X, Instagram, YouTube, Snapchat maar ook alle (nieuwe) hiermee "
        "vergelijke programma’s en apps."
    )


def test_extracted_bullet_glyphs_become_list_items():
    result = import_text(_seed("000"))
    body = _section(result, "B. Voor de leerlingen").body

    bullets = [" ".join(line.split()[:4]) for line in body.splitlines() if line.startswith("- ")]

    assert bullets == [
        "- Beeld- of geluidsmateriaal",  # "o"
        "- sites te bezoeken",  # "o"
        "- hacken en ongeoorloofd",  # "¢"
        "- informatie, foto’s of",  # "¢"
        "- verzonnen berichten versturen",  # "e"
        "- Al-gegenereerde beelden gebruiken",  # "e"
        "- iemand lastig vallen,",  # "¢"
    ]


def test_word_starting_with_a_bullet_letter_is_not_a_bullet():
    text = (
        "Protocol\n\nE-mail\n\n"
        "Leerlingen gebruiken hun schoolaccount voor al het contact met school en docenten,\n"
        "e-mail naar privéadressen van docenten is niet toegestaan, ook niet voor huiswerk;\n"
        "o.a. bij ziekte of andere afwezigheid wordt de school gebeld door een ouder, want\n"
        "een leerling belt zelf nooit."
    )

    result = import_text(text)

    assert [(s.heading, s.body.count("\n")) for s in result.sections] == [("E-mail", 0)]


def test_numbered_lines_become_numbered_items():
    result = import_text(_seed("000"))
    body = _section(result, "Toepassing social media in communicatie vanuit school").body

    assert [line[:3] for line in body.splitlines()] == ["1. ", "2. ", "3. ", "4. ", "5. "]


def test_parenthesis_numbers_become_numbered_items():
    result = import_text("Protocol\n\nRegels\n\n1) Wees aardig.\n2) Meld pesten.")

    assert result.sections[0].body == "1. Wees aardig.\n2. Meld pesten."


def test_lettered_items_keep_their_letter():
    result = import_text(_seed("004"))
    body = result.sections[13].body  # the second "E-mail"

    assert [line for line in body.splitlines() if line.startswith("- ")] == [
        "- a. onwettige activiteiten mee gepleegd worden;",
        "- b. sprake is van onverantwoord gebruik;",
        "- c. gepest wordt;",
    ]


def test_lone_list_number_is_joined_to_its_text():
    result = import_text(_seed("001"))

    body = _section(result, "Sancties en gevolgen voor medewerkers en leerlingen").body

    assert body.startswith("1. Medewerkers die in strijd handelen met dit protocol")


def test_sentence_cut_by_a_page_break_is_rejoined():
    result = import_text(_seed("003"))
    body = _section(result, "B. Voor medewerkers tijdens werksituaties").body

    assert body.splitlines()[0].endswith(
        "informatie te delen en te communiceren over lesstof en school gerelateerde situaties "
        "(projectweek, uitstapjes, etc.)."
    )


# --- Footnotes -----------------------------------------------------------------------------------


def test_superscript_footnotes_become_definitions_in_the_referring_section():
    result = import_text(_seed("002"))

    found = {
        s.heading[:9]: [int(n) for n, _text in FOOTNOTE_DEFINITION_RE.findall(s.body)]
        for s in result.sections
        if "[^" in s.body
    }

    # Footnote 1 is on the title, so it goes to the first section.
    assert found == {"Inleiding": [1], "A. Voor a": [2, 3, 4]}


def test_superscript_footnote_markers_become_references():
    body = _section(
        import_text(_seed("002")),
        "A. Voor alle gebruikers (medewerkers, leerlingen en ouders/verzorgers)",
    ).body

    assert re.findall(r"\w+\[\^\d\]", body) == [
        "persoonsgegevens[^2]",
        "hij[^3]",
        "maatregelen[^4]",
    ]


def test_footnote_definition_text_is_kept():
    body = import_text(_seed("002")).sections[0].body

    assert body.endswith(
        "\n\n[^1]: Dit model is in de basis gebaseerd op het social media protocol van VERUS, "
        "Vereniging voor katholiek en christelijk onderwijs."
    )


# --- Procedure -----------------------------------------------------------------------------------


def test_procedure_table_with_tabs_becomes_records():
    result = import_text(_seed("003"))

    assert [(r.step, r.outcome, r.date) for r in result.procedure] == [
        ("Directeuren", "Ter advisering", datetime.date(2026, 1, 23)),
        ("GMR", "Ter instemming", datetime.date(2026, 2, 11)),
        ("RvT", "nvt", None),
        ("Vaststelling CvB", "", datetime.date(2026, 2, 23)),
        ("Evaluatie", "", datetime.date(2028, 2, 23)),
    ]


def test_procedure_lines_at_the_top_become_records():
    result = import_text(_seed("004"))

    assert [(r.text, r.step, r.outcome, r.date) for r in result.procedure] == [
        (
            "Aanpassing: 17 mei 2016: protocol gebruik internet en sociale media",
            "Aanpassing",
            "",
            datetime.date(2016, 5, 17),
        ),
        ("Besproken in kenniskring ICT", "kenniskring ICT", "Besproken", None),
        (
            "Besproken in directeurenoverleg: 7 juni 2016",
            "directeurenoverleg",
            "Besproken",
            datetime.date(2016, 6, 7),
        ),
        ("Alle aanpassingen zijn verwerkt daarna voorgelegd aan GMR", "GMR", "voorgelegd", None),
        ("GMR instemming: 23 januari 2017", "GMR", "instemming", datetime.date(2017, 1, 23)),
        ("CvB vaststelling : 30 januari 2017", "CvB", "vaststelling", datetime.date(2017, 1, 30)),
    ]


def test_procedure_lines_are_not_left_in_the_body():
    result = import_text(_seed("004"))

    assert result.sections[0].body == (
        "Was onderdeel van het veiligheidsbeleid op schoolniveau, wordt onderdeel van het "
        "veiligheidsbeleid op bovenschools niveau"
    )


def test_closing_instemming_and_publication_lines_become_records():
    result = import_text(_seed("002"))

    assert [(r.step, r.outcome, r.date) for r in result.procedure] == [
        ("MR", "instemming", datetime.date(2019, 10, 8)),
        ("Publicatie", "", datetime.date(2019, 10, 17)),
    ]


def test_trail_inside_body_sentences_is_reported_and_kept_in_the_body():
    result = import_text(_seed("001"))

    assert [(r.step, r.date, r.also_in_body) for r in result.procedure] == [
        ("CDO", datetime.date(2013, 9, 17), True),
        ("Inwerkingtreding", datetime.date(2014, 1, 1), True),
        ("(G)MR", datetime.date(2014, 1, 21), False),
        ("Versie", None, False),
    ]
    assert all(r.text in result.sections[0].body for r in result.procedure if r.also_in_body)


def test_dated_approval_sentence_at_the_end_becomes_a_record():
    result = import_text(
        "Protocol\n\nSlot\n\nDit is het einde.\n\nVastgesteld door het CvB op 1 mei 2020."
    )

    assert (result.sections[-1].body, result.procedure) == (
        "Dit is het einde.",
        [
            ProcedureRecord(
                text="Vastgesteld door het CvB op 1 mei 2020.",
                step="CvB",
                date=datetime.date(2020, 5, 1),
                outcome="Vastgesteld",
            )
        ],
    )


def test_date_in_title_stays_in_the_title():
    result = import_text(_seed("000"))

    assert (result.title.endswith("(dd 7-11-2024)"), result.procedure) == (True, [])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("23-01-2026", datetime.date(2026, 1, 23)),
        ("7-11-2024", datetime.date(2024, 11, 7)),
        ("01-01-2014", datetime.date(2014, 1, 1)),
        ("8 oktober 2019", datetime.date(2019, 10, 8)),
        ("op 17 mei 2016:", datetime.date(2016, 5, 17)),
        ("versie juni 2013", None),
        ("31-02-2020", None),
    ],
)
def test_parse_date_reads_dutch_dates(text, expected):
    assert parse_date(text) == expected


# --- Helpers used by round-trip tests ------------------------------------------------------------


def test_sentences_drops_list_markers_and_footnotes():
    markdown = "1. Eerste regel. Tweede regel;\n- derde[^2]\n\n[^2]: Noot!\n¢ vierde ? vijfde"

    assert sentences(markdown) == [
        "Eerste regel.",
        "Tweede regel;",
        "derde Noot!",
        "vierde ?",
        "vijfde",
    ]


def test_result_text_has_title_procedure_headings_and_plain_bodies():
    result = import_text("Protocol\n\nGMR instemming: 1 mei 2020\n\nRegels\n\n- Wees aardig.")

    assert result_text(result) == "Protocol\n\nGMR instemming: 1 mei 2020\n\nRegels\n\nWees aardig."


# --- .docx ---------------------------------------------------------------------------------------


def _docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_import_docx_uses_heading_and_list_styles():
    document = docx.Document()
    document.add_heading("Protocol sociale media", level=0)
    document.add_paragraph("Dit protocol geldt voor iedereen.")
    document.add_heading("Uitgangspunten", level=1)
    document.add_paragraph("De school onderkent het belang van sociale media.", "List Number")
    document.add_paragraph("Dit protocol draagt bij aan een veilig klimaat.", "List Number")
    document.add_heading("B. Voor de leerlingen", level=2)
    document.add_paragraph("Wij helpen elkaar.", "List Bullet")
    document.add_paragraph("Wij melden pesten.", "List Bullet")
    document.add_paragraph("Vragen? Neem contact op met de directie.")

    result = import_docx(_docx_bytes(document))

    assert result.title == "Protocol sociale media"
    assert [(s.heading, s.audience, s.body) for s in result.sections] == [
        ("", "", "Dit protocol geldt voor iedereen."),
        (
            "Uitgangspunten",
            "",
            "1. De school onderkent het belang van sociale media.\n"
            "2. Dit protocol draagt bij aan een veilig klimaat.",
        ),
        (
            "B. Voor de leerlingen",
            "leerlingen",
            "- Wij helpen elkaar.\n- Wij melden pesten.\n\n"
            "Vragen? Neem contact op met de directie.",
        ),
    ]


def test_import_docx_reads_procedure_table():
    document = docx.Document()
    document.add_paragraph("Protocol sociale media")
    table = document.add_table(rows=2, cols=3)
    rows = [("Directeuren", "Ter advisering", "23-01-2026"), ("RvT", "nvt", "")]
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_heading("Inleiding", level=1)
    document.add_paragraph("Sociale media zijn overal.")

    result = import_docx(_docx_bytes(document))

    assert [(r.text, r.step, r.outcome, r.date) for r in result.procedure] == [
        (
            "Directeuren Ter advisering 23-01-2026",
            "Directeuren",
            "Ter advisering",
            datetime.date(2026, 1, 23),
        ),
        ("RvT nvt", "RvT", "nvt", None),
    ]


def test_import_docx_reads_footnotes():
    document = docx.Document()
    document.add_heading("Protocol sociale media", level=0)
    document.add_heading("Inleiding", level=1)
    paragraph = document.add_paragraph("Sociale media zijn overal")
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), "7")
    paragraph.add_run()._r.append(reference)
    paragraph.add_run(".")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    notes = (
        f'<w:footnotes xmlns:w="{w}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>"
        '<w:footnote w:id="7"><w:p><w:r><w:footnoteRef/></w:r>'
        '<w:r><w:t xml:space="preserve"> Bron: Kennisnet.</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    part = Part(
        PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, notes.encode(), document.part.package
    )
    document.part.relate_to(part, RT.FOOTNOTES)

    result = import_docx(_docx_bytes(document))

    assert result.sections[0].body == "Sociale media zijn overal[^1].\n\n[^1]: Bron: Kennisnet."


def test_import_docx_keeps_letters_of_lettered_numbering():
    document = docx.Document()
    document.add_paragraph("Protocol")
    document.add_heading("E-mail", level=1)
    numbering = document.part.numbering_part.element
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering.append(
        parse_xml(
            f'<w:abstractNum {w} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            '<w:numFmt w:val="lowerLetter"/></w:lvl></w:abstractNum>'
        )
    )
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for text in ["onwettige activiteiten;", "onverantwoord gebruik;"]:
        paragraph = document.add_paragraph(text, "List Paragraph")
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {w}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>')
        )

    result = import_docx(_docx_bytes(document))

    assert result.sections[0].body == "- a. onwettige activiteiten;\n- b. onverantwoord gebruik;"


def test_import_docx_keeps_text_inside_content_controls():
    document = docx.Document()
    document.add_paragraph("Protocol")
    document.add_heading("Inleiding", level=1)
    paragraph = document.add_paragraph("Tekst in een invulveld.")
    control = parse_xml(
        '<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:sdtContent/></w:sdt>"
    )
    paragraph._p.addprevious(control)
    control[0].append(paragraph._p)

    result = import_docx(_docx_bytes(document))

    assert result.sections[0].body == "Tekst in een invulveld."


def test_import_docx_round_trip_keeps_every_sentence_of_seed_003():
    source = _seed("003")
    text_result = import_text(source)
    headings = set(EXPECTED_HEADINGS["003"])
    document = docx.Document()
    paragraphs = [p.strip("\n") for p in re.split(r"\n\s*\n", source) if p.strip()]
    document.add_heading(paragraphs[0], level=0)
    for paragraph in paragraphs[1:]:
        if paragraph in headings:
            document.add_heading(paragraph, level=1)
        else:
            document.add_paragraph(paragraph)

    result = import_docx(_docx_bytes(document))

    assert sentences(result_text(result)) == sentences(result_text(text_result))
    assert [s.heading for s in result.sections] == EXPECTED_HEADINGS["003"]
    assert _dates(result) == _dates(text_result)


# --- Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "  \n\t\n "])
def test_import_text_rejects_empty_text(text):
    with pytest.raises(ValueError, match="empty"):
        import_text(text)


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _docx_with_broken_xml() -> bytes:
    good = zipfile.ZipFile(io.BytesIO(_docx_bytes(docx.Document())))
    files = {name: good.read(name) for name in good.namelist()}
    files["word/document.xml"] = files["word/document.xml"][:200]
    return _zip(files)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"%PDF-1.7 this is not a Word file", id="pdf"),
        pytest.param(_zip({"hello.txt": b"hallo"}), id="other-zip"),
        pytest.param(_docx_with_broken_xml(), id="broken-xml"),
    ],
)
def test_import_docx_rejects_bytes_that_are_not_a_docx(data):
    with pytest.raises(ValueError, match=r"not a readable Word document \(\.docx\)"):
        import_docx(data)


def test_import_docx_rejects_an_empty_document():
    with pytest.raises(ValueError, match="empty"):
        import_docx(_docx_bytes(docx.Document()))
