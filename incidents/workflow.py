"""Every change to an incident goes through this module, one transaction per function.

The rules come from `incidents/rules.py`, who may do what from `incidents/access.py`. Each
function checks permission, validates, writes, keeps the legal-duties checklist in step with
the facts (`_refresh_duties`) and, after commit, sends its notices through `schools.notices`.
Refusals are `ValidationError`s with a message for the person who asked.

The status moves: new → in handling (the first handling action) → waiting for the checklist
(`finish_handling`) → closed (`close`, refused while a required duty is open). The portal
stores no intimate images of minors: for image-abuse categories attachments are refused and
the case holds a description, platform, account or link and the time seen instead.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents import access, rules
from incidents.models import (
    Attachment,
    Category,
    DutyCheck,
    Entry,
    ExpulsionStep,
    Incident,
    Involvement,
    Measure,
    ReadLog,
    Takedown,
    Task,
)
from protocols.models import Section
from schools.models import Pupil, School, Staff, Stichting, User
from schools.notices import send, send_all

Status = Incident.Status
Kind = Measure.Kind
Duty = DutyCheck.Duty
DutyState = DutyCheck.State

# --- the default catalogue --------------------------------------------------------------------

# The categories of the source protocols (seeds README), with the definition a reporter sees.
# Data, not an enum: a stichting edits them and adds its own. Definitions are Dutch, like the
# protocols they come from.
DEFAULT_CATEGORIES = [
    {
        "code": "cyberpesten",
        "name": "Cyberpesten",
        "definition": ("Iemand herhaaldelijk online pesten, buitensluiten of belachelijk maken."),
    },
    {
        "code": "kwetsen",
        "name": "Kwetsen",
        "definition": ("Iets online zetten of sturen dat een ander bewust pijn doet."),
    },
    {
        "code": "stalken",
        "name": "Stalken",
        "definition": (
            "Iemand online steeds volgen, lastigvallen of in de gaten houden tegen diens wil."
        ),
    },
    {
        "code": "bedreigen",
        "name": "Bedreigen",
        "definition": (
            "Iemand online bang maken met geweld, het openbaar maken van iets of andere schade."
        ),
    },
    {
        "code": "uitschelden",
        "name": "Uitschelden",
        "definition": ("Iemand online met scheldwoorden aanspreken of beschrijven."),
    },
    {
        "code": "zwartmaken",
        "name": "Zwartmaken",
        "definition": ("Leugens of roddels over iemand verspreiden om diens naam te beschadigen."),
    },
    {
        "code": "intieme-beelden",
        "name": "Belastende of intieme beelden (sexting, sextortion)",
        "definition": (
            "Naakt- of seksueel getinte beelden van iemand delen, doorsturen of ermee "
            "chanteren. Stuur of upload de beelden nooit: beschrijf wat je zag, waar en "
            "wanneer."
        ),
        "is_image_abuse": True,
        "is_sexual_misconduct": True,
    },
    {
        "code": "hacken",
        "name": "Hacken of accountovername",
        "definition": ("Inbreken in of overnemen van het account of apparaat van een ander."),
    },
    {
        "code": "nepaccount",
        "name": "Nepaccount",
        "definition": ("Een account aanmaken of gebruiken op naam of met foto's van een ander."),
    },
    {
        "code": "opnames",
        "name": "Opnames zonder toestemming",
        "definition": (
            "Foto's, video's of geluid van iemand maken of delen zonder diens toestemming."
        ),
    },
    {
        "code": "deepfake",
        "name": "AI-gemaakte beelden (deepfake)",
        "definition": (
            "Met AI nagemaakte of bewerkte beelden of stemmen van een echt persoon. Stuur of "
            "upload de beelden nooit: beschrijf wat je zag, waar en wanneer."
        ),
        "is_image_abuse": True,
    },
    {
        "code": "discriminatie",
        "name": "Discriminatie",
        "definition": (
            "Iemand online anders behandelen of kwetsen om afkomst, geloof, geslacht, "
            "seksuele voorkeur, een beperking of een ander kenmerk."
        ),
    },
    {
        "code": "radicalisering",
        "name": "Radicalisering",
        "definition": ("Extremistische ideeën verspreiden of anderen daarvoor werven."),
    },
    {
        "code": "grensoverschrijdend",
        "name": "Seksueel grensoverschrijdend gedrag",
        "definition": (
            "Seksuele opmerkingen, berichten, aanrakingen of verzoeken die over een grens "
            "gaan. Gaat het om een medewerker, dan gaat je melding direct naar het bestuur."
        ),
        "is_sexual_misconduct": True,
    },
    {
        "code": "telefoon-in-de-les",
        "name": "Telefoongebruik in de les",
        "definition": (
            "De telefoon gebruiken in de les of op school zonder toestemming van de leerkracht."
        ),
        "is_phone_use": True,
    },
]


def ensure_default_categories(stichting: Stichting) -> list[Category]:
    """Give `stichting` the default categories it does not have yet (by code); returns all."""
    have = set(stichting.incident_categories.values_list("code", flat=True))
    Category.objects.bulk_create(
        Category(stichting=stichting, position=position, **fields)
        for position, fields in enumerate(DEFAULT_CATEGORIES, start=1)
        if fields["code"] not in have
    )
    return list(stichting.incident_categories.all())


# --- helpers ----------------------------------------------------------------------------------


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().select_related("school").get(pk=incident.pk)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise ValidationError(message, code="not_allowed")


def _require_handler(user: User, incident: Incident) -> None:
    _require(access.may_handle(user, incident), _("You do not handle this incident."))


def _require_open(incident: Incident) -> None:
    if incident.is_closed:
        raise ValidationError(_("This incident is closed."), code="closed")


def _no_images(**texts: str) -> None:
    """The guardrail: no text field of a case may carry an image (DOMAIN 61, image abuse)."""
    for name, text in texts.items():
        if rules.contains_image(text):
            raise ValidationError(
                {name: _("Do not paste images here. Describe what you saw instead.")},
                code="image",
            )


def _start_handling(incident: Incident) -> None:
    if incident.status == Status.NEW:
        incident.status = Status.IN_HANDLING
        incident.save(update_fields=["status"])


def _image_abuse(incident: Incident) -> bool:
    return incident.categories.filter(is_image_abuse=True).exists()


def _facts(incident: Incident) -> rules.CaseFacts:
    involved = [
        rules.Involved(role, kind)
        for role, kind in incident.involvements.values_list("role", "kind")
    ]
    sexual = incident.categories.filter(is_sexual_misconduct=True).exists()
    measures = [
        rules.MeasureFacts(
            kind=m.kind,
            audience=m.audience,
            school_days=rules.school_days(m.starts_on, m.ends_on) if m.ends_on else 1,
            ladder_step=m.ladder_step,
        )
        for m in incident.measures.all()
    ]
    return rules.CaseFacts(rules.sexual_misconduct_by_staff(sexual, involved), involved, measures)


def _refresh_duties(incident: Incident) -> None:
    """Keep one checklist row per duty, with `required` as the rules say for the facts now."""
    required = rules.required_duties(_facts(incident))
    have = {check.duty: check for check in incident.duties.all()}
    for duty in Duty:
        check = have.get(duty) or DutyCheck(incident=incident, duty=duty)
        because = required.get(duty, "")
        if check.pk is None or (check.required, check.required_because) != (bool(because), because):
            check.required, check.required_because = bool(because), because[:300]
            check.save()


def _handlers(incident: Incident) -> list[User]:
    return list(incident.routed_to.filter(is_active=True).order_by("pk"))


def _notify_routed(incident: Incident, users: list[User]) -> None:
    context = {
        "number": incident.pk,
        "school": incident.school.name,
        "to_board": incident.to_board,
        "unverified": incident.unverified,
        "url": incident.get_absolute_url(),
    }
    pk = incident.pk
    transaction.on_commit(
        lambda: send_all(
            f"incidents:routed:{pk}",
            users,
            "emails/incidents/incident_routed_subject.txt",
            "emails/incidents/incident_routed.txt",
            context,
        ),
        robust=True,
    )


def _suspected_users(incident: Incident) -> set[int]:
    return set(
        incident.involvements.filter(
            role=Involvement.Role.SUSPECT, staff__isnull=False
        ).values_list("staff__user_id", flat=True)
    )


def _route_to(incident: Incident, users: list[User], reason: str) -> None:
    suspected = _suspected_users(incident)
    users = [u for u in users if u.pk not in suspected]
    incident.routed_to.set(users)
    incident.routing_reason = reason
    incident.save(update_fields=["routing_reason", "to_board"])
    _notify_routed(incident, users)


def _who_for(route: rules.Route, school: School) -> list[User]:
    if route.to_board:
        return access.board_members(school)
    users = access.school_handlers(school, route.roles)
    return (
        users
        or access.school_handlers(school, rules.FALLBACK_ROLES)
        or access.board_members(school)
    )


# --- reporting ----------------------------------------------------------------------------


@transaction.atomic
def report(
    *,
    school: School,
    by: User | None,
    occurred_at: datetime,
    place: str,
    categories: list[Category],
    description: str,
    involved: list[dict] = (),
    platform: str = "",
    platform_other: str = "",
    rule_broken: Section | None = None,
    hide_reporter_name: bool = False,
    to_confidant: bool = False,
    account_or_link: str = "",
    seen_at: datetime | None = None,
    contact_address: str = "",
) -> Incident:
    """File a report at `school` and route it.

    `by` is the staff member, parent or pupil reporting (their kind follows from who they are
    at the school), or None for the public report page: then the report is anonymous and
    unverified and goes to the anti-bullying coordinator. `involved` is a list of dicts with
    `role`, `kind` and `pupil`, `staff` or `description`. `to_confidant`: the reporter wants
    the confidential counsellor. Possible sexual misconduct by a staff member goes straight to
    the board. Side effects: the checklist is created; after commit, those it is routed to are
    mailed (without details).
    """
    if by is None:
        kind, unverified = Incident.ReporterKind.PUBLIC, True
        hide_reporter_name = True
    else:
        kind, unverified = access.reporter_kind(by, school), False
        _require(kind is not None, _("You cannot report an incident at this school."))
        contact_address = ""
    if not categories:
        raise ValidationError({"categories": _("Choose at least one category.")})
    if any(c.stichting_id != school.stichting_id or not c.is_active for c in categories):
        raise ValidationError({"categories": _("Choose categories of this school.")})
    if rule_broken is not None and not _rule_applies(rule_broken, school):
        raise ValidationError({"rule_broken": _("Choose a rule of this school's protocol.")})
    if occurred_at > timezone.now():
        raise ValidationError({"occurred_at": _("An incident cannot have happened in the future.")})
    _no_images(description=description, account_or_link=account_or_link)
    incident = Incident(
        school=school,
        reported_by=by,
        reporter_kind=kind,
        hide_reporter_name=hide_reporter_name,
        occurred_at=occurred_at,
        place=place,
        platform=platform,
        platform_other=platform_other if platform == Incident.Platform.OTHER else "",
        description=description.strip(),
        account_or_link=account_or_link.strip(),
        seen_at=seen_at,
        rule_broken=rule_broken,
        unverified=unverified,
        contact_address=contact_address,
    )
    incident.full_clean()
    incident.save()
    incident.categories.set(categories)
    for person in involved:
        _add_involvement(incident, person)
    facts = _facts(incident)
    route = rules.route(
        sexual_category=any(c.is_sexual_misconduct for c in categories),
        involved=facts.involved,
        to_confidant=to_confidant,
        unverified=unverified,
    )
    incident.to_board = route.to_board
    _route_to(incident, _who_for(route, school), route.reason)
    _refresh_duties(incident)
    return incident


def _rule_applies(section: Section, school: School) -> bool:
    from protocols.models import ProtocolVersion

    return (
        ProtocolVersion.objects.applying_to(school)
        .filter(status=ProtocolVersion.Status.ADOPTED, pk=section.version_id)
        .exists()
    )


def _add_involvement(incident: Incident, person: dict) -> Involvement:
    description = person.get("description", "")
    _no_images(description=description)
    involvement = Involvement(
        incident=incident,
        role=person["role"],
        kind=person["kind"],
        pupil=person.get("pupil"),
        staff=person.get("staff"),
        description=description,
    )
    involvement.full_clean()
    involvement.save()
    return involvement


@transaction.atomic
def add_involvement(incident: Incident, *, by: User, person: dict) -> Involvement:
    """Add someone to a case (as in `report`); routing stays, the checklist follows."""
    incident = _locked(incident)
    _require_handler(by, incident)
    _require_open(incident)
    involvement = _add_involvement(incident, person)
    _start_handling(incident)
    _refresh_duties(incident)
    return involvement


@transaction.atomic
def route(incident: Incident, *, by: User, to: list[User]) -> None:
    """Route a case by hand to `to` (who then handle it); a board case stays with the board.

    Side effect: after commit, the new handlers are mailed.
    """
    incident = _locked(incident)
    _require(access.may_handle(by, incident), _("You cannot route this incident."))
    _require_open(incident)
    if not to:
        raise ValidationError(_("Choose at least one person to handle the incident."))
    if incident.to_board:
        board = {u.pk for u in access.board_members(incident.school)}
        _require(
            all(u.pk in board for u in to),
            _("A report about a staff member's possible sexual misconduct stays with the board."),
        )
    else:
        allowed = {u.pk for u in access.school_handlers(incident.school, access.HANDLING_ROLES)}
        _require(all(u.pk in allowed for u in to), _("Choose handlers of this school."))
    suspected = _suspected_users(incident)
    _require(not any(u.pk in suspected for u in to), _("A suspect cannot handle the incident."))
    new = [u for u in to if not incident.routed_to.filter(pk=u.pk).exists()]
    incident.routed_to.add(*to)
    incident.routing_reason = Incident.Routing.MANUAL
    incident.save(update_fields=["routing_reason"])
    if new:
        _notify_routed(incident, new)


# --- handling -------------------------------------------------------------------------------


@transaction.atomic
def add_entry(
    incident: Incident,
    *,
    by: User,
    text: str,
    kind: str = Entry.Kind.NOTE,
    at: datetime | None = None,
) -> Entry:
    """Add a note or a conversation to the chronology."""
    incident = _locked(incident)
    _require_handler(by, incident)
    _require_open(incident)
    _no_images(text=text)
    entry = Entry(
        incident=incident, kind=kind, text=text.strip(), author=by, at=at or timezone.now()
    )
    entry.full_clean()
    entry.save()
    _start_handling(incident)
    return entry


@transaction.atomic
def add_task(
    incident: Incident, *, by: User, title: str, owner: User, due_on: date | None = None
) -> Task:
    """Give `owner` (a handler of the case) a task; after commit the owner is mailed."""
    incident = _locked(incident)
    _require_handler(by, incident)
    _require_open(incident)
    _require(access.may_handle(owner, incident), _("The owner must handle this incident too."))
    task = Task(incident=incident, title=title.strip(), owner=owner, due_on=due_on, created_by=by)
    task.full_clean()
    task.save()
    _start_handling(incident)
    if owner.pk != by.pk:
        context = {"task": task, "number": incident.pk, "url": incident.get_absolute_url()}
        transaction.on_commit(
            lambda: send(
                f"incidents:task:{task.pk}",
                owner,
                "emails/incidents/task_assigned_subject.txt",
                "emails/incidents/task_assigned.txt",
                context,
            ),
            robust=True,
        )
    return task


@transaction.atomic
def complete_task(task: Task, *, by: User) -> Task:
    """Mark a task done (its owner or a handler)."""
    task = Task.objects.select_for_update().select_related("incident__school").get(pk=task.pk)
    _require(
        task.owner_id == by.pk or access.may_handle(by, task.incident),
        _("This is not your task."),
    )
    if task.done_at is None:
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
    return task


def phone_ladder(pupil: Pupil, day: date, *, exclude: Measure | None = None) -> rules.PhoneStep:
    """The ladder's step for `pupil`'s phone taken on `day`, from this school year's earlier."""
    earlier = Measure.objects.filter(
        pupil=pupil,
        kind=Kind.PHONE,
        starts_on__gte=rules.school_year_start(day),
        starts_on__lte=day,
    )
    if exclude is not None:
        earlier = earlier.exclude(pk=exclude.pk)
    return rules.phone_step(earlier.count(), day)


