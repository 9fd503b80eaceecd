"""Reading the pupil administration's CSV (schools/pupil_import.py `parse`): pure, no database.

Every format Dutch Excel writes is read; every bad value is refused with the row number as
Excel shows it (the header is row 1).
"""

import codecs
from datetime import date

import pytest

from schools.pupil_import import MAX_BYTES, MAX_ROWS, parse
from tests.schools.pupil_csv import COLUMNS, csv_bytes, pupil

TODAY = date(2026, 12, 1)


def only_row(data: bytes):
    result = parse(data, today=TODAY)
    assert result.errors == []
    [row] = result.rows
    return row


def error_codes(data: bytes) -> list[tuple[int | None, str]]:
    result = parse(data, today=TODAY)
    return [(error.row, error.code) for error in result.errors]


# --- formats ----------------------------------------------------------------------------


def test_parse_reads_a_row_into_pupil_and_guardian():
    row = only_row(csv_bytes([pupil()]))
    assert (
        row.row,
        row.number,
        row.first_name,
        row.last_name,
        row.birth_date,
        row.group,
        [(g.name, g.email, g.has_gezag) for g in row.guardians],
    ) == (
        2,
        "1001",
        "Daan",
        "de Vries",
        date(2017, 5, 1),
        "Groep 5",
        [("Petra de Vries", "ouder1001@example.org", True)],
    )


@pytest.mark.parametrize(
    "encoding", ["utf-8-sig", "utf-8", "cp1252", "utf-16"], ids=["bom", "utf8", "cp1252", "utf16"]
)
def test_parse_reads_the_encodings_excel_writes(encoding):
    data = csv_bytes(
        [pupil(voornaam="Zoë", achternaam="Çelik", tussenvoegsel="")], encoding=encoding
    )
    row = only_row(data)
    assert (row.first_name, row.last_name) == ("Zoë", "Çelik")


def test_parse_reads_utf16_with_its_bom():
    data = csv_bytes([pupil()], encoding="utf-16-le")
    assert only_row(codecs.BOM_UTF16_LE + data).number == "1001"


@pytest.mark.parametrize("delimiter", [";", ","])
def test_parse_sniffs_the_delimiter(delimiter):
    assert only_row(csv_bytes([pupil()], delimiter=delimiter)).number == "1001"


def test_parse_follows_excels_sep_line_and_counts_it_as_a_row():
    data = b"sep=,\r\n" + csv_bytes([pupil(geboortedatum="31-02-2017")], delimiter=",")
    assert error_codes(data) == [(3, "bad_date")]


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_parse_reads_any_line_ending(newline):
    assert only_row(csv_bytes([pupil()], newline=newline)).number == "1001"


def test_parse_reads_columns_in_any_order_and_ignores_unknown_ones():
    columns = ("Groep", "extra", *reversed(COLUMNS[1:5]), *COLUMNS[6:], " LeerlingNummer ")
    data = csv_bytes([{**pupil(), "Groep": "Groep 5", " LeerlingNummer ": "1001"}], columns=columns)
    row = only_row(data)
    assert (row.number, row.group, row.last_name) == ("1001", "Groep 5", "de Vries")


@pytest.mark.parametrize(
    "written", ["01-05-2017", "1-5-2017", "2017-05-01", "1/5/2017", "01.05.2017"]
)
def test_parse_reads_dutch_and_iso_dates(written):
    assert only_row(csv_bytes([pupil(geboortedatum=written)])).birth_date == date(2017, 5, 1)


@pytest.mark.parametrize("written, expected", [("ja", True), ("JA", True), ("Nee", False)])
def test_parse_reads_gezag_ja_nee_in_any_case(written, expected):
    [guardian] = only_row(csv_bytes([pupil(ouder1_gezag=written)])).guardians
    assert guardian.has_gezag is expected


def test_parse_reads_a_second_guardian():
    row = only_row(
        csv_bytes(
            [
                pupil(
                    ouder2_naam="Karim Bakker",
                    ouder2_email="K.Bakker@Example.org",
                    ouder2_gezag="nee",
                )
            ]
        )
    )
    assert [(g.email, g.has_gezag) for g in row.guardians] == [
        ("ouder1001@example.org", True),
        ("k.bakker@example.org", False),
    ]


def test_parse_reads_an_optional_pupil_email_in_lower_case():
    assert only_row(csv_bytes([pupil(leerling_email="Daan@School.nl")])).email == "daan@school.nl"


def test_parse_keeps_a_quoted_delimiter_inside_a_value():
    assert only_row(csv_bytes([pupil(groep="Groep 5; de Uilen")])).group == "Groep 5; de Uilen"


