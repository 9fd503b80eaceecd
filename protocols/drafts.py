"""Writing a draft: saving an import as a draft version, a new draft from any version, saving
its sections, and the documents that support a proposal. Status changes are `workflow`'s."""

from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from protocols.importer import ImportResult
from protocols.models import (
    ProcedureRecord,
    ProposalDocument,
    Protocol,
    ProtocolVersion,
    Section,
)
from schools.models import School, Stichting, User

# The importer names audiences as the Dutch texts do.
AUDIENCE_OF_IMPORT = {
    "alle gebruikers": Section.Audience.ALL,
    "leerlingen": Section.Audience.PUPILS,
    "ouders": Section.Audience.PARENTS,
    "medewerkers": Section.Audience.STAFF,
}


def _create_draft(protocol: Protocol, **fields) -> ProtocolVersion:
    """The protocol's next version, as a draft; refused while it has one.

    The database holds one draft per protocol (a partial unique constraint), so of two saves
    at the same moment the second gets the same message instead of a second draft.
    """
    existing = protocol.versions.filter(status=ProtocolVersion.Status.DRAFT).first()
    if existing:
        raise ValidationError(
            _("Version %(number)s is already a draft of this protocol: continue there.")
            % {"number": existing.number},
            code="draft_exists",
        )
    last = protocol.versions.aggregate(last=Max("number"))["last"] or 0
    try:
        with transaction.atomic():
            return ProtocolVersion.objects.create(protocol=protocol, number=last + 1, **fields)
    except IntegrityError:
        raise ValidationError(
            _("Someone else just made a draft of this protocol: continue there."),
            code="draft_exists",
        ) from None


@transaction.atomic
def save_import(
    *,
    result: ImportResult,
    stichting: Stichting,
    school: School | None = None,
    title: str = "",
    by: User | None = None,
    source_name: str = "",
    sections: list[dict] | None = None,
) -> ProtocolVersion:
    """Store `result` as a new draft version of the protocol with this title and owner.

    The protocol is created when the stichting (or school) has none with that title yet;
    otherwise the draft becomes its next version. `sections` (heading, audience, body), when
    given, are the sections as the importing person corrected them. A protocol that already
    has a draft gets no second one (ValidationError, code "draft_exists").
    """
    if school and school.stichting_id != stichting.pk:
        raise ValueError(f"School {school.slug} does not belong to {stichting.slug}.")
    title = (title or result.title).strip()
    if not title:
        raise ValueError("The protocol needs a title.")
    # Lock the stichting first, so two imports of one new title at once make one protocol
    # (and so one draft) instead of two protocols with the same title.
    Stichting.objects.select_for_update().filter(pk=stichting.pk).first()
    protocol, _created = Protocol.objects.get_or_create(
        stichting=stichting, school=school, title=title
    )
    # Lock the protocol so two imports at once cannot claim the same version number.
    Protocol.objects.select_for_update().filter(pk=protocol.pk).first()
    version = _create_draft(protocol, created_by=by, source_name=source_name)
    if sections is None:
        sections = [
            {
                "heading": s.heading,
                "audience": AUDIENCE_OF_IMPORT.get(s.audience, ""),
                "body": s.body,
            }
            for s in result.sections
        ]
    Section.objects.bulk_create(
        Section(version=version, position=position, **fields)
        for position, fields in enumerate(sections, start=1)
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


@transaction.atomic
def new_draft(version: ProtocolVersion, *, by: User | None) -> ProtocolVersion:
    """A new draft with the text of `version`: how a frozen or adopted text gets changed.

    One draft per protocol at a time, so two people cannot fork the text unknowingly.
    """
    protocol = Protocol.objects.select_for_update().get(pk=version.protocol_id)
    draft = _create_draft(protocol, based_on=version, created_by=by)
    Section.objects.bulk_create(
        Section(
            version=draft,
            position=s.position,
            heading=s.heading,
            audience=s.audience,
            body=s.body,
            school_id=s.school_id,
        )
        for s in version.sections.all()
    )
    return draft


@transaction.atomic
def save_sections(
    version: ProtocolVersion,
    *,
    sections: list[dict],
    loaded_at: datetime,
    by: User | None,
    school: School | None = None,
) -> None:
    """Replace the board text of a draft, or `school`'s addendum to it, with `sections`.

    Refuses when the draft changed since the editor loaded it (`loaded_at` is the draft's
    `updated_at` then, taken from a signed form field, not the client's clock), so a second
    editor never silently overwrites the first. The board text comes first, then each
    school's addendum.
    """
    version = ProtocolVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_editable:
        raise ValidationError(_("Only a draft can be edited; make a new draft from it."))
    if version.updated_at != loaded_at:
        raise ValidationError(
            _("Someone else saved this draft after you opened it. Reload to see their changes."),
            code="stale",
        )
    scope = school.pk if school else None
    kept = [
        {"heading": s.heading, "audience": s.audience, "body": s.body, "school_id": s.school_id}
        for s in version.sections.all()
        if s.school_id != scope
    ]
    edited = [{**fields, "school_id": scope} for fields in sections]
    combined = sorted(kept + edited, key=lambda fields: fields["school_id"] is not None)
    version.sections.all().delete()
    Section.objects.bulk_create(
        Section(version=version, position=position, **fields)
        for position, fields in enumerate(combined, start=1)
    )
    version.save(update_fields=["updated_at"])


DOCUMENT_TYPES = {".pdf", ".docx", ".doc", ".odt", ".xlsx", ".ods", ".txt", ".pptx"}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


@transaction.atomic
def add_document(version: ProtocolVersion, *, title: str, upload, by: User):
    """Attach a supporting document to a proposal that is a draft or in procedure."""
    if version.status not in {ProtocolVersion.Status.DRAFT, ProtocolVersion.Status.IN_PROCEDURE}:
        raise ValidationError(
            _("Documents are added while the proposal is a draft or in procedure.")
        )
    if Path(upload.name).suffix.lower() not in DOCUMENT_TYPES:
        raise ValidationError(_("Add a PDF, Word, OpenDocument, Excel, PowerPoint or text file."))
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    document = ProposalDocument(version=version, title=title.strip(), uploaded_by=by)
    document.file.save(Path(upload.name).name, upload, save=False)
    document.save()
    return document