@transaction.atomic
def add_measure(
    incident: Incident,
    *,
    by: User,
    kind: str,
    starts_on: date,
    ends_on: date | None = None,
    pupil: Pupil | None = None,
    staff: Staff | None = None,
    letter_reasons: str = "",
    letter_objection: str = "",
    note: str = "",
) -> Measure:
    """Record a measure for a pupil of the case, or refer a staff member to the board.

    A phone follows the ladder (the step is computed; the first time it is returned the same
    day; the third time only the directie decides). A schorsing lasts at most five school days
    and needs the letter's reasons and objection route; longer than one day makes the
    Inspectie duty required. Staff measures themselves are HR's (DOMAIN 45), not recorded here.
    """
    incident = _locked(incident)
    _require_handler(by, incident)
    _require_open(incident)
    _no_images(letter_reasons=letter_reasons, letter_objection=letter_objection, note=note)
    involved = incident.involvements
    if kind == Kind.BOARD_REFERRAL:
        audience = Measure.Audience.STAFF
        if staff is None or not involved.filter(staff=staff).exists():
            raise ValidationError({"staff": _("Choose a staff member involved in this incident.")})
        pupil = None
    else:
        audience = Measure.Audience.PUPIL
        if pupil is None or not involved.filter(pupil=pupil).exists():
            raise ValidationError({"pupil": _("Choose a pupil involved in this incident.")})
        staff = None
    measure = Measure(
        incident=incident,
        audience=audience,
        kind=kind,
        pupil=pupil,
        staff=staff,
        starts_on=starts_on,
        ends_on=ends_on,
        letter_reasons=letter_reasons.strip(),
        letter_objection=letter_objection.strip(),
        note=note.strip(),
        decided_by=by,
    )
    if kind == Kind.PHONE:
        step = phone_ladder(pupil, starts_on)
        measure.ladder_step = step.number
        if step.directie_decides:
            _require(
                access.is_director(by, incident.school),
                _("From the third time this school year, the directie decides."),
            )
        if step.ends_on is not None:
            measure.ends_on = step.ends_on
        elif ends_on is None:
            raise ValidationError({"ends_on": _("Say until when the phone is kept.")})
    if kind == Kind.SUSPENSION:
        problems = rules.suspension_problems(starts_on, ends_on)
        if problems:
            raise ValidationError({"ends_on": [str(p) for p in problems]})
        if not measure.letter_reasons or not measure.letter_objection:
            raise ValidationError(
                _("The letter to the parents needs the reasons and how to object.")
            )
    if measure.ends_on and measure.ends_on < starts_on:
        raise ValidationError({"ends_on": _("A measure cannot end before it starts.")})
    measure.full_clean()
    measure.save()
    _start_handling(incident)
    _refresh_duties(incident)
    return measure


