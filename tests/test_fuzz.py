"""Junk posted to every URL of the portal ends in a page or a refusal, never a server error.

Logged in as a director with a school, a pupil, a consent purpose, an incident and protocol
versions in several states present, every URL pattern (schools, protocols, consent, incidents,
accounts) gets a seeded, bounded set of junk posts: empty, 100 KB strings, wrong types,
out-of-range numbers and dates, control characters, repeated (list) values, an invalid byte
encoding, and for upload forms an empty file, random bytes and a zip bomb .docx. Logout and
set_language are skipped; so is the admin, which is for platform staff.
"""

import itertools
import random
import re
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from consent import ledger
from consent.models import Purpose
from protocols import workflow
from protocols.models import ProposalDocument, Question
from schools.models import Council, Role
from tests.factories import (
    CouncilFactory,
    CouncilMemberFactory,
    IncidentFactory,
    MembershipFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    PupilFactory,
    SectionFactory,
)
from tests.protocols.helpers import zip_bomb_docx
from tests.protocols.views.helpers import make_link

pytestmark = pytest.mark.django_db

SKIPPED = {"logout", "set_language"}
SKIPPED_PREFIXES = ("beheer/", "static/", "media/", "__")
POSTS_PER_URL = 6
JUNK = [
    "",
    "x" * 100_000,
    "\x00\x01\x1b[31m\r\n\t",
    "-1",
    "99999999999999999999999",
    "1e308",
    "31-02-2026",
    "9999-12-31",
    "0001-01-01",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "𝕏\u202e\ufeff",
    "[]",
    '{"a": [1, {"b": null}]}',
]


