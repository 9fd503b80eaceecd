"""Own choices: a parent for each child, a pupil of 16+ and a staff member for themselves.

The ledger decides who may decide (`ledger.decision_for`); these pages show the same rule in
words, so a parent without gezag or of a child of 16+ sees why the choice is not theirs, and
a stale form that gets past the page is still refused by the ledger with its own message.
Only purposes answered differently from the user's own latest answer are recorded, so a
repeated POST records nothing new.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from consent import ledger, rules
from consent.forms.own import ChoicesForm
from consent.models import ActivityRequest, Capacity, ConsentEvent, Purpose
from consent.rules import State
from schools import access
from schools.models import Pupil, School, Staff

# The session key under which a save hands the recorded events to the page it redirects to.
SAVED = "consent_saved"
# Shown first: what still needs an answer (DOMAIN 19: unanswered counts as no).
ORDER = {State.UNANSWERED: 0, State.DISAGREEMENT: 1, State.NEE: 2, State.JA: 3}


@dataclass
class Row:
    """One purpose on a consent page, with its current text, state and the user's answer."""

    purpose: Purpose
    version: object
    state: State
    answer: bool | None
    field: object = None

    @property
    def unanswered_by_you(self) -> bool:
        return self.answer is None


@dataclass
class Subject:
    """Whose consent a section shows: a child, oneself as pupil 16+, or a staff position."""

    obj: Pupil | Staff
    title: str
    may_decide: bool
    reason: str = ""
    rows: list[Row] = field(default_factory=list)
    form: ChoicesForm | None = None

    @property
    def is_staff(self) -> bool:
        return isinstance(self.obj, Staff)

    @property
    def school(self) -> School:
        return self.obj.school

    @property
    def prefix(self) -> str:
        return f"{'staff' if self.is_staff else 'pupil'}-{self.obj.pk}"

    @property
    def disagreement(self) -> bool:
        return any(row.state is State.DISAGREEMENT for row in self.rows)

    @property
    def unanswered(self) -> int:
        return sum(1 for row in self.rows if row.state is State.UNANSWERED)


# --- who decides, in words ------------------------------------------------------------------


def _child_subject(pupil: Pupil, has_gezag: bool, today) -> Subject:
    if rules.pupil_decides(pupil.birth_date, today):
        reason = _("%(name)s is 16 or older and has decided personally since %(date)s.") % {
            "name": pupil.first_name,
            "date": _date(rules.sixteenth_birthday(pupil.birth_date)),
        }
        return Subject(pupil, pupil.full_name, may_decide=False, reason=reason)
    if not has_gezag:
        reason = _(
            "Without parental authority (gezag) over %(name)s you cannot give or refuse "
            "consent; the parents with gezag decide."
        ) % {"name": pupil.first_name}
        return Subject(pupil, pupil.full_name, may_decide=False, reason=reason)
    return Subject(pupil, pupil.full_name, may_decide=True)


def _own_pupil_subject(pupil: Pupil, today) -> Subject:
    title = _("You, as a pupil of %(school)s") % {"school": pupil.school.name}
    if rules.pupil_decides(pupil.birth_date, today):
        return Subject(pupil, title, may_decide=True)
    reason = _("Until your 16th birthday on %(date)s your parents decide.") % {
        "date": _date(rules.sixteenth_birthday(pupil.birth_date))
    }
    return Subject(pupil, title, may_decide=False, reason=reason)


def _staff_subject(position: Staff) -> Subject:
    title = _("You, as a staff member of %(school)s") % {"school": position.school.name}
    return Subject(position, title, may_decide=True)


def _date(day) -> str:
    return date_format(day, "j F Y")


# --- reading a subject's purposes, states and own answers -----------------------------------


def _purposes(user, subject: Subject) -> list[Purpose]:
    audience = Purpose.Audience.STAFF if subject.is_staff else Purpose.Audience.PUPILS
    return list(
        Purpose.objects.for_user(user)
        .for_school(subject.school, audience=audience)
        .select_related("section__version")
        .prefetch_related("versions")
    )


def _states(user, subject: Subject, purposes: list[Purpose], today) -> dict[int, State]:
    if subject.is_staff:
        staff = user.staff_positions.filter(pk=subject.obj.pk)
        states = ledger.states_for_staff(staff, purposes)
    else:
        pupils = Pupil.objects.for_user(user).filter(pk=subject.obj.pk)
        states = ledger.states_for_pupils(pupils, purposes, today)
    return {purpose_id: state for (_subject_id, purpose_id), state in states.items()}