@transaction.atomic
def return_phone(
    measure: Measure, *, by: User, returned_to: str, at: datetime | None = None
) -> Measure:
    """Record that a phone in custody was given back, and to whom (DOMAIN 44)."""
    measure = (
        Measure.objects.select_for_update().select_related("incident__school").get(pk=measure.pk)
    )
    _require(measure.kind == Kind.PHONE, _("Only a phone is returned."))
    _require(
        measure.decided_by_id == by.pk or access.may_handle(by, measure.incident),
        _("You do not handle this incident."),
    )
    if measure.returned_at is not None:
        raise ValidationError(_("This phone was returned already."))
    if not returned_to.strip():
        raise ValidationError({"returned_to": _("Say to whom the phone was returned.")})
    measure.returned_at = at or timezone.now()
    measure.returned_to = returned_to.strip()
    measure.save(update_fields=["returned_at", "returned_to"])
    return measure


@transaction.atomic
def record_expulsion_step(
    measure: Measure, *, by: User, step: str, on: date, note: str = ""
) -> ExpulsionStep:
    """Record a dated step of an expulsion (DOMAIN 42); the decision only after both hearings."""
    measure = Measure.objects.select_related("incident__school").get(pk=measure.pk)
    _require(measure.kind == Kind.EXPULSION, _("This measure is not an expulsion."))
    _require_handler(by, measure.incident)
    _require_open(measure.incident)
    _no_images(note=note)
    if step == ExpulsionStep.Step.DECISION_SENT:
        done = list(measure.expulsion_steps.values_list("step", "on"))
        if not rules.expulsion_state(done, on).may_decide:
            raise ValidationError(
                _("First hear the teachers and give the parents the chance to be heard.")
            )
    row = ExpulsionStep(measure=measure, step=step, on=on, note=note.strip(), recorded_by=by)
    row.full_clean()
    row.save()
    return row


