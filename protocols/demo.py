"""The demo's protocols: the five source texts with their recorded adoption, and one version
in procedure. Loaded by `load_demo` through `load`, using the functions a user's actions use."""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from protocols import acknowledgements, workflow
from protocols.drafts import new_draft, save_import
from protocols.importer import import_file
from protocols.models import Protocol, ProtocolVersion
from schools.models import School, Stichting, User

FIXTURES = settings.BASE_DIR / "fixtures"
PROTOCOLS_FILE = FIXTURES / "protocols.json"


def load(today: date) -> str:
    """Load the demo protocols that are missing; says what it did in one line."""
    specs = json.loads(PROTOCOLS_FILE.read_text(encoding="utf-8"))["protocols"]
    imported = load_demo_protocols(specs, fixtures_dir=FIXTURES)
    in_procedure = load_demo_procedure(today=today)
    return f"{imported} protocols imported" + (
        ", 1 version put to a council" if in_procedure else ""
    )


def load_demo_protocols(specs: list[dict], *, fixtures_dir: Path) -> int:
    """Import the demo protocols that are not there yet and register their adoption.

    Returns how many were imported; running it again imports nothing.
    """
    imported = 0
    for spec in specs:
        stichting = Stichting.objects.get(slug=spec["organisation"])
        school = School.objects.get(slug=spec["school"]) if spec["school"] else None
        path = fixtures_dir / spec["file"]
        result = import_file(path.name, path.read_bytes())
        if Protocol.objects.filter(stichting=stichting, school=school, title=result.title).exists():
            continue
        with transaction.atomic():
            version = save_import(
                result=result, stichting=stichting, school=school, source_name=path.name
            )
            workflow.register_adoption(
                version,
                adopted_on=date.fromisoformat(spec["adopted_on"]),
                effective_date=date.fromisoformat(spec["effective_date"]),
                evaluation_date=date.fromisoformat(spec["evaluation_date"]),
                change_summary=spec["change_summary"],
            )
            # Staff confirm having read the protocol in force, as after any adoption.
            version.refresh_from_db()
            acknowledgements.request(version)
        imported += 1
    return imported


DEMO_CHANGE = (
    "- Beelden die met kunstmatige intelligentie (AI) zijn gemaakt of bewerkt, maken we als "
    "zodanig herkenbaar."
)


def load_demo_procedure(*, today: date) -> bool:
    """Put a second version of Klasse's protocol before its GMR, so the demo shows a live
    procedure (the directors have advised; the GMR's decision waits). Runs once."""
    protocol = Protocol.objects.filter(stichting__slug="klasse").first()
    if protocol is None or protocol.versions.count() > 1:
        return False
    director = User.objects.get(email="directeur@klasse.demo")
    draft = new_draft(protocol.versions.get(status=ProtocolVersion.Status.ADOPTED), by=director)
    section = draft.sections.filter(heading__startswith="A.").first() or draft.sections.last()
    section.body = f"{section.body}\n{DEMO_CHANGE}"
    section.save(update_fields=["body"])
    step = workflow.submit(
        draft,
        by=director,
        change_summary="Toegevoegd: een afspraak over beelden die met AI zijn gemaakt.",
        legal_basis=ProtocolVersion.LegalBasis.CONSENT,
    )
    workflow.record_decision(
        step,
        by=director,
        decided_on=today,
        outcome=workflow.Outcome.POSITIVE,
        remarks="Besproken in het directeurenoverleg.",
    )
    return True