def _own_answers(user, subject: Subject, purposes: list[Purpose]) -> dict[int, bool]:
    """`{purpose_id: choice}`: the user's own latest answer that still counts, per purpose."""
    events = ConsentEvent.objects.for_user(user).filter(purpose__in=[p.pk for p in purposes])
    if subject.is_staff:
        events = events.filter(staff=subject.obj)
    elif subject.obj.user_id == user.pk:
        events = events.filter(pupil=subject.obj, capacity=Capacity.PUPIL)
    else:
        events = events.filter(pupil=subject.obj, given_by=user).exclude(capacity=Capacity.PUPIL)
    # After a material change only answers to the new text count (DOMAIN 24).
    floors = {
        p.pk: max((v.number for v in p.versions.all() if v.material), default=0) for p in purposes
    }
    answers = {}
    rows = events.order_by("created_at", "pk").values_list(
        "purpose_id", "purpose_version__number", "choice"
    )
    for purpose_id, number, choice in rows:
        if number >= floors[purpose_id]:
            answers[purpose_id] = choice
    return answers


def _fill(request, subject: Subject, today, data=None) -> Subject:
    purposes = _purposes(request.user, subject)
    states = _states(request.user, subject, purposes, today)
    answers = _own_answers(request.user, subject, purposes)
    subject.form = ChoicesForm(data, items=purposes, answers=answers, prefix=subject.prefix)
    rows = [
        Row(
            purpose=p,
            version=list(p.versions.all())[-1] if p.versions.all() else None,
            state=states[p.pk],
            answer=answers.get(p.pk),
            field=subject.form.bound_field(p),
        )
        for p in purposes
    ]
    # Unanswered first, then what this user has not answered themselves (DOMAIN 19).
    subject.rows = sorted(
        rows, key=lambda r: (ORDER[r.state], r.answer is not None, r.purpose.order)
    )
    return subject


# --- the pages ------------------------------------------------------------------------------


def _lock(request, subjects: list[Subject]) -> None:
    # Two quick submits of one form wait for each other here, so the second one compares
    # with the answers the first recorded and records nothing twice.
    pupil_ids = [s.obj.pk for s in subjects if not s.is_staff]
    staff_ids = [s.obj.pk for s in subjects if s.is_staff]
    if pupil_ids:
        list(Pupil.objects.for_user(request.user).select_for_update().filter(pk__in=pupil_ids))
    if staff_ids:
        list(request.user.staff_positions.select_for_update().filter(pk__in=staff_ids))


def _record(request, subjects: list[Subject], today) -> list[ConsentEvent] | None:
    """Record every changed choice through the ledger, all or none; None when nothing changed.

    Side effects (the ledger's): events, takedown tasks, e-mail receipts after commit.
    """
    with transaction.atomic():
        _lock(request, subjects)
        for subject in subjects:
            _fill(request, subject, today, request.POST)
        if not all(subject.form.is_valid() for subject in subjects):
            raise ValidationError(_("Please check your choices below."))
        changes = [
            (subject, purpose, choice)
            for subject in subjects
            for purpose, choice in subject.form.changes()
        ]
        return [
            ledger.record_choice(
                subject=subject.obj, purpose=purpose, choice=choice, by=request.user, today=today
            )
            for subject, purpose, choice in changes
        ]


def _saved_events(request):
    """The events a save just recorded, once, on the page it redirected to."""
    saved = request.session.get(SAVED)
    if not saved or saved.get("path") != request.get_full_path():
        return []
    del request.session[SAVED]
    return list(
        ConsentEvent.objects.for_user(request.user)
        .filter(pk__in=saved["events"])
        .select_related("purpose", "pupil", "staff__school")
        .order_by("pk")
    )


def _consent_page(request, subjects: list[Subject], *, title: str, template: str, extra=None):
    today = timezone.localdate()
    if request.method == "POST":
        try:
            events = _record(request, subjects, today)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if events:
                request.session[SAVED] = {
                    "path": request.get_full_path(),
                    "events": [event.pk for event in events],
                }
            else:
                messages.info(request, _("Nothing changed: these choices were already recorded."))
            return redirect(request.get_full_path())
        # Keep what was chosen on screen next to the error.
        for subject in subjects:
            _fill(request, subject, today, request.POST)
    else:
        for subject in subjects:
            _fill(request, subject, today)
    context = {
        "title": title,
        "subjects": subjects,
        "may_decide": any(subject.may_decide for subject in subjects),
        "saved": _saved_events(request) if request.method == "GET" else [],
        **(extra or {}),
    }
    return render(request, template, context)


def child_consent(request, pk):
    """A parent's ja/nee per purpose for one child; read-only without gezag or from 16."""
    today = timezone.localdate()
    pupil = get_object_or_404(
        Pupil.objects.for_user(request.user)
        .filter(guardians__user=request.user)
        .select_related("school", "group"),
        pk=pk,
    )
    reach = access.reach(request.user)
    has_gezag = any(g.has_gezag for g in reach.guardianships if g.pupil_id == pupil.pk)
    subject = _child_subject(pupil, has_gezag, today)
    title = _("Consent for %(name)s") % {"name": pupil.first_name}
    return _consent_page(
        request,
        [subject],
        title=title,
        template="consent/consent_form.html",
        extra={"pupil": pupil},
    )