def expulsion_state(measure: Measure, today: date) -> rules.ExpulsionState:
    """Where an expulsion stands on `today` (see `rules.expulsion_state`)."""
    return rules.expulsion_state(list(measure.expulsion_steps.values_list("step", "on")), today)


@transaction.atomic
def set_duty(
    incident: Incident,
    *,
    by: User,
    duty: str,
    state: str,
    done_on: date | None = None,
    reference: str = "",
    reason: str = "",
) -> DutyCheck:
    """Mark a duty done (with its date), not applicable (with a reason) or open again."""
    incident = _locked(incident)
    _require_handler(by, incident)
    _require_open(incident)
    _no_images(reference=reference, reason=reason)
    check = DutyCheck.objects.select_for_update().get(incident=incident, duty=duty)
    if state == DutyState.DONE:
        if done_on is None:
            raise ValidationError({"done_on": _("Give the date it was done.")})
        if done_on > timezone.localdate():
            raise ValidationError({"done_on": _("This date lies in the future.")})
        reason = ""
    elif state == DutyState.NOT_APPLICABLE:
        if not reason.strip():
            raise ValidationError({"reason": _("Say why this does not apply.")})
        done_on = None
    else:
        done_on, reference, reason = None, "", ""
    check.state, check.done_on = state, done_on
    check.reference, check.reason = reference.strip(), reason.strip()
    check.recorded_by, check.recorded_at = by, timezone.now()
    check.save()
    _start_handling(incident)
    return check


