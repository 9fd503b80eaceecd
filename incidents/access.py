"""Who may see and do what with incidents, built on `schools.access`.

Reading (DESIGN.md, DOMAIN 61: incidents visible only to those who handle them):
- a reporter sees their own reports;
- a handler sees what is routed to them (anti-bullying coordinator, confidential counsellor,
  or anyone a handler routed it to);
- the directie (DIRECTOR) sees every incident of their school(s), except those routed to the
  board about possible sexual misconduct by a staff member (DOMAIN 31-33);
- the board (BOARD) sees what is routed to it; of the rest only figures (`incidents.figures`);
- council members, parents (other than their own reports) and teachers who are not involved
  see nothing. A staff member suspected in an incident never sees it, unless they reported it.

This module asks no question of `incidents.models` (it works on fields by name and on the
instance it is given), so the models' `for_user` can hand the question here without a cycle.
"""

from django.db.models import Q

from schools import access as school_access
from schools.models import Guardian, Membership, Pupil, Role, School, User

DIRECTORS = (Role.DIRECTOR,)
HANDLING_ROLES = (Role.DIRECTOR, Role.ANTI_BULLYING, Role.CONFIDANT)


def _board_stichtingen(user):
    return Membership.objects.filter(user_id=user.pk, role=Role.BOARD).values("stichting")


def incident_filter(user) -> Q:
    """Condition on Incident for the incidents `user` may read."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:  # platform staff, as everywhere in the portal
        return Q()
    suspected = Q(pk__in=_involved_as_suspect(user).values("incident"))
    return Q(reported_by=user.pk) | (
        ~suspected
        & (
            Q(pk__in=_routed_to(user))
            | Q(to_board=False, school__in=school_access.school_ids(user, DIRECTORS))
            | Q(to_board=True, school__stichting__in=_board_stichtingen(user))
        )
    )


def _routed_to(user):
    # Through the M2M's table, so the outer query gets no join and no duplicate rows.
    from django.apps import apps

    through = apps.get_model("incidents", "Incident").routed_to.through
    return through.objects.filter(user_id=user.pk).values("incident_id")


def _involved_as_suspect(user):
    from django.apps import apps

    involvement = apps.get_model("incidents", "Involvement")
    return involvement.objects.filter(role="suspect", staff__user_id=user.pk)


def is_director(user: User, school: School) -> bool:
    return school.pk in school_access.school_ids(user, DIRECTORS)


def is_board(user: User, school: School) -> bool:
    return Membership.objects.filter(
        user_id=user.pk, role=Role.BOARD, stichting=school.stichting_id
    ).exists()


def reporter_kind(user: User | None, school: School) -> str | None:
    """As what `user` may report at `school`: "staff", "parent" or "pupil"; None if not at all."""
    if user is None or not user.is_authenticated:
        return None
    if school.pk in school_access.school_ids(user):
        return "staff"
    if Guardian.objects.filter(user_id=user.pk, pupil__school=school).exists():
        return "parent"
    if Pupil.objects.filter(user_id=user.pk, school=school).exists():
        return "pupil"
    return None


def manages(user: User, incident) -> bool:
    """The directie of the school, or for a case routed to the board, the board.

    They close the case, set a legal hold and read who opened it.
    """
    if incident.to_board:
        return is_board(user, incident.school)
    return is_director(user, incident.school)


def may_handle(user: User, incident) -> bool:
    """Handlers work on the case file: those it is routed to, and whoever manages it."""
    if not user.is_authenticated:
        return False
    if _involved_as_suspect(user).filter(incident=incident.pk).exists():
        return False
    return incident.routed_to.filter(pk=user.pk).exists() or manages(user, incident)


def school_handlers(school: School, roles) -> list[User]:
    """Active users with one of `roles` at `school` (directly or stichting-wide)."""
    grants = Membership.objects.filter(role__in=roles, stichting=school.stichting_id).filter(
        Q(school=school) | Q(school__isnull=True)
    )
    return list(User.objects.filter(is_active=True, pk__in=grants.values("user")).order_by("pk"))


def board_members(school: School) -> list[User]:
    grants = Membership.objects.filter(role=Role.BOARD, stichting=school.stichting_id)
    return list(User.objects.filter(is_active=True, pk__in=grants.values("user")).order_by("pk"))
