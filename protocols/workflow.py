"""Status changes of protocol versions. Every status change goes through this module.

The approval procedure itself (advies, instemming, vaststelling) is built on top of this in
the procedure issue; for now it registers adoptions that took place before the portal.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from protocols.models import ProtocolVersion
from schools.models import User

Status = ProtocolVersion.Status


@transaction.atomic
def register_adoption(
    version: ProtocolVersion,
    *,
    adopted_on: date,
    effective_date: date,
    evaluation_date: date,
    change_summary: str,
    by: User | None = None,
) -> None:
    """Record that `version` was adopted outside the portal, on the dates its text records.

    Side effects: the previously adopted version of the protocol becomes superseded.
    """
    version = ProtocolVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be registered as adopted."))
    if not change_summary.strip():
        raise ValidationError(_("Say what has changed before the version leaves draft."))
    if evaluation_date <= adopted_on or effective_date < adopted_on:
        raise ValidationError(_("Effective and evaluation dates cannot precede adoption."))
    # Supersede first: a unique constraint allows one adopted version per protocol.
    version.protocol.versions.filter(status=Status.ADOPTED).update(status=Status.SUPERSEDED)
    version.status = Status.ADOPTED
    version.adopted_on = adopted_on
    version.effective_date = effective_date
    version.evaluation_date = evaluation_date
    version.change_summary = change_summary
    version.save()