def test_parse_trims_spaces_and_non_breaking_spaces():
    row = only_row(csv_bytes([pupil(voornaam="\u00a0 Daan ", leerlingnummer=" 1001 ")]))
    assert (row.first_name, row.number) == ("Daan", "1001")


def test_parse_skips_blank_lines_but_counts_them_as_excel_rows():
    data = csv_bytes([pupil("1"), {}, pupil("2", geboortedatum="x")])
    assert error_codes(data) == [(4, "bad_date")]


def test_parse_counts_a_quoted_line_break_as_one_excel_row():
    data = csv_bytes([pupil("1", groep="Groep\n5"), pupil("2", geboortedatum="x")])
    # The line break inside the quotes is refused as a control character in its own row.
    assert error_codes(data) == [(2, "control_character"), (3, "bad_date")]


# --- the file as a whole ----------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", codecs.BOM_UTF8])
def test_parse_refuses_an_empty_file(data):
    assert error_codes(data) == [(None, "empty")]


def test_parse_refuses_a_header_without_pupils():
    assert error_codes(csv_bytes([])) == [(None, "no_rows")]


@pytest.mark.parametrize("missing", ["leerlingnummer", "geboortedatum", "ouder2_gezag"])
def test_parse_refuses_a_missing_column_on_row_1(missing):
    columns = [c for c in COLUMNS if c != missing]
    result = parse(csv_bytes([pupil()], columns=columns), today=TODAY)
    assert ([(e.row, e.code) for e in result.errors], missing in result.errors[0].message) == (
        [(1, "missing_column")],
        True,
    )


def test_parse_refuses_a_column_twice():
    data = csv_bytes([pupil()], columns=[*COLUMNS, "Voornaam"])
    assert error_codes(data) == [(1, "duplicate_column")]


def test_parse_refuses_a_file_larger_than_the_cap():
    assert error_codes(b"a" * (MAX_BYTES + 1)) == [(None, "too_large")]


def test_parse_refuses_more_rows_than_the_cap():
    data = csv_bytes([pupil(str(n)) for n in range(MAX_ROWS + 1)])
    assert error_codes(data) == [(None, "too_many_rows")]


def test_parse_accepts_exactly_the_row_cap():
    data = csv_bytes([pupil(str(n)) for n in range(MAX_ROWS)])
    assert len(parse(data, today=TODAY).rows) == MAX_ROWS


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 100,  # .xlsx
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,  # .xls
    ],
    ids=["xlsx", "xls"],
)
def test_parse_refuses_an_excel_workbook_with_advice(data):
    assert error_codes(data) == [(None, "spreadsheet")]


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 4,
        "leerlingnummer;voornaam".encode("utf-16-le"),  # UTF-16 without its BOM
        b"leerlingnummer\x00;voornaam",
        b"\x81\x8d\x8f\x90\x9d",  # undefined in Windows-1252 and invalid UTF-8
    ],
    ids=["random-bytes", "utf16-no-bom", "nul", "undecodable"],
)
def test_parse_refuses_binary_or_undecodable_content(data):
    assert error_codes(data) == [(None, "unreadable")]


def test_parse_refuses_an_unterminated_huge_quoted_cell():
    header = ";".join(COLUMNS).encode()
    data = header + b'\r\n1001;"' + b"x" * 200_000 + b"\r\n"
    assert error_codes(data) == [(2, "bad_csv")]


# --- rows ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "column",
    [
        "leerlingnummer",
        "voornaam",
        "achternaam",
        "geboortedatum",
        "groep",
        "ouder1_naam",
        "ouder1_email",
        "ouder1_gezag",
    ],
)
def test_parse_refuses_an_empty_required_field(column):
    assert error_codes(csv_bytes([pupil(**{column: ""})])) == [(2, "required")]


def test_parse_names_the_row_as_excel_shows_it():
    data = csv_bytes([pupil("1"), pupil("2"), pupil("3", voornaam="")])
    assert error_codes(data) == [(4, "required")]


def test_parse_reports_every_bad_row_and_keeps_the_good_ones_apart():
    data = csv_bytes([pupil("1", voornaam=""), pupil("2"), pupil("3", ouder1_gezag="?")])
    result = parse(data, today=TODAY)
    assert ([(e.row, e.code) for e in result.errors], [r.number for r in result.rows]) == (
        [(2, "required"), (4, "bad_gezag")],
        ["2"],
    )


@pytest.mark.parametrize(
    "written", ["31-02-2017", "2017-13-01", "00-01-2017", "29-02-2018", "mei 2017", "1-5-17"]
)
def test_parse_refuses_an_impossible_or_unreadable_date(written):
    assert error_codes(csv_bytes([pupil(geboortedatum=written)])) == [(2, "bad_date")]


