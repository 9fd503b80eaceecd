"""Every sentence of each source protocol comes back, in order, from the page a reader sees."""

import re
from datetime import date
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from protocols import drafts, importer, workflow
from tests.factories import SchoolFactory
from tests.seeds import SEEDS as SEED_DIR

pytestmark = pytest.mark.django_db
SEEDS = sorted(SEED_DIR.glob("*.txt"))
DEFINITION = re.compile(r"^\[\^\d+\]:\s*", re.M)
REFERENCE = re.compile(r"\[\^\d+\]")


class _Text(HTMLParser):
    """The text inside <main>, without footnote back-links."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "main" or self.depth:
            self.depth += 1
        if tag in {"p", "li", "h1", "h2", "h3", "td", "tr"}:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def squash(text: str) -> str:
    """Whitespace, footnote calls ("[1]", "¹") and back-link arrows removed."""
    text = re.sub(r"\[\d+\]|[⁰¹²³⁴⁵⁶⁷⁸⁹]|↩︎?", "", unescape(text))
    # The approval table spells the sources' "nvt" out.
    return re.sub(r"\s+", "", text).replace("n.v.t.", "nvt")


def expected_sentences(result: importer.ImportResult) -> list[str]:
    parts = [result.title]
    parts += [r.text for r in result.procedure if not r.also_in_body]
    for section in result.sections:
        parts += [section.heading, REFERENCE.sub("", DEFINITION.sub("", section.body))]
    return [squash(s) for part in parts for s in importer.sentences(part) if squash(s)]


def missing_in_order(sentences: list[str], text: str) -> list[str]:
    """The sentences that are not found after the previous one."""
    missing, position = [], 0
    for sentence in sentences:
        found = text.find(sentence, position)
        if found == -1:
            missing.append(sentence)
        else:
            position = found + len(sentence)
    return missing


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_every_sentence_comes_back_in_order_from_the_public_page(client, path):
    school = SchoolFactory(name="De Linde")
    result = importer.import_text(path.read_text(encoding="utf-8"))
    version = drafts.save_import(result=result, stichting=school.stichting)
    workflow.register_adoption(
        version,
        adopted_on=date(2026, 2, 23),
        effective_date=date(2026, 2, 23),
        evaluation_date=date(2028, 2, 23),
        change_summary="Bestaand protocol.",
    )
    parser = _Text()
    parser.feed(client.get(reverse("protocols:public_school", args=[school.slug])).content.decode())
    # Board-wide placeholders read the school's name on its page, as they should.
    page = squash("".join(parser.parts))
    expected = [
        s.replace("[naamschool]", "DeLinde").replace("[Naamschool]", "DeLinde")
        for s in expected_sentences(result)
    ]
    assert missing_in_order(expected, page) == []
