"""Operations on protocols that span several models: turning an import into a draft version."""

from django.db import transaction
from django.db.models import Max

from protocols.importer import ImportResult
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
