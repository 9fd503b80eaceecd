"""The one place that answers "what may this user see here".

Views fetch through the `for_user` queryset methods of the models, which delegate to the
functions below. Everything outside a user's reach is simply absent from their querysets,
so a view answers 404 for it and ids leak nothing.

Who sees what (see DESIGN.md):
- a board member (CvB) sees every school of their stichting;
- a director and other school staff see their school(s); teachers see the pupils of the
  groups they teach, directors and the board all pupils of their schools;
- a council member sees their council; parents see their own children; a pupil themselves.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from schools.models import (
    ClassGroup,
    CouncilMember,
    Guardian,
    Membership,
    Pupil,
    Role,
    School,
    Staff,
)

# Roles that see the whole school: its pupils, groups and councils.
MANAGING_ROLES = (Role.BOARD, Role.DIRECTOR)


def _active(day):
    """Filter for records with an end date: still running on `day`."""
    return Q(end_date__isnull=True) | Q(end_date__gt=day)


# What one request has worked out about its users, while the request runs (see `request_scope`).
_scope: ContextVar[dict | None] = ContextVar("access_scope", default=None)


@contextmanager
def request_scope():
    """Keep what the access layer reads about a user for as long as this block runs.

    The middleware opens one per request: a page asks for the same reach dozens of times, and
    building those queries again was most of its CPU. Outside a scope (tasks, the shell) every
    call reads the database afresh, so a role given there counts at once. Inside one, a role
    given during the request counts from the next request, as a page is drawn in one go.
    """
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def school_ids(user, roles=None) -> list[int]:
    """Ids of the schools where `user` holds one of `roles` (any role when None).

    Read from the user's `reach`, which the menu loads on every page anyway: a list of ids is
    cheaper to put in a query than a subquery is to build, and a page asks dozens of times.
    """
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(School.objects.values_list("pk", flat=True))
    return reach(user).school_ids(roles)


def school_ids_of_stichting(user, stichting_id: int, roles=None) -> list[int]:
    """`school_ids`, of the schools of one stichting only."""
    if user.is_authenticated and user.is_superuser:
        return list(School.objects.filter(stichting_id=stichting_id).values_list("pk", flat=True))
    return reach(user).school_ids(roles, stichting_id=stichting_id)


def taught_group_ids(user) -> list[int]:
    """Ids of the groups `user` currently teaches."""
    return [group.pk for group in reach(user).taught_groups]


def group_ids(user) -> QuerySet:
    """Ids of the groups whose pupil list `user` may see."""
    if not user.is_authenticated:
        return ClassGroup.objects.none().values("pk")
    return ClassGroup.objects.filter(
        Q(school__in=school_ids(user, MANAGING_ROLES)) | Q(pk__in=taught_group_ids(user))
    ).values("pk")


def pupil_filter(user) -> Q:
    """Condition on Pupil for the pupils `user` may see."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return (
        Q(school__in=school_ids(user, MANAGING_ROLES))
        | Q(group__in=taught_group_ids(user))
        | Q(pk__in=family_pupil_ids(user))
    )


def staff_filter(user) -> Q:
    """Condition on Staff: oneself, and the staff of the schools `user` directs or governs."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(user_id=user.pk) | Q(school__in=school_ids(user, MANAGING_ROLES))


def sign_in_event_filter(user, school=None) -> Q:
    """Condition on SignInEvent: sign-ins of the staff accounts of the schools `user` manages.

    Staff accounts are those with a role at the school itself or a current Staff record there
    (the board's stichting-wide accounts are not a school's staff). With `school`, only its own.
    """
    if not user.is_authenticated:
        return Q(pk__in=[])
    managed = school_ids(user, MANAGING_ROLES)
    if school is not None:
        managed = [school.pk] if school.pk in managed else []
    today = timezone.localdate()
    return Q(user__in=Membership.objects.filter(school__in=managed).values("user")) | Q(
        user__in=Staff.objects.filter(_active(today), school__in=managed).values("user")
    )


def council_filter(user) -> Q:
    """Condition on Council: councils `user` sits on, and those of schools they manage."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    mine = reach(user)
    return (
        Q(pk__in=[seat.council_id for seat in mine.council_seats])
        | Q(school__in=school_ids(user, MANAGING_ROLES))
        | Q(stichting__in=mine.stichting_ids([Role.BOARD]))
    )


