"""WCAG 2.1 AA (DOMAIN E.53): axe-core checks the main pages of each role in Chromium.

axe-core comes from the npm registry at set-up time (package.json); it is injected from
node_modules, never fetched at run time.
"""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from protocols.models import ProtocolVersion
from schools.models import Council, Role
from tests.factories import (
    ClassGroupFactory,
    CouncilFactory,
    CouncilMemberFactory,
    GuardianFactory,
    MembershipFactory,
    ProtocolFactory,
    ProtocolVersionFactory,
    PupilFactory,
    SchoolFactory,
    SectionFactory,
    StaffFactory,
)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page) -> list[str]:
    """What axe-core finds against WCAG 2.1 A and AA on the current page."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `make test` (npm ci installs it)")
    # Evaluated through the DevTools protocol: an injected <script> tag would be refused by
    # the portal's Content-Security-Policy, which allows no inline script.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


# Every dd-mm-jjjj on the page whose characters the browser lays out on more than one line.
WRAPPED_DATES = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const wrapped = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.textContent.matchAll(/\\b\\d{2}-\\d{2}-\\d{4}\\b/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
      if (lines.size > 1) wrapped.push(match[0]);
    }
  }
  return wrapped;
}"""


def problems(page) -> list[str]:
    """axe-core's WCAG 2.1 AA violations, any date that wraps, a page wider than the screen."""
    found = violations(page) + [f"date wraps: {d}" for d in page.evaluate(WRAPPED_DATES)]
    if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
        found.append("the page scrolls sideways")
    return found


@pytest.fixture
def world(db):
    """One school with a group, its people, and a board-wide protocol in procedure."""
    school = SchoolFactory(name="De Linde")
    group = ClassGroupFactory(school=school, name="Groep 6")
    director = MembershipFactory(school=school, role=Role.DIRECTOR).user
    teacher = MembershipFactory(school=school, role=Role.STAFF).user
    StaffFactory(user=teacher, school=school, groups=[group])
    pupil = PupilFactory(school=school, group=group, birth_date=date(2016, 4, 1))
    parent = GuardianFactory(pupil=pupil).user
    gmr = CouncilFactory(kind=Council.Kind.GMR, school=None, stichting=school.stichting)
    member = CouncilMemberFactory(council=gmr).user
    protocol = ProtocolFactory(stichting=school.stichting, title="Protocol sociale media")
    old = ProtocolVersionFactory(protocol=protocol, number=1)
    SectionFactory(version=old, heading="Foto's", body="Geen foto's zonder toestemming.")
    ProtocolVersion.objects.filter(pk=old.pk).update(
        status=ProtocolVersion.Status.ADOPTED, adopted_on=date(2026, 2, 23)
    )
    new = ProtocolVersionFactory(protocol=protocol, number=2)
    SectionFactory(
        version=new, heading="Foto's", body="Nooit foto's zonder toestemming.\n\n1. een\n2. twee"
    )
    return {
        "school": school,
        "group": group,
        "director": director,
        "teacher": teacher,
        "parent": parent,
        "member": member,
        "old": old,
        "new": new,
    }


def test_public_pages_meet_wcag_21_aa(page, live_server, world):
    found = {}
    for path in [
        "/accounts/login/",
        "/protocol/",
        f"/protocol/{world['school'].slug}/",
        "/toegankelijkheid/",
    ]:
        page.goto(f"{live_server.url}{path}")
        found[path] = violations(page)
    assert found == {path: [] for path in found}


@pytest.mark.parametrize("role", ["director", "teacher", "parent", "member"])
def test_home_of_each_role_meets_wcag_21_aa(page, live_server, login, world, role):
    login(page, live_server, world[role])
    assert violations(page) == []


def test_director_pages_meet_wcag_21_aa(page, live_server, login, world):
    login(page, live_server, world["director"])
    new, old = world["new"], world["old"]
    found = {}
    for path in [
        world["school"].get_absolute_url(),
        world["group"].get_absolute_url(),
        "/protocollen/",
        "/protocollen/importeren/",
        new.get_absolute_url(),
        f"/protocollen/versies/{new.pk}/bewerken/",
        f"/protocollen/versies/{new.pk}/verschil/{old.pk}/",
        f"/protocollen/versies/{new.pk}/indienen/",
    ]:
        page.goto(f"{live_server.url}{path}")
        found[path] = violations(page)
    assert found == {path: [] for path in found}