def closing_problems(incident: Incident) -> list[str]:
    """Why `incident` may not close yet, as sentences; empty when it may."""
    checks = [rules.DutyFacts(c.duty, c.state, c.reason) for c in incident.duties.all()]
    required = {c.duty for c in incident.duties.all() if c.required}
    phones = incident.measures.phones_in_custody().count()
    labels = dict(Duty.choices)
    problems = []
    for problem in rules.closing_problems(checks, required, phones):
        if problem == "phone_kept":
            problems.append(_("A phone is still in custody."))
        else:
            problems.append(_("Still open: %(duty)s.") % {"duty": labels[problem]})
    return problems


@transaction.atomic
def finish_handling(incident: Incident, *, by: User) -> Incident:
    """The handling is done; what is left is the checklist before the directie closes."""
    incident = _locked(incident)
    _require_handler(by, incident)
    _require(
        incident.status in {Status.NEW, Status.IN_HANDLING},
        _("This incident is not in handling."),
    )
    incident.status = Status.WAITING_FOR_CHECKLIST
    incident.save(update_fields=["status"])
    return incident


@transaction.atomic
def close(incident: Incident, *, by: User, evaluation: str = "") -> Incident:
    """Close the case (the directie, or the board for a board case), with a short evaluation.

    Refused while a required duty is neither done nor n.v.t. with a reason, or a phone is kept.
    """
    incident = _locked(incident)
    _require(access.manages(by, incident), _("Only the directie closes an incident."))
    _require_open(incident)
    _refresh_duties(incident)
    problems = closing_problems(incident)
    if problems:
        raise ValidationError(problems, code="checklist")
    _no_images(evaluation=evaluation)
    incident.status = Status.CLOSED
    incident.closed_at, incident.closed_by = timezone.now(), by
    incident.evaluation = evaluation.strip()
    incident.save(update_fields=["status", "closed_at", "closed_by", "evaluation"])
    return incident