@dataclass
class Reach:
    """Everything a user is connected to, loaded once per request for navigation and home."""

    memberships: list = field(default_factory=list)
    staff_positions: list = field(default_factory=list)
    council_seats: list = field(default_factory=list)
    guardianships: list = field(default_factory=list)
    own_pupil: Pupil | None = None
    _school_ids: dict = field(default_factory=dict, repr=False)

    def _has_role(self, *roles) -> bool:
        return any(m.role in roles for m in self.memberships)

    @property
    def is_board(self) -> bool:
        return self._has_role(Role.BOARD)

    @property
    def is_director(self) -> bool:
        return self._has_role(Role.DIRECTOR)

    @property
    def works_at_school(self) -> bool:
        return bool(self.memberships or self.staff_positions)

    @property
    def is_teacher(self) -> bool:
        return any(position.groups.all() for position in self.staff_positions)

    @property
    def is_council_member(self) -> bool:
        return bool(self.council_seats)

    @property
    def is_parent(self) -> bool:
        return bool(self.guardianships)

    @property
    def is_pupil(self) -> bool:
        return self.own_pupil is not None

    def school_ids(self, roles=None, *, stichting_id: int | None = None) -> list[int]:
        """Ids of the schools where the user holds one of `roles` (any role when None), of
        every stichting or only of `stichting_id`.

        A role without a school holds at every school of its stichting; working at a school
        (a Staff record) is the staff role there, membership or not.
        """
        key = tuple(roles) if roles is not None else None
        if key not in self._school_ids:
            found = {}  # school id: its stichting's id
            for m in self.memberships:
                if roles is None or m.role in roles:
                    found.update((school.pk, school.stichting_id) for school in _schools_of(m))
            if roles is None or Role.STAFF in roles:
                found.update((p.school_id, p.school.stichting_id) for p in self.staff_positions)
            self._school_ids[key] = dict(sorted(found.items()))
        schools = self._school_ids[key]
        if stichting_id is None:
            return list(schools)
        return [pk for pk, stichting in schools.items() if stichting == stichting_id]

    def stichting_ids(self, roles=None) -> list[int]:
        """Ids of the stichtingen of the schools in `school_ids(roles)`."""
        ids = {
            m.school.stichting_id if m.school_id else m.stichting_id
            for m in self.memberships
            if roles is None or m.role in roles
        }
        if roles is None or Role.STAFF in roles:
            ids.update(position.school.stichting_id for position in self.staff_positions)
        return sorted(ids)

    def family_pupil_ids(self, *, gezag_only: bool = False) -> list[int]:
        """The pupils the user is a guardian of (with gezag, if asked) or is."""
        ids = {g.pupil_id for g in self.guardianships if g.has_gezag or not gezag_only}
        if self.own_pupil:
            ids.add(self.own_pupil.pk)
        return sorted(ids)

    @cached_property
    def taught_groups(self) -> list:
        return [group for position in self.staff_positions for group in position.groups.all()]

    @cached_property
    def schools(self) -> list[tuple[School, list[str]]]:
        """Each school the user belongs to, with what they are there, in a stable order.

        Worked out once: the menu and the home page ask for it several times per request.
        """
        found: dict[int, tuple[School, list[str]]] = {}

        def add(school, label):
            labels = found.setdefault(school.pk, (school, []))[1]
            if label not in labels:  # two children at one school: "Ouder" once
                labels.append(label)

        for m in self.memberships:
            label = str(m.get_role_display())  # once, not per school of a stichting
            for school in _schools_of(m):
                add(school, label)
        for position in self.staff_positions:
            if position.school_id not in found:
                add(position.school, str(Role.STAFF.label))
        for seat in self.council_seats:
            if seat.council.school:
                add(seat.council.school, str(seat.council.get_kind_display()))
        for guardianship in self.guardianships:
            add(guardianship.pupil.school, str(guardianship.get_relation_display()))
        if self.own_pupil:
            add(self.own_pupil.school, str(Pupil._meta.verbose_name))
        return sorted(found.values(), key=lambda item: item[0].name)


def _schools_of(membership) -> list[School]:
    """The schools a role holds at: its school, or every school of its stichting."""
    if membership.school_id:
        return [membership.school]
    return list(membership.stichting.schools.all())