def test_parse_accepts_a_leap_day():
    assert only_row(csv_bytes([pupil(geboortedatum="29-02-2016")])).birth_date == date(2016, 2, 29)


@pytest.mark.parametrize(
    "written", ["02-12-2026", "01-01-2099", "01-01-1890", "01-06-2026", "30-11-1995"]
)
def test_parse_refuses_a_birth_date_in_the_future_or_absurd(written):
    assert error_codes(csv_bytes([pupil(geboortedatum=written)])) == [(2, "bad_date")]


@pytest.mark.parametrize("written", ["01-12-2024", "01-12-1996"])
def test_parse_accepts_the_age_limits(written):
    assert only_row(csv_bytes([pupil(geboortedatum=written)])).birth_date.month == 12


@pytest.mark.parametrize(
    "column", ["ouder1_email", "ouder2_email", "leerling_email"], ids=lambda c: c
)
@pytest.mark.parametrize("written", ["petra", "petra@", "petra@example", "a b@example.org"])
def test_parse_refuses_a_bad_email(column, written):
    values = {column: written}
    if column == "ouder2_email":
        values.update(ouder2_naam="Karim Bakker", ouder2_gezag="ja")
    assert error_codes(csv_bytes([pupil(**values)])) == [(2, "bad_email")]


@pytest.mark.parametrize("written", ["j", "yes", "1", "misschien"])
def test_parse_refuses_gezag_other_than_ja_or_nee(written):
    assert error_codes(csv_bytes([pupil(ouder1_gezag=written)])) == [(2, "bad_gezag")]


def test_parse_refuses_a_second_guardian_half_filled_in():
    data = csv_bytes([pupil(ouder2_naam="Karim Bakker")])
    assert error_codes(data) == [(2, "required"), (2, "required")]


def test_parse_refuses_both_guardians_with_one_address():
    data = csv_bytes(
        [pupil(ouder2_naam="Karim", ouder2_email="OUDER1001@example.org", ouder2_gezag="ja")]
    )
    assert error_codes(data) == [(2, "same_email")]


def test_parse_refuses_a_duplicate_leerlingnummer_naming_both_rows():
    result = parse(csv_bytes([pupil("7"), pupil("8"), pupil("7")]), today=TODAY)
    [error] = result.errors
    assert (error.row, error.code, "2" in error.message) == (4, "duplicate_number", True)


@pytest.mark.parametrize("number", ["12 34", "1,23457E+11", "#1"])
def test_parse_refuses_a_leerlingnummer_that_is_no_number(number):
    data = csv_bytes([pupil(number, ouder1_email="petra@example.org")])
    assert error_codes(data) == [(2, "bad_number")]


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("x")', "+31612345678", "-2+3", "@SUM(A1)", "\t=1", "\r=1", " =1"]
)
def test_parse_refuses_a_cell_that_looks_like_a_formula(value):
    assert error_codes(csv_bytes([pupil(voornaam=value)])) == [(2, "formula")]


@pytest.mark.parametrize("column", ["groep", "ouder1_naam", "tussenvoegsel", "leerlingnummer"])
def test_parse_refuses_a_formula_in_any_column(column):
    assert error_codes(csv_bytes([pupil(**{column: "=1+1"})])) == [(2, "formula")]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\u202e", "\ufffe"])
def test_parse_refuses_control_characters_in_a_value(char):
    data = csv_bytes([pupil(voornaam=f"Da{char}an")], encoding="utf-8")
    assert error_codes(data) in ([(2, "control_character")], [(None, "unreadable")])


@pytest.mark.parametrize(
    "column, length",
    [("voornaam", 101), ("leerlingnummer", 21), ("groep", 51), ("ouder1_email", 255)],
)
def test_parse_refuses_too_long_values(column, length):
    assert error_codes(csv_bytes([pupil(**{column: "a" * length})])) == [(2, "too_long")]


def test_parse_refuses_a_last_name_too_long_with_its_tussenvoegsel():
    data = csv_bytes([pupil(tussenvoegsel="van der", achternaam="a" * 145)])
    assert error_codes(data) == [(2, "too_long")]


def test_parse_refuses_values_beyond_the_last_column():
    data = csv_bytes([pupil()]) + b"1002;Eva;;Jansen;01-05-2017;Groep 5;A;a@b.nl;ja;;;;surprise\r\n"
    assert error_codes(data) == [(3, "extra_cells")]


def test_parse_refuses_the_pupil_with_a_guardians_address():
    data = csv_bytes([pupil(leerling_email="ouder1001@example.org")])
    assert error_codes(data) == [(2, "same_email")]