def own_consent(request):
    """One's own consent: as a pupil (decides from 16) and per school one works at.

    Someone who is both sees both; `?as=pupil` or `?as=staff` shows one of them.
    """
    today = timezone.localdate()
    reach = access.reach(request.user)
    shown = request.GET.get("as")
    subjects = []
    if reach.own_pupil is not None and shown != "staff":
        subjects.append(_own_pupil_subject(reach.own_pupil, today))
    if shown != "pupil":
        subjects += [_staff_subject(position) for position in reach.staff_positions]
    if not subjects:
        raise Http404("Nobody to decide for.")
    return _consent_page(
        request, subjects, title=_("Your consent"), template="consent/consent_form.html"
    )


# --- the overview ---------------------------------------------------------------------------


def _overview_cards(request, reach, children, today):
    """Children and oneself as pupil, with their state per purpose, in a fixed number of queries."""
    own = reach.own_pupil
    gezag = {g.pupil_id: g.has_gezag for g in reach.guardianships}
    cards = [
        (_child_subject(child, gezag.get(child.pk, False), today), child) for child in children
    ]
    if own is not None:
        cards.append((_own_pupil_subject(own, today), own))
    if not cards:
        return []
    pupils = [pupil for _subject, pupil in cards]
    purposes = ledger.purposes_at({p.school_id for p in pupils})
    states = ledger.states_for_pupils(
        Pupil.objects.for_user(request.user).filter(pk__in=[p.pk for p in pupils]),
        purposes,
        today,
    )
    for subject, pupil in cards:
        subject.rows = sorted(
            (
                Row(purpose, None, states[(pupil.pk, purpose.pk)], None)
                for purpose in purposes
                if ledger.applies(purpose, pupil.school_id, pupil.school.stichting_id)
            ),
            key=lambda r: (ORDER[r.state], r.purpose.order, r.purpose.name),
        )
    return [subject for subject, _pupil in cards]


def _staff_cards(request, reach):
    positions = reach.staff_positions
    if not positions:
        return []
    purposes = ledger.purposes_at({p.school_id for p in positions}, Purpose.Audience.STAFF)
    states = ledger.states_for_staff(
        request.user.staff_positions.filter(pk__in=[p.pk for p in positions]), purposes
    )
    cards = []
    for position in positions:
        subject = _staff_subject(position)
        subject.rows = sorted(
            (
                Row(purpose, None, states[(position.pk, purpose.pk)], None)
                for purpose in purposes
                if ledger.applies(purpose, position.school_id, position.school.stichting_id)
            ),
            key=lambda r: (ORDER[r.state], r.purpose.order, r.purpose.name),
        )
        cards.append(subject)
    return cards


def _open_activities(request, subjects: list[Subject], today) -> list[dict]:
    """Open activity requests asking a pupil this user decides for, with its state."""
    pupils = [s.obj for s in subjects if not s.is_staff and s.may_decide]
    if not pupils:
        return []
    ids = [p.pk for p in pupils]
    requests = list(
        ActivityRequest.objects.for_user(request.user)
        .open_on(today)
        .filter(Q(pupils__in=ids) | Q(groups__pupils__in=ids))
        .distinct()
        .prefetch_related(
            Prefetch("pupils", queryset=Pupil.objects.for_user(request.user).filter(pk__in=ids)),
            "groups",
        )
        .order_by("deadline", "pk")
    )
    if not requests:
        return []
    states = ledger.activity_states(pupils, requests, today)
    found = []
    for activity in requests:
        named = {p.pk for p in activity.pupils.all()}
        groups = {g.pk for g in activity.groups.all()}
        for pupil in pupils:
            asked = pupil.pk in named or pupil.group_id in groups
            if asked and pupil.school_id == activity.school_id:
                found.append(
                    {
                        "request": activity,
                        "pupil": pupil,
                        "is_self": pupil.user_id == request.user.pk,
                        "state": states[(pupil.pk, activity.pk)],
                    }
                )
    return found


def overview(request):
    """Everyone this user decides consent for, unanswered purposes first, and open requests."""
    today = timezone.localdate()
    reach = access.reach(request.user)
    children = list(
        Pupil.objects.for_user(request.user)
        .filter(guardians__user=request.user)
        .enrolled_on(today)
        .select_related("school", "group")
        .order_by("first_name", "pk")
    )
    pupil_cards = _overview_cards(request, reach, children, today)
    staff_cards = _staff_cards(request, reach)
    schools = list(School.objects.for_user(request.user).order_by("name"))
    managed = set(
        School.objects.for_user(request.user, access.MANAGING_ROLES).values_list("pk", flat=True)
    )
    if not (pupil_cards or staff_cards or schools):
        raise Http404("Nobody to decide for.")
    cards = pupil_cards + staff_cards
    context = {
        "cards": cards,
        "todo": [card for card in cards if card.may_decide and card.unanswered],
        "activities": _open_activities(request, pupil_cards, today),
        "schools": [(school, school.pk in managed) for school in schools],
        "manages_purposes": bool(managed),
    }
    return render(request, "consent/overview.html", context)
