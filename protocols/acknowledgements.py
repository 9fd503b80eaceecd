"""Staff confirm that they have read an adopted version ("gelezen en begrepen").

Each confirmation belongs to one exact version and school. A version whose change is only
editorial asks nobody again. Staff who leave drop out of what is still outstanding; what
they confirmed stays on record.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from protocols.models import Acknowledgement, ProtocolVersion
from schools import access, notices
from schools.models import School, Staff, User
from schools.notices import absolute


def _current_staff(today) -> Q:
    return Q(end_date__isnull=True) | Q(end_date__gt=today)


def _counted(today) -> Q:
    """Acknowledgements that count: confirmed ones, and open ones of staff still there."""
    still_there = Staff.objects.filter(
        _current_staff(today), user=OuterRef("user"), school=OuterRef("school")
    )
    return Q(confirmed_at__isnull=False) | Exists(still_there)


def _outstanding_or_done(version: ProtocolVersion) -> QuerySet:
    """The version's acknowledgements, without the unconfirmed ones of staff who have left."""
    return version.acknowledgements.filter(_counted(timezone.localdate()))


@transaction.atomic
def request(version: ProtocolVersion) -> int:
    """Ask every current staff member of the schools `version` applies to to confirm reading it.

    Returns how many were newly asked; asking again asks nobody twice. An editorial version
    asks nobody.
    """
    if version.is_editorial:
        return 0
    if version.status != ProtocolVersion.Status.ADOPTED:
        raise ValueError("Only an adopted version asks staff to confirm reading it.")
    staff = Staff.objects.filter(
        _current_staff(timezone.localdate()), school__in=version.protocol.schools_covered()
    ).values_list("user_id", "school_id")
    asked = set(version.acknowledgements.values_list("user_id", "school_id"))
    new = [
        Acknowledgement(version=version, user_id=user_id, school_id=school_id)
        for user_id, school_id in set(staff) - asked
    ]
    # Two adoptions cannot run at once, but a request from elsewhere might: never fail on it.
    Acknowledgement.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def confirm(version: ProtocolVersion, user: User) -> Acknowledgement:
    """Record that `user` has read and understood `version`; a second time changes nothing."""
    mine = version.acknowledgements.filter(user=user)
    # One update, so a double click or two tabs cannot move the first time.
    mine.filter(confirmed_at__isnull=True).update(confirmed_at=timezone.now())
    acknowledgement = mine.order_by("confirmed_at").first()
    if acknowledgement is None:
        raise ValidationError(_("You have not been asked to confirm this version."))
    return acknowledgement


def last_confirmed(version: ProtocolVersion, user: User) -> ProtocolVersion | None:
    """The latest earlier version of the same protocol that `user` confirmed reading."""
    return (
        ProtocolVersion.objects.filter(
            protocol=version.protocol_id,
            number__lt=version.number,
            acknowledgements__user=user,
            acknowledgements__confirmed_at__isnull=False,
        )
        .order_by("-number")
        .first()
    )


def may_remind(user: User, school: School) -> bool:
    return School.objects.for_user(user, roles=access.MANAGING_ROLES).filter(pk=school.pk).exists()


def remind(version: ProtocolVersion, school: School, *, by: User) -> int:
    """E-mail the staff of `school` who have not confirmed `version` yet; returns how many.

    Only the school's director or the board may. Side effect: their `reminded_at` is set.
    """
    if not may_remind(by, school):
        raise ValidationError(_("Only the director or the board of this school sends reminders."))
    pending = list(
        _outstanding_or_done(version)
        .filter(school=school, confirmed_at__isnull=True)
        .select_related("user")
    )
    url = absolute(reverse("protocols:acknowledgement_confirm", args=[version.pk]))
    today = timezone.localdate()
    sent = 0
    for acknowledgement in pending:
        context = {
            "version": version,
            "school": school,
            "user": acknowledgement.user,
            "sender": by,
            "url": url,
        }
        # One reminder a day at most, however often the button is pressed.
        sent += notices.send(
            f"acknowledgement-reminder:{acknowledgement.pk}:{today}",
            acknowledgement.user,
            "emails/acknowledgement_reminder_subject.txt",
            "emails/acknowledgement_reminder_body.txt",
            context,
        )
    Acknowledgement.objects.filter(pk__in=[a.pk for a in pending]).update(
        reminded_at=timezone.now()
    )
    return sent


def overview(version: ProtocolVersion, *, schools: Iterable[School] | None = None) -> list[dict]:
    """Per school (each of `schools`, in their order, or else those with acknowledgements, by
    name): who has confirmed.

    Each item: school, confirmed and pending acknowledgements (with their user), counts and the
    last reminder. Two queries whatever the number of staff.
    """
    acknowledgements = (
        _outstanding_or_done(version)
        .select_related("user", "school")
        .order_by("school__name", "user__last_name", "user__first_name", "user__email")
    )
    if schools is not None:
        schools = list(schools)
        acknowledgements = acknowledgements.filter(school__in=[s.pk for s in schools])
    per_school: dict[int, list[Acknowledgement]] = {}
    for acknowledgement in acknowledgements:
        per_school.setdefault(acknowledgement.school_id, []).append(acknowledgement)
    if schools is None:
        schools = [rows[0].school for rows in per_school.values()]
    items = []
    for school in schools:
        rows = per_school.get(school.pk, [])
        confirmed = [a for a in rows if a.confirmed_at]
        pending = [a for a in rows if not a.confirmed_at]
        items.append(
            {
                "school": school,
                "confirmed": confirmed,
                "pending": pending,
                "confirmed_count": len(confirmed),
                "pending_count": len(pending),
                "total": len(rows),
                "last_reminded": max(
                    (a.reminded_at for a in pending if a.reminded_at), default=None
                ),
            }
        )
    return items


def counts(version: ProtocolVersion, *, schools, asking: User | None = None) -> dict:
    """How many of the staff of `schools` (a queryset or ids) have confirmed `version`, out of
    how many, and with `asking`, whether that user is still asked to: one query."""
    counted = _counted(timezone.localdate())
    ours = Q(school__in=schools)
    if asking is None:  # the schools once, in the WHERE clause
        found = version.acknowledgements.filter(ours).aggregate(
            total=Count("pk", filter=counted),
            confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
        )
        return {**found, "asking_pending": 0}
    mine = Q(confirmed_at__isnull=True, user=asking)
    return version.acknowledgements.filter(ours | mine).aggregate(
        total=Count("pk", filter=ours & counted),
        confirmed=Count("pk", filter=ours & Q(confirmed_at__isnull=False)),
        asking_pending=Count("pk", filter=mine),
    )
