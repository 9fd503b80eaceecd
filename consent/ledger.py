"""The consent ledger: every write, and every state derived from it (DOMAIN B 18-28).

Writes append rows and never change them. The state of a subject for a purpose is derived
from the latest answer of each person who decides, in SQL, in a fixed number of queries for
a whole school: the combination itself is `consent.rules`.
"""

from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache, partial

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from consent import notices, rules
from consent.models import (
    ActivityAnswer,
    ActivityRequest,
    Capacity,
    Channel,
    ConsentEvent,
    ConsentPolicy,
    DeletionLog,
    Purpose,
    PurposeVersion,
    TakedownTask,
)
from consent.rules import State
from schools import access
from schools.models import Guardian, Pupil, School, Staff, Stichting, User

# How long a school has to take a publication down after a withdrawal.
TAKEDOWN_DAYS = 7


# --- policy and purposes --------------------------------------------------------------------


def policy_for(stichting: Stichting) -> ConsentPolicy:
    """The stichting's consent policy; created with the defaults when it has none yet."""
    policy, _created = ConsentPolicy.objects.get_or_create(stichting=stichting)
    return policy


@transaction.atomic
def create_purpose(
    *, stichting: Stichting, name: str, slug: str, text: str, by: User | None, **fields
) -> Purpose:
    """Create a purpose with its first text version (version 1, material)."""
    purpose = Purpose(stichting=stichting, name=name, slug=slug, **fields)
    purpose.full_clean()
    purpose.save()
    PurposeVersion.objects.create(
        purpose=purpose, number=1, text=text, material=True, created_by=by
    )
    return purpose


def current_version(purpose: Purpose) -> PurposeVersion | None:
    """The text now shown for `purpose`: its highest version."""
    return purpose.versions.order_by("-number").first()


@transaction.atomic
def change_purpose_text(purpose: Purpose, *, text: str, material: bool, by: User) -> PurposeVersion:
    """Add a text version; a material one makes earlier answers for this purpose stop counting."""
    # Lock the purpose so two editors cannot both take the next number.
    Purpose.objects.select_for_update().filter(pk=purpose.pk).first()
    latest = current_version(purpose)
    if latest is not None and latest.text.strip() == text.strip():
        raise ValidationError(_("The text has not changed."))
    number = latest.number + 1 if latest else 1
    return PurposeVersion.objects.create(
        purpose=purpose,
        number=number,
        text=text,
        material=material or latest is None,
        created_by=by,
    )


# --- who decides ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """Whose choice an answer is, in which capacity, and who typed it in for them."""

    given_by: User | None
    capacity: Capacity
    entered_by: User | None


def _manages(user: User, school_id: int) -> bool:
    return school_id in access.school_ids(user, access.MANAGING_ROLES)


def decision_for(
    *,
    subject: Pupil | Staff,
    by: User,
    channel: str = Channel.PORTAL,
    note: str = "",
    on_behalf_of: User | None = None,
    today: date,
) -> Decision:
    """Check that `by` may give this choice (rules 18, 26, 28); raise ValidationError if not."""
    if isinstance(subject, Staff):
        if channel != Channel.PORTAL or on_behalf_of not in (None, by):
            raise ValidationError(
                _("Staff members set their own consent; nobody sets it for them.")
            )
        if by.pk != subject.user_id:
            raise ValidationError(
                _("Staff members set their own consent; nobody sets it for them.")
            )
        return Decision(by, Capacity.STAFF, None)

    pupil = subject
    decider = rules.deciders_on(birth_date=pupil.birth_date, day=today)
    if channel == Channel.PORTAL:
        if on_behalf_of not in (None, by):
            raise ValidationError(_("Someone else's choice can only be entered from a paper form."))
        person, entered_by = by, None
    else:
        if not _manages(by, pupil.school_id):
            raise ValidationError(
                _("Only the director or the board of the pupil's school can enter a paper form.")
            )
        if channel == Channel.PAPER and (on_behalf_of is None or not note.strip()):
            raise ValidationError(
                _("A paper form needs the name of who signed it and a note where it is kept.")
            )
        person, entered_by = on_behalf_of, by

    if person is None:  # an import that does not say who gave it
        capacity = Capacity.PUPIL if decider is rules.Decider.PUPIL else Capacity.PARENT
        return Decision(None, capacity, entered_by)
    if decider is rules.Decider.PUPIL:
        if not rules.may_decide(decider, is_subject=person.pk == pupil.user_id):
            raise ValidationError(_("From the age of 16, only the pupil decides on their consent."))
        return Decision(person, Capacity.PUPIL, entered_by)
    guardian = Guardian.objects.filter(pupil=pupil, user=person).first()
    has_gezag = guardian is not None and guardian.has_gezag
    if not rules.may_decide(decider, is_subject=person.pk == pupil.user_id, has_gezag=has_gezag):
        raise ValidationError(
            _("Under 16, only a parent or guardian with parental authority (gezag) decides.")
        )
    relation_is_guardian = guardian.relation == Guardian.Relation.GUARDIAN
    return Decision(
        person, Capacity.GUARDIAN if relation_is_guardian else Capacity.PARENT, entered_by
    )


