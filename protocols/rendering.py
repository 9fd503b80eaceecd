"""Protocol text to HTML: a small, safe Markdown subset with school placeholders filled."""

import functools
import hashlib
import re

import weasyprint
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

# CommonMark without raw HTML (it is escaped, never passed through), plus footnotes.
_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": False})
    .disable(["image", "html_inline", "html_block"])
    .use(footnote_plugin)
)

PLACEHOLDER = re.compile(r"\[(naam school|Naam school|NAAM SCHOOL)\]")
_DEFINITION = re.compile(r"^\[\^(\w+)\]:[ \t]*", re.M)
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def keep_unreferenced_notes(body: str) -> str:
    """Turn footnote definitions nothing refers to into plain notes, so no text is lost.

    Markdown drops such definitions; in the sources they are notes on the title.
    """

    def note(match: re.Match) -> str:
        label = match.group(1)
        if f"[^{label}]" in body.replace(match.group(0), "", 1):
            return match.group(0)
        return label.translate(_SUPERSCRIPT) + " "

    return _DEFINITION.sub(note, body)


def fill_placeholders(text: str, school_name: str | None) -> str:
    """Replace `[naam school]` and its variants with the school's name, when there is one."""
    if not school_name:
        return text
    return PLACEHOLDER.sub(lambda _match: school_name, text)


def render_body(body: str, *, school_name: str | None = None, prefix: str = "") -> SafeString:
    """HTML for a section body; `prefix` keeps footnote ids unique when sections share a page.

    Remembered per process for the last RENDERED_BODIES texts: a version page shows dozens of
    sections that rarely change. The text itself is the key, so an edit is never served stale.
    """
    html = _render(body, school_name, prefix)
    return mark_safe(html)  # noqa: S308 (markdown-it escapes all text; raw HTML is disabled)


RENDERED_BODIES = 4096


@functools.lru_cache(maxsize=RENDERED_BODIES)
def _render(body: str, school_name: str | None, prefix: str) -> str:
    env = {"docId": prefix} if prefix else {}
    return _markdown.render(keep_unreferenced_notes(fill_placeholders(body, school_name)), env)


def reader_sections(version, sections: list, school=None) -> dict:
    """What `_version_text.html` shows of `version` for `school`: the board text, the school's
    addendum, and `text_key`, the key its rendered HTML is kept under.

    The key is a digest of everything that HTML is drawn from (the sections and the school's
    name; the template adds the language), so an edit, a new version or a renamed school makes
    a new key and the page never shows a stale text. It is kept per process (the
    `template_fragments` cache), so a deploy with changed templates starts afresh.
    """
    board = [s for s in sections if s.school_id is None]
    addendum = [s for s in sections if school and s.school_id == school.pk]
    digest = hashlib.blake2b(f"{version.pk}\0{school.name if school else ''}".encode())
    for section in board + addendum:
        parts = (section.pk, section.heading, section.audience, section.body)
        digest.update("\0".join(map(str, ("", *parts))).encode())
    return {"board_sections": board, "addendum": addendum, "text_key": digest.hexdigest()}


def render_text(text: str, *, school_name: str | None = None) -> str:
    """A heading or title with placeholders filled, escaped."""
    return escape(fill_placeholders(text, school_name))


def approval_rows(records, body_text: str) -> list[dict]:
    """Rows of the approval table; `source` is the wording when the row alone loses some.

    Shared by the web page and the PDF, so both show the trail exactly as the text records it.
    """
    rows = []
    for record in records:
        outcome = record.outcome
        if not record.date and outcome.lower() in {"nvt", "n.v.t."}:
            # The sources write "nvt"; the table spells it out, in the reader's language.
            outcome = gettext("not applicable")
        date = record.date.strftime("%d-%m-%Y") if record.date else ""
        row_text = " ".join(filter(None, [record.step, record.outcome, date]))
        # Seed 001's "besproken op het CDO van ..." is a sentence of the text: print it once.
        said = record.text == row_text or record.text in body_text
        rows.append(
            {
                "step": record.step,
                "outcome": outcome,
                "date": record.date,
                "source": "" if said else record.text,
            }
        )
    return rows


def refuse_network(url: str, *args, **kwargs) -> dict:
    """WeasyPrint URL fetcher that only resolves `data:` URLs, so rendering never goes online."""
    if url.startswith("data:"):
        return weasyprint.default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"PDF rendering does not fetch {url!r}.")


_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def download_name(*parts: str) -> str:
    """A file name for a download from a title and more parts, joined by " - ".

    Line breaks, control characters and characters no file system takes become a space, runs
    of spaces one; quotes and the header syntax are left to Django's Content-Disposition.
    """
    cleaned = (" ".join(_UNSAFE_IN_NAME.sub(" ", part).split())[:120] for part in parts)
    return " - ".join(part for part in cleaned if part) or "download"