def _patterns(resolver=None, prefix="", namespace=""):
    """(route, name, namespace) of every URL pattern, walked through the includes."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _patterns(entry, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, entry.name, namespace


def _fill(route: str, values: dict) -> str | None:
    """The route with its converters filled from `values`; None for regex routes."""
    if route.startswith("^"):
        return None

    def replace(match):
        kind, name = match.group(1) or "str", match.group(2)
        return str(values[name][0] if name in values else ("1" if kind == "int" else "x"))

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", replace, route)


@pytest.fixture
def world(school, director, board_member, settings, tmp_path):
    """Objects in every state the pages know, and the values to put in their URLs."""
    settings.MEDIA_ROOT = tmp_path / "media"
    gmr = CouncilFactory(kind=Council.Kind.GMR, school=None, stichting=school.stichting)
    for geleding in ("parents", "staff"):
        CouncilMemberFactory(council=gmr, geleding=geleding)
    protocol = ProtocolFactory(stichting=school.stichting)
    adopted = ProtocolVersionFactory(protocol=protocol, number=1)
    SectionFactory(version=adopted, heading="Inleiding", body="Oude tekst.")
    workflow.register_adoption(
        adopted,
        adopted_on=date(2025, 1, 1),
        effective_date=date(2025, 1, 1),
        evaluation_date=date(2027, 1, 1),
        change_summary="Eerste versie.",
    )
    proposal = ProtocolVersionFactory(protocol=protocol, number=2)
    SectionFactory(version=proposal, heading="Inleiding", body="Nieuwe tekst.")
    step = workflow.submit(proposal, by=director, change_summary="x", legal_basis="consent")
    own = ProtocolVersionFactory(
        protocol=ProtocolFactory(stichting=school.stichting, school=school, title="Eigen")
    )
    SectionFactory(version=own)
    question = Question.objects.create(version=proposal, text="Waarom?", asked_by=director)
    document = ProposalDocument(version=proposal, title="Notulen", uploaded_by=director)
    document.file.save("notulen.pdf", ContentFile(b"%PDF-1.7"), save=True)
    link = make_link(proposal, director)
    pupil = PupilFactory(school=school)
    purpose = ledger.create_purpose(
        stichting=school.stichting,
        name="Website",
        slug="website",
        text="Foto's op de website.",
        by=None,
        channel=Purpose.Channel.PUBLIC,
    )
    incident = IncidentFactory(school=school, reported_by=director)
    ints = [proposal.pk, adopted.pk, own.pk, protocol.pk, step.pk, question.pk, document.pk]
    ints += [link.pk, pupil.pk, purpose.pk, incident.pk, school.pk]
    return {
        "int": list(dict.fromkeys(ints)),
        "slug": [school.slug, school.stichting.slug, purpose.slug, "x"],
        "token": [link.token],
    }


def _candidates(route: str, world: dict) -> list[dict]:
    """Combinations of URL values to try, the most likely first, at most 40."""
    names = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    options = []
    for kind, name in names:
        if name == "token":
            options.append((name, world["token"]))
        elif kind == "int":
            options.append((name, world["int"]))
        else:
            options.append((name, world["slug"]))
    combos = itertools.product(*[[(n, v) for v in values] for n, values in options])
    return [{n: [v] for n, v in combo} for combo in itertools.islice(combos, 40)]


def _url_for(client, route: str, world: dict) -> str | None:
    """A URL for `route` that shows a page if any combination does, else the first one."""
    first = None
    for values in _candidates(route, world):
        url = _fill(route, values)
        if url is None:
            return None
        first = first or url
        if client.get(url).status_code != 404:
            return url
    return first


def _field_names(html: str) -> tuple[list[str], list[str]]:
    names = re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html)
    files = re.findall(r'<input[^>]*type="file"[^>]*name="([^"]+)"', html)
    files += re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="file"', html)
    return sorted(set(names) - {"csrfmiddlewaretoken"}), sorted(set(files))


def _junk_posts(rnd: random.Random, fields: list[str]) -> list[dict]:
    posts = [{}]
    for _ in range(POSTS_PER_URL - 1):
        data = {}
        for field in fields or ["x"]:
            value = rnd.choice(JUNK)
            data[field] = [value, rnd.choice(JUNK)] if rnd.random() < 0.2 else value
        posts.append(data)
    return posts


UPLOADS = [
    ("leeg.docx", b""),
    ("ruis.docx", random.Random(7).randbytes(4096)),
    ("ruis.txt", random.Random(8).randbytes(4096)),
    ("bom.docx", None),  # the zip bomb, built once
]


# Server errors found in apps this test does not own, reported to their owners; listed so the
# test still guards every other URL. Remove an entry once its app is fixed.
KNOWN_ELSEWHERE: set[str] = set()  # every server error the fuzz test found is fixed


def test_junk_posted_to_every_url_gives_no_server_error(client, director, world, school):
    client.raise_request_exception = False
    # A director who is on the board too, so the board's pages are walked as well.
    MembershipFactory(user=director, role=Role.BOARD, school=None, stichting=school.stichting)
    client.force_login(director)
    rnd = random.Random(20260310)
    errors = []
    # First every page, to learn the field names of the forms on it: a form posts to a URL
    # that only takes POST, so its fields are found on the page that shows it.
    pages = {}
    all_fields, all_files = set(), set()
    for route, name, namespace in _patterns():
        if name in SKIPPED or route.startswith(SKIPPED_PREFIXES):
            continue
        url = _url_for(client, route, world)
        if url is None:
            continue
        page = client.get(url)
        label = f"{namespace}:{name}"
        if page.status_code >= 500:
            errors.append((label, f"GET {url} ({label}): {page.status_code}"))
            continue
        html = ""
        if page.status_code == 200 and page.get("Content-Type", "").startswith("text/html"):
            html = page.content.decode(errors="replace")
        fields, file_fields = _field_names(html)
        all_fields.update(fields)
        all_files.update(file_fields)
        pages[url] = (label, fields, file_fields)
    for url, (label, fields, file_fields) in pages.items():
        if not fields:
            fields, file_fields = sorted(all_fields), sorted(all_files)[:2]
        requests = [("data", data) for data in _junk_posts(rnd, fields)]
        requests.append(("raw", b"a=\xff\xfe&b=%FF%FE%00&" + b"c=" + b"\xc3\x28" * 50))
        for field in file_fields:
            for filename, content in UPLOADS:
                data = {other: rnd.choice(["", "x", "school:1"]) for other in fields}
                content = zip_bomb_docx() if content is None else content
                data[field] = SimpleUploadedFile(filename, content)
                requests.append(("data", data))
        for kind, payload in requests:
            if kind == "raw":
                response = client.post(
                    url, payload, content_type="application/x-www-form-urlencoded"
                )
            else:
                response = client.post(url, payload)
            if response.status_code >= 500:
                errors.append((label, f"POST {url} ({label}): {response.status_code}"))
                break
    assert [error for label, error in errors if label not in KNOWN_ELSEWHERE] == []