def _check_purpose_applies(purpose: Purpose, subject: Pupil | Staff) -> None:
    audience = Purpose.Audience.STAFF if isinstance(subject, Staff) else Purpose.Audience.PUPILS
    applies = (
        Purpose.objects.for_school(subject.school, audience=audience).filter(pk=purpose.pk).exists()
    )
    if not applies:
        raise ValidationError(_("This purpose is not asked of this person."))


# --- writes ---------------------------------------------------------------------------------


def record_choice(
    *,
    subject: Pupil | Staff,
    purpose: Purpose,
    choice: bool,
    by: User,
    channel: str = Channel.PORTAL,
    note: str = "",
    on_behalf_of: User | None = None,
    today: date | None = None,
) -> ConsentEvent:
    """Append one choice for the current text. Side effects: TakedownTask, receipt on commit."""
    today = today or timezone.localdate()
    _check_purpose_applies(purpose, subject)
    decision = decision_for(
        subject=subject, by=by, channel=channel, note=note, on_behalf_of=on_behalf_of, today=today
    )
    is_staff = isinstance(subject, Staff)
    with transaction.atomic():
        version = current_version(purpose)
        if version is None:
            raise ValidationError(_("This purpose has no explanation yet."))
        before = state_of(subject, purpose, today)
        event = ConsentEvent(
            pupil=None if is_staff else subject,
            staff=subject if is_staff else None,
            purpose=purpose,
            purpose_version=version,
            choice=choice,
            given_by=decision.given_by,
            capacity=decision.capacity,
            entered_by=decision.entered_by,
            channel=channel,
            note=note.strip(),
        )
        event.full_clean()
        event.save()
        after = state_of(subject, purpose, today)
        if purpose.is_public and before.allows and not after.allows:
            _create_takedown(event, subject, purpose, today)
        transaction.on_commit(partial(notices.send_receipt, event.pk))
    return event


def _create_takedown(event: ConsentEvent, subject, purpose: Purpose, today: date) -> TakedownTask:
    is_staff = isinstance(subject, Staff)
    return TakedownTask.objects.create(
        school_id=subject.school_id,
        pupil=None if is_staff else subject,
        staff=subject if is_staff else None,
        purpose=purpose,
        event=event,
        what=_("Images (%(media)s) of this person") % {"media": ", ".join(purpose.media) or "-"},
        where=purpose.name,
        due_on=today + timedelta(days=TAKEDOWN_DAYS),
    )


def record_activity_answer(
    *,
    request: ActivityRequest,
    pupil: Pupil,
    choice: bool,
    by: User,
    channel: str = Channel.PORTAL,
    note: str = "",
    on_behalf_of: User | None = None,
    today: date | None = None,
) -> ActivityAnswer:
    """Append one answer to an activity request for one pupil; mails a receipt after commit."""
    today = today or timezone.localdate()
    if not request.asked_pupils().filter(pk=pupil.pk).exists():
        raise ValidationError(_("This pupil is not asked for this activity."))
    if today > request.deadline:
        raise ValidationError(_("The deadline for this activity has passed."))
    decision = decision_for(
        subject=pupil, by=by, channel=channel, note=note, on_behalf_of=on_behalf_of, today=today
    )
    with transaction.atomic():
        answer = ActivityAnswer(
            request=request,
            pupil=pupil,
            choice=choice,
            given_by=decision.given_by,
            capacity=decision.capacity,
            entered_by=decision.entered_by,
            channel=channel,
            note=note.strip(),
        )
        answer.full_clean()
        answer.save()
        transaction.on_commit(partial(notices.send_activity_receipt, answer.pk))
    return answer


# --- derived state --------------------------------------------------------------------------

# Per answer, whose slot it fills: the pupil's own answers share one slot, each guardian has
# their own, and an import that did not say who counts as one more guardian.
_SLOT = Case(
    When(capacity=Capacity.PUPIL, then=Value(-1)),
    default=Coalesce("given_by", Value(0)),
    output_field=IntegerField(),
)


