"""Who may see which consent records: conditions built from `schools.access`, the one place
that answers "what may this user see" (DESIGN.md). Each function returns a `Q` on one consent
model; the models' `for_user` querysets apply it. This module imports no consent model.
"""

from django.db.models import Q, QuerySet

from schools import access
from schools.models import Guardian, Pupil, Role, School, Staff

MANAGING_ROLES = access.MANAGING_ROLES


def visible_pupils(user) -> QuerySet:
    """Ids of the pupils `user` may see: schools.access decides."""
    return Pupil.objects.filter(access.pupil_filter(user)).values("pk")


def decided_pupils(user) -> QuerySet:
    """Ids of the pupils `user` may answer for: children with gezag, or themselves."""
    return Pupil.objects.filter(
        Q(pk__in=Guardian.objects.filter(user_id=user.pk, has_gezag=True).values("pupil"))
        | Q(user_id=user.pk)
    ).values("pk")


def purpose_filter(user) -> Q:
    """Condition on Purpose: the board's, and the own ones of schools `user` reaches."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    schools = School.objects.filter(
        Q(pk__in=access.school_ids(user))
        | Q(pk__in=Pupil.objects.filter(pk__in=visible_pupils(user)).values("school"))
        | Q(pk__in=Staff.objects.filter(user_id=user.pk).values("school"))
    )
    return Q(school__isnull=True, stichting__in=schools.values("stichting")) | Q(school__in=schools)


def purpose_manage_filter(user) -> Q:
    """Condition on Purpose: the board manages its stichting's, a director their school's."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    board = School.objects.filter(pk__in=access.school_ids(user, [Role.BOARD]))
    directed = access.school_ids(user, [Role.DIRECTOR])
    return Q(stichting__in=board.values("stichting")) | Q(school__in=directed)


def subject_filter(user) -> Q:
    """Condition on a model with `pupil` and `staff`: subjects `user` may see the consent of."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return (
        Q(pupil__in=visible_pupils(user))
        | Q(staff__school__in=access.school_ids(user, MANAGING_ROLES))
        | Q(staff__user_id=user.pk)
    )


def managed_school_filter(user, path: str = "school") -> Q:
    """Condition on a school-owned model: schools `user` directs or governs."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(**{f"{path}__in": access.school_ids(user, MANAGING_ROLES)})


def activity_request_filter(user) -> Q:
    """Condition on ActivityRequest: the school's staff, and who answers for a pupil asked."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    mine = decided_pupils(user)
    return Q(school__in=access.school_ids(user)) | Q(pupils__in=mine) | Q(groups__pupils__in=mine)


def policy_filter(user) -> Q:
    """Condition on ConsentPolicy: the stichtingen whose schools `user` directs or governs."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    schools = School.objects.filter(pk__in=access.school_ids(user, MANAGING_ROLES))
    return Q(stichting__in=schools.values("stichting"))
