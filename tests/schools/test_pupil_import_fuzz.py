"""A deterministic fuzz of the pupil import: junk in, clean errors out, never an exception.

hypothesis is not a dependency, so the inputs come from a seeded random generator: the same
inputs on every run, many kinds of junk (random bytes, huge lines, NUL and control
characters, wrong encodings, formula cells, impossible dates) mixed into valid files.
"""

import random
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schools.pupil_import import ParsedFile, RowError, make_plan, parse
from tests.schools.pupil_csv import COLUMNS, csv_bytes, pupil

TODAY = date(2026, 12, 1)
JUNK_VALUES = [
    "",
    " ",
    "=1+1",
    "+31 6",
    "-1",
    "@x",
    "\t=cmd",
    "\r",
    "\x00",
    "\x1b[31m",
    "\u202egnp.exe",
    "ja",
    "nee",
    "JA",
    "31-02-2017",
    "00-00-0000",
    "99-99-9999",
    "01-01-0001",
    "9999-12-31",
    "1-1-1",
    "2017-05-01",
    "01-05-2017",
    "a@b",
    "a@b.nl",
    '"',
    '""',
    ";",
    ",",
    "\n",
    "x" * 300,
    "é" * 5,
    "Zoë",
    "🙂",
]


def junk_files(seed: int, count: int):
    rng = random.Random(seed)
    for n in range(count):
        kind = n % 8
        if kind == 0:
            yield rng.randbytes(rng.randint(0, 4000))
        elif kind == 1:
            yield csv_bytes([pupil(str(i)) for i in range(3)])[: rng.randint(0, 600)]
        elif kind == 2:
            rows = [
                pupil(str(i), **{rng.choice(COLUMNS): rng.choice(JUNK_VALUES)})
                for i in range(rng.randint(1, 6))
            ]
            yield csv_bytes(rows, encoding=rng.choice(["utf-8", "utf-8-sig", "utf-16"]))
        elif kind == 3:
            line = rng.choice([b"x", b";", b'"', b"\x00", b"\xff"]) * rng.randint(1, 300_000)
            yield ";".join(COLUMNS).encode() + b"\r\n" + line
        elif kind == 4:
            data = bytearray(csv_bytes([pupil(str(i)) for i in range(4)]))
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            yield bytes(data)
        elif kind == 5:
            values = [*JUNK_VALUES, "\ud800"]  # a lone surrogate: invalid UTF-8 once encoded
            text = "".join(rng.choice(values) + rng.choice(";,\n\r") for _ in range(200))
            yield text.encode("utf-8", "surrogatepass")
        elif kind == 6:
            columns = rng.sample(COLUMNS, rng.randint(1, len(COLUMNS)))
            yield csv_bytes([pupil()], columns=columns, delimiter=rng.choice(";,"))
        else:
            yield csv_bytes([pupil()], encoding="cp1252").replace(b";", rng.choice([b"\t", b"|"]))


def assert_clean(result):
    assert isinstance(result, ParsedFile)
    assert all(isinstance(e, RowError) and e.message and e.code for e in result.errors)
    assert all(e.row is None or e.row >= 1 for e in result.errors)
    for row in result.rows:
        assert row.number and row.first_name and row.last_name and row.group
        assert not any(str(v).startswith(("=", "+", "-", "@")) for v in vars(row).values())


@pytest.mark.parametrize("seed", range(4))
def test_parse_never_raises_on_junk(seed):
    for data in junk_files(seed, 120):
        assert_clean(parse(data, today=TODAY))


@pytest.mark.django_db
def test_make_plan_never_raises_on_junk(school):
    for data in junk_files(99, 80):
        make_plan(parse(data, today=TODAY), school=school, today=TODAY)


@pytest.mark.django_db
def test_pupil_import_upload_never_answers_500_on_junk(client, director, school):
    client.force_login(director)
    url = reverse("schools:pupil_import", args=[school.slug])
    statuses = {
        client.post(
            url, {"step": "upload", "file": SimpleUploadedFile("x.csv", data, "text/csv")}
        ).status_code
        for data in junk_files(7, 40)
    }
    assert statuses == {200}
