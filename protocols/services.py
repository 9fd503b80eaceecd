"""Operations on protocols that span several models: turning an import into a draft version."""

from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from protocols import workflow
from protocols.importer import ImportResult, import_file
from protocols.models import ProcedureRecord, Protocol, ProtocolVersion, Section
from schools.models import School, Stichting, User

# The importer names audiences as the Dutch texts do.
AUDIENCE_OF_IMPORT = {
    "alle gebruikers": Section.Audience.ALL,
    "leerlingen": Section.Audience.PUPILS,
    "ouders": Section.Audience.PARENTS,
    "medewerkers": Section.Audience.STAFF,
}


@transaction.atomic
def save_import(
    *,
    result: ImportResult,
    stichting: Stichting,
    school: School | None = None,
    title: str = "",
    by: User | None = None,
    source_name: str = "",
) -> ProtocolVersion:
    """Store `result` as a new draft version of the protocol with this title and owner.

    The protocol is created when the stichting (or school) has none with that title yet;
    otherwise the draft becomes its next version.
    """
    if school and school.stichting_id != stichting.pk:
        raise ValueError(f"School {school.slug} does not belong to {stichting.slug}.")
    title = (title or result.title).strip()
    if not title:
        raise ValueError("The protocol needs a title.")
    protocol, _created = Protocol.objects.get_or_create(
        stichting=stichting, school=school, title=title
    )
    # Lock the protocol so two imports at once cannot claim the same version number.
    Protocol.objects.select_for_update().filter(pk=protocol.pk).first()
    last = protocol.versions.aggregate(last=Max("number"))["last"] or 0
    version = ProtocolVersion.objects.create(
        protocol=protocol, number=last + 1, created_by=by, source_name=source_name
    )
    Section.objects.bulk_create(
        Section(
            version=version,
            position=position,
            heading=section.heading,
            audience=AUDIENCE_OF_IMPORT.get(section.audience, ""),
            body=section.body,
        )
        for position, section in enumerate(result.sections, start=1)
    )
    ProcedureRecord.objects.bulk_create(
        ProcedureRecord(
            version=version,
            position=position,
            step=record.step,
            outcome=record.outcome,
            date=record.date,
            text=record.text,
        )
        for position, record in enumerate(result.procedure, start=1)
    )
    return version


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
        imported += 1
    return imported
