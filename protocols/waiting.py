"""What waits for a user in the protocol procedure: this app's items of "Wacht op jou"."""

from datetime import timedelta

from django.db.models import Count, F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from protocols import notices, workflow
from protocols.models import (
    Acknowledgement,
    ProcedureStep,
    ProtocolVersion,
    StepBody,
    StepKind,
)
from schools import access
from schools.models import Role
from schools.waiting import Item, Urgency

StepStatus = ProcedureStep.Status
Status = ProtocolVersion.Status


def items_for(user) -> list[Item]:
    """What waits for `user` in the procedure, in four queries however many there are.

    Every e-mail that asks someone to act has its item here: a step of one's body that is
    open, a term about to run out or run out, the board's decisions, the art. 32 clock,
    unanswered questions, an evaluation that is due, and reading to confirm.
    """
    if not user.is_authenticated:
        return []
    return _steps(user) + _questions(user) + _evaluations(user) + _acknowledgements(user)


def _term_urgency(due, today) -> Urgency:
    return Urgency.HIGH if due is not None and due <= today else Urgency.NORMAL


def _steps(user) -> list[Item]:
    """Steps of one's council or directors' meeting, terms of one's own proposals, and the
    board's part: the RvT's decision, the adoption, terms that ran out, the art. 32 clock."""
    today = timezone.localdate()
    near = today + timedelta(days=notices.TERM_REMINDER_DAYS)
    mine = access.reach(user)
    if not (mine.works_at_school or mine.council_seats):
        return []  # only staff propose, meet as directors or govern; only councils decide
    seats = {seat.council_id for seat in mine.council_seats}
    directed = set(mine.stichting_ids([Role.DIRECTOR]))
    governed = set(mine.stichting_ids([Role.BOARD]))
    open_step = Q(status=StepStatus.OPEN)
    steps = (
        ProcedureStep.objects.filter(version__status=Status.IN_PROCEDURE)
        .filter(
            (open_step & Q(body=StepBody.COUNCIL, council__in=seats))
            | (open_step & Q(body=StepBody.DIRECTORS, version__protocol__stichting__in=directed))
            | (open_step & Q(version__submitted_by=user, due_on__lte=near))
            | (
                Q(version__protocol__stichting__in=governed)
                & (
                    (open_step & Q(kind=StepKind.ADOPTION))
                    | (open_step & Q(body=StepBody.SUPERVISORY))
                    | (open_step & Q(due_on__lt=today))
                    | Q(status=StepStatus.WITHHELD)
                )
            )
        )
        .select_related("version__protocol", "council")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    tasks = []
    for step in steps:
        version = step.version
        is_seat = step.council_id in seats
        is_director = version.protocol.stichting_id in directed
        is_board = version.protocol.stichting_id in governed
        names = {"protocol": version.protocol.title, "number": version.number}
        url = version.get_absolute_url()
        if step.status == StepStatus.OPEN and step.body == StepBody.COUNCIL and is_seat:
            title = _("Decision of %(council)s on %(protocol)s version %(number)s")
            title = title % {**names, "council": step.council.name}
            tasks.append(Item(title, url, step.due_on, _term_urgency(step.due_on, today)))
        if step.status == StepStatus.OPEN and step.body == StepBody.DIRECTORS and is_director:
            title = _("Advice of the directors' meeting on %(protocol)s version %(number)s")
            tasks.append(Item(title % names, url, step.due_on, _term_urgency(step.due_on, today)))
        if is_board and step.status == StepStatus.OPEN and step.body == StepBody.SUPERVISORY:
            title = _(
                "Record the supervisory board's decision (or mark it not applicable) on "
                "%(protocol)s version %(number)s"
            )
            tasks.append(Item(title % names, url, step.due_on, _term_urgency(step.due_on, today)))
        if (
            is_board
            and step.status == StepStatus.OPEN
            and step.term_expired(today)
            and version.submitted_by_id != user.pk
            and step.body != StepBody.SUPERVISORY
        ):
            title = _(
                "Term of %(body)s ran out on %(date)s: extend it or withdraw "
                "%(protocol)s version %(number)s"
            )
            names_and_date = {**names, "body": step.body_label, "date": date_format(step.due_on)}
            tasks.append(Item(title % names_and_date, url, step.due_on, Urgency.HIGH))
        if (
            step.status == StepStatus.OPEN
            and version.submitted_by_id == user.pk
            and step.due_on is not None
            and step.due_on <= near
        ):
            if step.term_expired(today):
                title = _("Term of %(body)s ran out on %(date)s: %(protocol)s version %(number)s")
            else:
                title = _("Term of %(body)s ends on %(date)s: %(protocol)s version %(number)s")
            names_and_date = {**names, "body": step.body_label, "date": date_format(step.due_on)}
            tasks.append(Item(title % names_and_date, url, step.due_on, Urgency.HIGH))
        if is_board and step.status == StepStatus.OPEN and step.kind == StepKind.ADOPTION:
            title = _("Adopt %(protocol)s version %(number)s")
            tasks.append(Item(title % names, url, step.due_on))
        if is_board and step.status == StepStatus.WITHHELD:
            clock = workflow.consent_clock(step, today)
            if clock is None or clock["lapsed"]:
                continue
            if step.lcg_notified_on:
                if step.lcg_submitted_on:
                    continue
                title = _("Submit %(protocol)s version %(number)s to the LCG WMS by %(date)s")
                deadline = clock["submit_by"]
            else:
                title = _(
                    "Consent withheld for %(protocol)s version %(number)s: "
                    "withdraw or go to the LCG WMS by %(date)s"
                )
                deadline = clock["choose_by"]
            title = title % {**names, "date": date_format(deadline)}
            tasks.append(Item(title, url, deadline, Urgency.HIGH))
    return tasks


def _questions(user) -> list[Item]:
    """Council questions waiting for an answer, for those who may draft the protocol."""
    if not (user.is_superuser or access.school_ids(user, access.EDITING_ROLES)):
        return []  # only the board and directors draft (access.protocol_edit_filter)
    versions = (
        ProtocolVersion.objects.for_user(user, edit=True)
        .filter(status=Status.IN_PROCEDURE)
        .annotate(unanswered=Count("questions", filter=Q(questions__answer="")))
        .filter(unanswered__gt=0)
        .select_related("protocol")
    )
    return [
        Item(
            ngettext(
                "%(count)d unanswered question about %(protocol)s version %(number)s",
                "%(count)d unanswered questions about %(protocol)s version %(number)s",
                version.unanswered,
            )
            % {
                "count": version.unanswered,
                "protocol": version.protocol.title,
                "number": version.number,
            },
            version.get_absolute_url() + "#questions",
        )
        for version in versions
    ]


def _evaluations(user) -> list[Item]:
    """Adopted protocols whose evaluation is due within a month or overdue, for who answers
    for them: the board, and the director for a school's own protocol."""
    today = timezone.localdate()
    mine = access.reach(user)
    governed = mine.stichting_ids([Role.BOARD])
    directed = [m.school_id for m in mine.memberships if m.role == Role.DIRECTOR and m.school_id]
    if not (governed or directed):
        return []
    versions = (
        ProtocolVersion.objects.filter(
            status=Status.ADOPTED,
            evaluation_date__lte=today + timedelta(days=notices.EVALUATION_REMINDER_DAYS),
        )
        .filter(Q(protocol__stichting__in=governed) | Q(protocol__school__in=directed))
        .select_related("protocol")
        .order_by("evaluation_date", "pk")
    )
    items = []
    for version in versions:
        names = {
            "protocol": version.protocol.title,
            "number": version.number,
            "date": date_format(version.evaluation_date),
        }
        if version.evaluation_date < today:
            title = _("Evaluation of %(protocol)s version %(number)s was due on %(date)s")
            urgency = Urgency.HIGH
        else:
            title = _("Evaluate %(protocol)s version %(number)s by %(date)s")
            urgency = Urgency.NORMAL
        items.append(
            Item(title % names, version.get_absolute_url(), version.evaluation_date, urgency)
        )
    return items


def _acknowledgements(user) -> list[Item]:
    """Adopted versions that `user` has yet to confirm having read."""
    if not access.reach(user).staff_positions:
        return []  # only current staff are asked (acknowledgements.request)
    waiting = Acknowledgement.objects.filter(
        user=user, confirmed_at__isnull=True, version__status=Status.ADOPTED
    ).select_related("version__protocol", "school")
    tasks = []
    for acknowledgement in waiting:
        version = acknowledgement.version
        try:
            url = reverse("protocols:acknowledgement_confirm", args=[version.pk])
        except NoReverseMatch:  # the confirmation page is not installed (yet)
            url = version.get_absolute_url()
        title = _("Confirm you have read %(protocol)s version %(number)s (%(school)s)") % {
            "protocol": version.protocol.title,
            "number": version.number,
            "school": acknowledgement.school.name,
        }
        tasks.append(Item(title, url, urgency=Urgency.LOW))
    return tasks
