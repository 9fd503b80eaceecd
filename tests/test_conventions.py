"""House rules that a reviewer would otherwise have to remember."""

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent
VIEW_FILES = sorted([*ROOT.glob("*/views.py"), *ROOT.glob("*/views/*.py")])


@pytest.mark.parametrize("path", VIEW_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_views_fetch_only_through_the_access_layer(path):
    # `.objects.for_user(` is the one way in; anything else bypasses schools/access.py.
    # `.objects.public(` is the other: what anyone may read without logging in.
    offending = [
        f"{path.name}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\.objects\.(?!for_user\(|public\()", line)
    ]
    assert offending == []


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def test_every_portal_view_has_an_outsider_test():
    # Views of our own apps that take an object must have a test in which an outsider asks
    # for it; these pages show no object of anybody else, so they are listed on purpose.
    without_object = {
        "schools:accessibility",
        "schools:home",
        "schools:school_list",
        "protocols:protocol_list",
        "protocols:section_preview",
        # Public by design: only adopted versions, the link in the schoolgids.
        "protocols:public_index",
        "protocols:public_school",
        "protocols:public_version",
        "protocols:public_pdf",
        "protocols:public_version_pdf",
        # The personal reading link: its token is the access check.
        "protocols:reading_link_read",
        # One's own account: two-factor login.
        "schools:two_factor_profile",
        "schools:two_factor_verify",
        "schools:two_factor_disable",
    }
    tests = "\n".join(p.read_text() for p in (ROOT / "tests").rglob("test_*.py"))
    missing = []
    for _route, pattern in _patterns(get_resolver()):
        module = getattr(pattern.callback, "__module__", "")
        app = module.split(".")[0]
        if app not in {"schools", "protocols", "consent", "incidents"} or not pattern.name:
            continue
        name = f"{app}:{pattern.name}"
        if name in without_object or pattern.name in {"healthz", "readyz"}:
            continue
        if not re.search(rf"def test_{pattern.name}_is_404_for_outsider", tests):
            missing.append(name)
    assert missing == []