def reach(user) -> Reach:
    """Load what `user` is connected to, in a fixed number of queries, once per request."""
    if not user.is_authenticated:
        return Reach()
    scope = _scope.get()
    if scope is None:
        return _reach(user)
    key = (user.pk, timezone.localdate())
    if key not in scope:
        scope[key] = _reach(user)
    return scope[key]


def _held_relations(user) -> set[str]:
    """Which of the user's relations exist at all, in one cheap query: `_reach` loads only
    those (a parent has no staff positions or council seats to look for)."""
    tables = {
        "membership": Membership,
        "staff": Staff,
        "council": CouncilMember,
        "guardian": Guardian,
        "pupil": Pupil,
    }
    probes = ", ".join(
        f"EXISTS (SELECT 1 FROM {connection.ops.quote_name(model._meta.db_table)} "
        f"WHERE {connection.ops.quote_name(model._meta.get_field('user').column)} = %s)"
        for model in tables.values()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {probes}", [user.pk] * len(tables))
        found = cursor.fetchone()
    return {name for name, held in zip(tables, found, strict=True) if held}


def _reach(user) -> Reach:
    today = timezone.localdate()
    held = _held_relations(user)
    reach = Reach()
    if "membership" in held:
        reach.memberships = list(
            Membership.objects.filter(user=user).select_related("school", "stichting")
        )
        # The schools of a stichting only for a role across it: a director's school role
        # would otherwise load every school of the board.
        prefetch_related_objects(
            [m for m in reach.memberships if m.school_id is None], "stichting__schools"
        )
    if "staff" in held:
        reach.staff_positions = list(
            Staff.objects.filter(_active(today), user=user)
            .select_related("school")
            .prefetch_related("groups")
        )
    if "council" in held:
        reach.council_seats = list(
            CouncilMember.objects.filter(_active(today), user=user).select_related(
                "council__school", "council__stichting"
            )
        )
    if "guardian" in held:
        reach.guardianships = list(
            Guardian.objects.filter(user=user).select_related("pupil__school", "pupil__group")
        )
    if "pupil" in held:
        reach.own_pupil = Pupil.objects.filter(user=user).select_related("school", "group").first()
    return reach


def family_pupil_ids(user, *, gezag_only: bool = False) -> list[int]:
    """The pupils `user` is a guardian of (with gezag, if asked) or is, as ids.

    For `filter(pk__in=...)`: PostgreSQL answers that from the primary key, where an OR across
    the guardians join (`Q(guardians__user=...) | Q(user=...)`) made it read every pupil and
    guardian of the platform.
    """
    return reach(user).family_pupil_ids(gezag_only=gezag_only)


def protocol_filter(user) -> Q:
    """Condition on Protocol: the protocols of the schools and councils `user` is part of.

    Anyone, logged in or not, reads adopted versions through the public pages; this is
    about the working copies (drafts, procedure) inside the portal.
    """
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    mine = reach(user)
    mrs = [seat.council for seat in mine.council_seats if seat.council.school_id]
    gmrs = [seat.council for seat in mine.council_seats if not seat.council.school_id]
    return _protocols_of(
        mine.school_ids() + [council.school_id for council in mrs],
        mine.stichting_ids() + [council.stichting_id for council in gmrs],
    )


def _protocols_of(school_ids, stichting_ids) -> Q:
    """Condition on Protocol: those of these schools, and the board-wide ones of these
    stichtingen."""
    return Q(school__in=school_ids) | Q(school__isnull=True, stichting__in=stichting_ids)


# Who drafts protocol text: the board, and directors (of the school, or of any school of the
# stichting for a board-wide protocol). Teachers, councils and parents read.
EDITING_ROLES = (Role.BOARD, Role.DIRECTOR)


def may_edit_protocol(user, protocol) -> bool:
    """Whether `user` writes drafts of `protocol`: `protocol_edit_filter` for one protocol, from
    the reach, so a page that asks in several panels runs no query for it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    mine = reach(user)
    if protocol.school_id:
        return protocol.school_id in mine.school_ids(EDITING_ROLES)
    return protocol.stichting_id in mine.stichting_ids(EDITING_ROLES)


def protocol_edit_filter(user) -> Q:
    """Condition on Protocol: the protocols whose drafts `user` may write."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    mine = reach(user)
    return _protocols_of(mine.school_ids(EDITING_ROLES), mine.stichting_ids(EDITING_ROLES))