def valid_version_ids(purposes: Iterable) -> list[int]:
    """Text versions whose answers count: each purpose's latest material version and after."""
    latest_material = (
        PurposeVersion.objects.filter(purpose=OuterRef("purpose"), material=True)
        .order_by("-number")
        .values("number")[:1]
    )
    return list(
        PurposeVersion.objects.filter(purpose__in=purposes)
        .annotate(floor=Subquery(latest_material))
        .filter(Q(floor__isnull=True) | Q(number__gte=F("floor")))
        .values_list("pk", flat=True)
    )


def _latest_counts(model, *, scope: Q, valid: Q, subject: str, about: str) -> dict:
    """Per (subject id, about id): (own answer or None, guardians' ja count, nee count).

    Only the latest answer of each slot counts (NOT EXISTS a newer one), and a guardian's only
    while they hold gezag; the rest is conditional aggregation, so the database does the work.
    """
    newer = (
        model.objects.filter(valid, **{subject: OuterRef(subject), about: OuterRef(about)})
        .annotate(slot=_SLOT)
        .filter(slot=OuterRef("slot"))
        .filter(
            Q(created_at__gt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
        )
    )
    eligible = Q()
    if subject == "pupil":
        gezag = Guardian.objects.filter(
            pupil=OuterRef("pupil"), user=OuterRef("given_by"), has_gezag=True
        )
        eligible = Q(capacity=Capacity.PUPIL) | Q(given_by__isnull=True) | Q(Exists(gezag))
    own = Q(capacity__in=[Capacity.PUPIL, Capacity.STAFF])
    rows = (
        model.objects.filter(scope, valid)
        .annotate(slot=_SLOT)
        .filter(eligible, ~Exists(newer))
        .values(subject, about)
        .annotate(
            own_yes=Count("pk", filter=own & Q(choice=True)),
            own_no=Count("pk", filter=own & Q(choice=False)),
            yes=Count("pk", filter=~own & Q(choice=True)),
            no=Count("pk", filter=~own & Q(choice=False)),
        )
        .values_list(subject, about, "own_yes", "own_no", "yes", "no")
        .order_by()
    )
    # Rows straight from the cursor: a school's page reads thousands, and Django's converting
    # each count to the int the driver already gives took a quarter of the query's time.
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # nobody in scope (an empty list of ids)
        return {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    counts = {}
    for subject_id, about_id, own_yes, own_no, yes, no in rows:
        own_choice = True if own_yes else (False if own_no else None)
        counts[(subject_id, about_id)] = (own_choice, yes, no)
    return counts


def _combine(counts: tuple | None, *, pupil_decides: bool) -> State:
    return _combined(*(counts or (None, 0, 0)), pupil_decides)


@lru_cache(maxsize=256)
def _combined(own: bool | None, yes: int, no: int, pupil_decides: bool) -> State:
    # A page combines the counts of every pupil and purpose, a few distinct ones many times.
    return rules.combine(
        guardian_choices=[True] * yes + [False] * no, pupil_choice=own, pupil_decides=pupil_decides
    )


def _pupil_rows(pupils) -> list[tuple[int, int, date, int]]:
    rows = pupils.order_by().values_list("pk", "school_id", "birth_date", "school__stichting_id")
    return list(rows)


def _event_counts(pupil_ids, purposes: list[Purpose], subject: str = "pupil") -> dict:
    valid = Q(purpose_version__in=valid_version_ids([p.pk for p in purposes]))
    scope = Q(**{f"{subject}__in": pupil_ids})
    return _latest_counts(ConsentEvent, scope=scope, valid=valid, subject=subject, about="purpose")


def states_for_pupils(
    pupils: QuerySet | list[Pupil], purposes: Iterable[Purpose], day: date
) -> dict:
    """`{(pupil_id, purpose_id): State}` for every pair, in three queries whatever the numbers
    (two when `pupils` are already loaded Pupil objects rather than a queryset)."""
    purposes = list(purposes)
    if isinstance(pupils, QuerySet):
        births = [(pk, birth) for pk, _school_id, birth, _stichting_id in _pupil_rows(pupils)]
        counts = _event_counts(pupils.order_by().values("pk"), purposes)
    else:
        births = [(pupil.pk, pupil.birth_date) for pupil in pupils]
        counts = _event_counts([pk for pk, _birth in births], purposes)
    return {
        (pupil_id, purpose.pk): _combine(
            counts.get((pupil_id, purpose.pk)), pupil_decides=rules.pupil_decides(birth, day)
        )
        for pupil_id, birth in births
        for purpose in purposes
    }


def states_for_staff(staff: QuerySet, purposes: Iterable[Purpose]) -> dict:
    """`{(staff_id, purpose_id): State}` per pair: only the staff member's own answer counts."""
    purposes = list(purposes)
    ids = list(staff.order_by().values_list("pk", flat=True))
    counts = _event_counts(ids, purposes, subject="staff")
    return {
        (staff_id, purpose.pk): _combine(counts.get((staff_id, purpose.pk)), pupil_decides=True)
        for staff_id in ids
        for purpose in purposes
    }


def state_of(subject: Pupil | Staff, purpose: Purpose, day: date) -> State:
    """The effective consent of one pupil or staff member for one purpose on `day`."""
    if isinstance(subject, Staff):
        return states_for_staff(Staff.objects.filter(pk=subject.pk), [purpose])[
            (subject.pk, purpose.pk)
        ]
    return states_for_pupils(Pupil.objects.filter(pk=subject.pk), [purpose], day)[
        (subject.pk, purpose.pk)
    ]


def purposes_at(schools, audience: str = Purpose.Audience.PUPILS) -> list[Purpose]:
    """Active purposes asked of `audience` at `schools` (board-wide and the schools' own)."""
    schools = School.objects.filter(pk__in=schools)
    return list(
        Purpose.objects.filter(
            Q(school__isnull=True, stichting__in=schools.values("stichting"))
            | Q(school__in=schools),
            active=True,
            audience__in=[audience, Purpose.Audience.BOTH],
        )
    )


def applies(purpose: Purpose, school_id: int, stichting_id: int) -> bool:
    """True when `purpose` is asked at this school: the board's own, or the school's."""
    return purpose.stichting_id == stichting_id and purpose.school_id in (None, school_id)


def coverage(schools, day: date) -> dict[tuple[int, int], dict[State, int]]:
    """Per (school id, purpose id): how many enrolled pupils are ja, nee, unanswered, disagreement.

    Four queries for one school or a whole board; the cost grows with the pupils counted.
    """
    if isinstance(schools, School):
        schools = [schools.pk]
    purposes = purposes_at(schools)
    pupils = Pupil.objects.enrolled_on(day).filter(school__in=schools)
    rows = _pupil_rows(pupils)
    counts = _event_counts(pupils.order_by().values("pk"), purposes)
    # Pupils with the same answers and the same say are counted together and their state
    # worked out once: a board has thousands of pupils but few distinct combinations.
    asked_at: dict[int, list[int]] = {}
    alike: Counter = Counter()
    for pupil_id, school_id, birth, stichting_id in rows:
        if school_id not in asked_at:
            asked_at[school_id] = [p.pk for p in purposes if applies(p, school_id, stichting_id)]
        decides = rules.pupil_decides(birth, day)
        for purpose_id in asked_at[school_id]:
            alike[school_id, purpose_id, counts.get((pupil_id, purpose_id)), decides] += 1
    tally: dict[tuple[int, int], Counter] = {}
    for (school_id, purpose_id, found, decides), n in alike.items():
        state = _combine(found, pupil_decides=decides)
        tally.setdefault((school_id, purpose_id), Counter())[state] += n
    return {key: {state: counter[state] for state in State} for key, counter in tally.items()}


def refusals(school: School, purpose: Purpose, day: date) -> list[tuple[Pupil, State]]:
    """Enrolled pupils of `school` who may not be shown for `purpose`, with why, by name."""
    pupils = Pupil.objects.enrolled_on(day).filter(school=school).select_related("group")
    states = states_for_pupils(pupils, [purpose], day)
    return [
        (pupil, states[(pupil.pk, purpose.pk)])
        for pupil in pupils
        if not states[(pupil.pk, purpose.pk)].allows
    ]


def may_publish(pupils: QuerySet, purpose: Purpose, day: date) -> tuple[bool, dict[int, State]]:
    """Mag ik dit publiceren? A verdict and the state per pupil; one pupil without ja says no."""
    states = {
        pupil_id: state
        for (pupil_id, _purpose_id), state in states_for_pupils(pupils, [purpose], day).items()
    }
    return all(state.allows for state in states.values()), states


def history(subject: Pupil | Staff) -> QuerySet:
    """Every event of one subject, oldest first, with the text version shown (for inzage)."""
    field = "staff" if isinstance(subject, Staff) else "pupil"
    return (
        ConsentEvent.objects.filter(**{field: subject})
        .select_related("purpose", "purpose_version", "given_by", "entered_by")
        .order_by("created_at", "pk")
    )


def activity_answers(request: ActivityRequest, day: date) -> dict[int, State]:
    """`{pupil_id: State}` for every pupil asked; after the deadline no answer is nee."""
    pupils = request.asked_pupils().enrolled_on(day)
    rows = _pupil_rows(pupils)
    scope = Q(request=request, pupil__in=pupils.order_by().values("pk"))
    counts = _latest_counts(
        ActivityAnswer, scope=scope, valid=Q(), subject="pupil", about="request"
    )
    closed = day > request.deadline
    states = {}
    for pupil_id, _school_id, birth, _stichting_id in rows:
        state = _combine(
            counts.get((pupil_id, request.pk)), pupil_decides=rules.pupil_decides(birth, day)
        )
        states[pupil_id] = State.NEE if closed and state is State.UNANSWERED else state
    return states


def activity_states(pupils: list[Pupil], requests: list[ActivityRequest], day: date) -> dict:
    """`{(pupil_id, request_id): State}` for given pupils and requests, in one query."""
    scope = Q(pupil__in=[p.pk for p in pupils], request__in=[r.pk for r in requests])
    counts = _latest_counts(
        ActivityAnswer, scope=scope, valid=Q(), subject="pupil", about="request"
    )
    states = {}
    for pupil in pupils:
        decides = rules.pupil_decides(pupil.birth_date, day)
        for request in requests:
            state = _combine(counts.get((pupil.pk, request.pk)), pupil_decides=decides)
            if day > request.deadline and state is State.UNANSWERED:
                state = State.NEE
            states[(pupil.pk, request.pk)] = state
    return states


# --- retention ------------------------------------------------------------------------------

SQLITE_PURGE_FLAG = "consent_purge_flag"  # created by migration 0001


@contextmanager
def _guard_lifted():
    """Inside one transaction, let this connection delete ledger rows (see migration 0001)."""
    vendor = connection.vendor
    with transaction.atomic():
        with connection.cursor() as cursor:
            if vendor == "postgresql":
                cursor.execute("SET LOCAL consent.purge = 'on'")
            elif vendor == "sqlite":
                cursor.execute(f"INSERT INTO {SQLITE_PURGE_FLAG} (id) VALUES (1)")
        yield
        # SET LOCAL would outlive a savepoint until the outer transaction ends: switch it off.
        with connection.cursor() as cursor:
            if vendor == "postgresql":
                cursor.execute("SET LOCAL consent.purge = 'off'")
            elif vendor == "sqlite":
                cursor.execute(f"DELETE FROM {SQLITE_PURGE_FLAG}")


def purge_rows(queryset: QuerySet) -> int:
    """Delete ledger rows for retention, the one permitted delete; returns how many."""
    with _guard_lifted():
        return queryset._purge()


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def apply_retention(today: date) -> int:
    """Delete consent records of pupils and staff who left longer ago than the policy allows.

    Side effects: deletes consent events (with their takedown tasks) and activity answers,
    and writes a DeletionLog per stichting, rule and record type, with counts and no names.
    """
    policies = {p.stichting_id: p for p in ConsentPolicy.objects.all()}
    deleted = 0
    for stichting in Stichting.objects.filter(schools__isnull=False).distinct():
        years = policies.get(stichting.pk, ConsentPolicy()).retention_years
        cutoff = _years_before(today, years)
        left_pupils = Pupil.objects.filter(school__stichting=stichting, leave_date__lt=cutoff)
        left_staff = Staff.objects.filter(school__stichting=stichting, end_date__lt=cutoff)
        batches = [
            (DeletionLog.Rule.PUPIL_LEFT, "consent events", ConsentEvent, Q(pupil__in=left_pupils)),
            (
                DeletionLog.Rule.PUPIL_LEFT,
                "activity answers",
                ActivityAnswer,
                Q(pupil__in=left_pupils),
            ),
            (DeletionLog.Rule.STAFF_LEFT, "consent events", ConsentEvent, Q(staff__in=left_staff)),
        ]
        with transaction.atomic():
            for rule, record, model, condition in batches:
                rows = model.objects.filter(condition)
                count = rows.count()
                if not count:
                    continue
                # A withdrawal's takedown task goes with it (on_delete=CASCADE).
                purge_rows(model.objects.filter(condition))
                DeletionLog.objects.create(
                    stichting=stichting, rule=rule, record=record, count=count
                )
                deleted += count
    return deleted


# --- takedowns ------------------------------------------------------------------------------


def complete_takedown(task: TakedownTask, *, by: User) -> bool:
    """Mark a takedown task done; False when it was done already (a double click)."""
    if not _manages(by, task.school_id):
        raise ValidationError(
            _("Only the director or the board of this school completes takedowns.")
        )
    done = TakedownTask.objects.filter(pk=task.pk, done_at__isnull=True).update(
        done_at=timezone.now(), done_by=by
    )
    return bool(done)