@transaction.atomic
def set_legal_hold(incident: Incident, *, by: User, hold: bool, reason: str = "") -> Incident:
    """Suspend (or lift) retention for a case under investigation or in a dispute (DOMAIN 50-51)."""
    incident = _locked(incident)
    _require(access.manages(by, incident), _("Only the directie sets a legal hold."))
    if hold and not reason.strip():
        raise ValidationError({"reason": _("Say why the incident must be kept.")})
    incident.legal_hold = hold
    incident.legal_hold_reason = reason.strip() if hold else ""
    incident.legal_hold_by, incident.legal_hold_at = by, timezone.now()
    incident.save(
        update_fields=["legal_hold", "legal_hold_reason", "legal_hold_by", "legal_hold_at"]
    )
    return incident


# --- evidence and takedowns -----------------------------------------------------------------


def attachments_allowed(incident: Incident) -> bool:
    """False for image-abuse cases: the portal never stores intimate images of minors."""
    return not _image_abuse(incident)


@transaction.atomic
def add_attachment(incident: Incident, *, by: User, upload, description: str = "") -> Attachment:
    """Store evidence privately after checking it: refused for image-abuse cases; only PNG,
    JPEG, PDF or plain text, judged from the content; at most `rules.MAX_ATTACHMENT_BYTES`."""
    incident = _locked(incident)
    _require_handler(by, incident)
    _require_open(incident)
    if not attachments_allowed(incident):
        raise ValidationError(
            _(
                "No files can be added to a report of intimate or compromising images: the "
                "portal never stores such images. Describe what you saw, where and when."
            ),
            code="image_abuse",
        )
    _no_images(description=description)
    size = upload.size
    if size > rules.MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("This file is too large (at most 10 MB)."), code="too_large")
    upload.seek(0)
    content = upload.read()
    content_type = rules.sniff_content_type(content[:2048])
    if content_type is None:
        raise ValidationError(
            _("Only PNG, JPEG, PDF or plain text files can be added."), code="file_type"
        )
    attachment = Attachment(
        incident=incident,
        original_name=(getattr(upload, "name", "") or "bestand")[-255:],
        content_type=content_type,
        size=len(content),
        description=description.strip(),
        uploaded_by=by,
    )
    attachment.file.save(
        "upload" + rules.EXTENSIONS[content_type], ContentFile(content), save=False
    )
    # The file is written last, after every check; a failed save must not leave it behind.
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    _start_handling(incident)
    return attachment


