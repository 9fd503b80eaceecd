"""Build pupil administration exports the way Dutch Excel writes them, for the import tests."""

COLUMNS = (
    "leerlingnummer",
    "voornaam",
    "tussenvoegsel",
    "achternaam",
    "geboortedatum",
    "groep",
    "ouder1_naam",
    "ouder1_email",
    "ouder1_gezag",
    "ouder2_naam",
    "ouder2_email",
    "ouder2_gezag",
)


def pupil(number="1001", **values) -> dict:
    """One row: a pupil of nine in Groep 5 with one guardian with gezag."""
    return {
        "leerlingnummer": number,
        "voornaam": "Daan",
        "tussenvoegsel": "de",
        "achternaam": "Vries",
        "geboortedatum": "01-05-2017",
        "groep": "Groep 5",
        "ouder1_naam": "Petra de Vries",
        "ouder1_email": f"ouder{number}@example.org",
        "ouder1_gezag": "ja",
        "ouder2_naam": "",
        "ouder2_email": "",
        "ouder2_gezag": "",
        **values,
    }


def csv_bytes(rows, *, columns=None, delimiter=";", encoding="utf-8-sig", newline="\r\n"):
    """The rows as a CSV file (all their columns, or just `columns`), quoted where needed."""

    def cell(value):
        value = str(value)
        if delimiter in value or '"' in value or "\n" in value or "\r" in value:
            return '"' + value.replace('"', '""') + '"'
        return value

    if columns is None:
        columns = list(COLUMNS)
        for row in rows:
            columns += [name for name in row if name not in columns]
    lines = [delimiter.join(columns)]
    lines += [delimiter.join(cell(row.get(name, "")) for name in columns) for row in rows]
    return (newline.join(lines) + newline).encode(encoding)