def test_phone_layout_meets_wcag_21_aa(page, live_server, login, world):
    page.set_viewport_size({"width": 375, "height": 667})
    login(page, live_server, world["parent"])
    page.get_by_role("button", name="Menu tonen").click()
    assert violations(page) == []


@pytest.fixture
def consent_and_incidents(world):
    """A purpose with a choice, a board with its stichting, and one incident at the school."""
    from consent import ledger
    from incidents import workflow as incident_workflow

    school = world["school"]
    purpose = ledger.create_purpose(
        stichting=school.stichting,
        name="Website",
        slug="website",
        text="Foto's op de website.",
        by=None,
        channel="public",
    )
    pupil = world["group"].pupils.get()
    guardian = pupil.guardians.get()
    guardian.has_gezag = True
    guardian.save()
    ledger.record_choice(subject=pupil, purpose=purpose, choice=False, by=world["parent"])
    categories = incident_workflow.ensure_default_categories(school.stichting)
    incident = incident_workflow.report(
        school=school,
        by=world["teacher"],
        occurred_at=timezone.now() - timedelta(days=1),
        place="online",
        platform="whatsapp",
        categories=categories[:1],
        description="Een kwetsend bericht in de groepsapp.",
        involved=[{"role": "victim", "kind": "pupil", "pupil": pupil}],
    )
    board = MembershipFactory(role=Role.BOARD, school=None, stichting=school.stichting).user
    return {**world, "purpose": purpose, "pupil": pupil, "incident": incident, "board": board}


def _pages(found, page, live_server, paths):
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        found[path] = problems(page)


@pytest.mark.parametrize("width", [390, 1280])
def test_consent_and_incident_pages_of_every_role_meet_wcag_21_aa(
    page, live_server, login, consent_and_incidents, width
):
    from django.urls import reverse

    w = consent_and_incidents
    page.set_viewport_size({"width": width, "height": 900})
    school, pupil, incident = w["school"], w["pupil"], w["incident"]
    found = {}
    login(page, live_server, w["parent"])
    _pages(
        found,
        page,
        live_server,
        [reverse("consent:overview"), reverse("consent:child_consent", args=[pupil.pk])],
    )
    page.context.clear_cookies()
    login(page, live_server, w["teacher"])
    _pages(
        found,
        page,
        live_server,
        [
            reverse("consent:group_consent", args=[w["group"].pk]),
            reverse("consent:publish_check", args=[school.slug]),
            reverse("incidents:incident_report", args=[school.slug]),
            reverse("incidents:incident_list"),
        ],
    )
    page.context.clear_cookies()
    login(page, live_server, w["director"])
    _pages(
        found,
        page,
        live_server,
        [
            reverse("consent:coverage", args=[school.slug]),
            reverse("consent:refusal_list", args=[school.slug, w["purpose"].pk]),
            reverse("consent:pupil_history", args=[pupil.pk]),
            reverse("consent:paper_entry", args=[pupil.pk]),
            reverse("consent:takedown_list", args=[school.slug]),
            reverse("incidents:incident_detail", args=[incident.pk]),
            reverse("incidents:school_figures", args=[school.slug]),
            f"/protocollen/{w['new'].protocol_id}/besluitenlijst/",
            w["group"].get_absolute_url(),
            reverse("schools:signin_history", args=[school.slug]),
        ],
    )
    page.context.clear_cookies()
    login(page, live_server, w["board"])
    _pages(
        found,
        page,
        live_server,
        [
            reverse("consent:board_coverage", args=[school.stichting.slug]),
            reverse("incidents:board_figures", args=[school.stichting.slug]),
            reverse("protocols:procedure_settings", args=[school.stichting.slug]),
        ],
    )
    assert found == {path: [] for path in found}
