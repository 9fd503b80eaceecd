"""Dutch is the default: the catalogue is complete, compiled, and Dutch pages show no English."""

import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import GuardianFactory, PupilFactory

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "nl" / "LC_MESSAGES"


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(chunk: str) -> str:
    text = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', chunk))
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), text)


def catalogue() -> list[dict]:
    """The entries of the Dutch .po file, parsed without extra dependencies."""
    entries = []
    for block in (LOCALE / "django.po").read_text(encoding="utf-8").split("\n\n"):
        fields = dict(
            (key, value)
            for key, value in re.findall(
                r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) ((?:".*"\n?)+)', block, re.M
            )
        )
        if "msgid" not in fields or _unquote(fields["msgid"]) == "":
            continue
        entries.append(
            {
                "msgid": _unquote(fields["msgid"]),
                "msgstrs": [_unquote(v) for k, v in fields.items() if k.startswith("msgstr")],
                "fuzzy": "#, fuzzy" in block or ", fuzzy" in block,
            }
        )
    return entries


def test_every_dutch_string_is_translated():
    untranslated = [e["msgid"] for e in catalogue() if e["fuzzy"] or not all(e["msgstrs"])]
    assert untranslated == []


def test_compiled_catalogue_matches_the_po_file():
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        e["msgid"]
        for e in catalogue()
        if "%(" not in e["msgid"] and compiled.gettext(e["msgid"]) != e["msgstrs"][0]
    ]
    assert stale == [], "run `make messages` after editing locale/nl/LC_MESSAGES/django.po"


@pytest.mark.django_db
def test_dutch_pages_show_no_english_source_string(client, director, school):
    GuardianFactory(user=director, pupil=PupilFactory(school=school))
    client.force_login(director)
    html = "".join(
        client.get(url).content.decode()
        for url in [reverse("schools:home"), school.get_absolute_url()]
    )
    english = [
        e["msgid"]
        for e in catalogue()
        if len(e["msgid"]) > 8 and "%(" not in e["msgid"] and e["msgid"] != e["msgstrs"][0]
    ]
    assert [text for text in english if f">{text}<" in html] == []


# Dutch addresses people with je (jij, jou, jouw), never with u/uw (README, docs/decisions.md).
FORMAL_ADDRESS = re.compile(r"\b(?:u|uw|U|Uw|UW)\b")
# Entries whose Dutch may contain a standalone u or uw that is not a form of address, with why.
# None so far: every u/uw in the catalogue was the pronoun and is now je/jou/jouw.
FORMAL_ADDRESS_ALLOWED: dict[str, str] = {}


def test_dutch_addresses_the_reader_with_je_never_u():
    formal = [
        (e["msgid"], msgstr)
        for e in catalogue()
        if e["msgid"] not in FORMAL_ADDRESS_ALLOWED
        for msgstr in e["msgstrs"]
        if FORMAL_ADDRESS.search(msgstr)
    ]
    assert formal == [], "use je/jou/jouw, not u/uw"