@transaction.atomic
def add_takedown(
    incident: Incident,
    *,
    by: User,
    route: str,
    requested_on: date,
    platform: str = "",
    reference: str = "",
    note: str = "",
) -> Takedown:
    """Track a request to take content down (the platform, Helpwanted.nl, Take It Down)."""
    incident = _locked(incident)
    _require_handler(by, incident)
    _require_open(incident)
    _no_images(reference=reference, note=note)
    takedown = Takedown(
        incident=incident,
        route=route,
        platform=platform,
        reference=reference.strip(),
        requested_on=requested_on,
        note=note.strip(),
        created_by=by,
    )
    takedown.full_clean()
    takedown.save()
    _start_handling(incident)
    return takedown


@transaction.atomic
def update_takedown(
    takedown: Takedown,
    *,
    by: User,
    status: str,
    resolved_on: date | None = None,
    reference: str | None = None,
    note: str | None = None,
) -> Takedown:
    """Record how a takedown request went; removed or refused needs the date it was settled."""
    takedown = (
        Takedown.objects.select_for_update().select_related("incident__school").get(pk=takedown.pk)
    )
    _require_handler(by, takedown.incident)
    _require_open(takedown.incident)
    settled = {Takedown.Status.REMOVED, Takedown.Status.REFUSED}
    if status in settled and resolved_on is None:
        raise ValidationError({"resolved_on": _("Give the date it was settled.")})
    takedown.status = status
    takedown.resolved_on = resolved_on if status in settled else None
    if reference is not None:
        _no_images(reference=reference)
        takedown.reference = reference.strip()
    if note is not None:
        _no_images(note=note)
        takedown.note = note.strip()
    takedown.full_clean()
    takedown.save()
    return takedown


# --- reading --------------------------------------------------------------------------------


def log_read(incident: Incident, user: User) -> ReadLog:
    """Record that `user` opened `incident` (the view calls it after the access check)."""
    return ReadLog.objects.create(incident=incident, user=user)


def read_log(incident: Incident, *, by: User):
    """Who opened `incident` when: for the directie (or the board for a board case) only."""
    _require(access.manages(by, incident), _("Only the directie sees who read an incident."))
    return incident.reads.select_related("user")


# --- retention (DOMAIN D), used by the daily job --------------------------------------------


def anonymise(incident: Incident) -> int:
    """Remove every name and free text from a closed case, keep what the figures count.

    Returns the number of files removed. Categories, place, platform, dates, the roles and
    kinds of those involved, the kinds of measures and the duties' states stay.
    """
    files = 0
    for attachment in incident.attachments.all():
        attachment.file.delete(save=False)
        files += 1
    incident.attachments.all().delete()
    incident.entries.all().delete()
    incident.tasks.all().delete()
    incident.involvements.update(pupil=None, staff=None, description="")
    ExpulsionStep.objects.filter(measure__incident=incident).update(note="")
    incident.measures.update(
        pupil=None,
        staff=None,
        returned_to="",
        letter_reasons="",
        letter_objection="",
        note="",
        decided_by=None,
    )
    incident.duties.update(reference="", reason="", recorded_by=None)
    incident.takedowns.update(reference="", note="", created_by=None)
    incident.routed_to.clear()
    Incident.objects.filter(pk=incident.pk).update(
        reported_by=None,
        description="",
        account_or_link="",
        platform_other="",
        contact_address="",
        rule_broken=None,
        evaluation="",
        legal_hold_reason="",
        closed_by=None,
        legal_hold_by=None,
        anonymised_at=timezone.now(),
    )
    return files


def delete(incidents) -> tuple[int, int]:
    """Delete cases with everything that hangs from them; returns (cases, files removed)."""
    files = 0
    for attachment in Attachment.objects.filter(incident__in=incidents):
        attachment.file.delete(save=False)
        files += 1
    count = Incident.objects.filter(pk__in=[i.pk for i in incidents]).count()
    Incident.objects.filter(pk__in=[i.pk for i in incidents]).delete()
    return count, files


def expired(stichting: Stichting, today: date, months: int):
    """Closed cases of `stichting` closed `months` or more months before `today`, not on hold."""
    cutoff = rules.retention_cutoff(today, months)
    return Incident.objects.filter(
        Q(school__stichting=stichting),
        status=Status.CLOSED,
        legal_hold=False,
        closed_at__date__lte=cutoff,
    )
