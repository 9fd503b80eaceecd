"""Who is told what about the approval procedure, by e-mail, and the daily reminders.

Sending is `schools.notices`': once per key (so a job run twice sends nothing twice), in the
portal's language, with absolute links. This module decides who hears what, and when.
"""

from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from protocols import wms
from protocols.models import ProcedureStep, ProtocolVersion, Question, ReadingLink, StepBody
from schools import access
from schools.models import CouncilMember, Membership, Notice, Role, User
from schools.notices import absolute, send
from schools.notices import send_all as _send_all

# How long before a deadline the reminders go out.
TERM_REMINDER_DAYS = 7
EVALUATION_REMINDER_DAYS = 30
# Missing a WMS art. 32 deadline makes the proposal lapse, so the board hears of it earlier.
WMS32_REMINDER_DAYS = 14

StepStatus = ProcedureStep.Status
Status = ProtocolVersion.Status


# --- who ----------------------------------------------------------------------------------


def _active_users() -> QuerySet:
    return User.objects.filter(is_active=True).order_by("pk")


def council_members(council_id: int, today: date) -> QuerySet:
    """The current members of a council."""
    seats = CouncilMember.objects.filter(council=council_id).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=today)
    )
    return _active_users().filter(pk__in=seats.values("user"))


def board_members(stichting_id: int) -> QuerySet:
    grants = Membership.objects.filter(role=Role.BOARD, stichting=stichting_id)
    return _active_users().filter(pk__in=grants.values("user"))


def directors(stichting_id: int) -> QuerySet:
    """The directors of the stichting's schools (the directeurenoverleg)."""
    grants = Membership.objects.filter(role=Role.DIRECTOR, stichting=stichting_id)
    return _active_users().filter(pk__in=grants.values("user"))


def drafters(version: ProtocolVersion) -> QuerySet:
    """Who may write this protocol's drafts: the board and the directors concerned."""
    protocol = version.protocol
    grants = Membership.objects.filter(
        role__in=access.EDITING_ROLES, stichting=protocol.stichting_id
    )
    if protocol.school_id:
        grants = grants.filter(Q(school=protocol.school_id) | Q(school__isnull=True))
    return _active_users().filter(pk__in=grants.values("user"))


def responsible(version: ProtocolVersion) -> QuerySet:
    """Who answers for an adopted protocol: the board, and for a school's own its director."""
    protocol = version.protocol
    who = Q(role=Role.BOARD)
    if protocol.school_id:
        who |= Q(role=Role.DIRECTOR, school=protocol.school_id)
    grants = Membership.objects.filter(who, stichting=protocol.stichting_id)
    return _active_users().filter(pk__in=grants.values("user"))


def _submitter(version: ProtocolVersion) -> list[User]:
    user = version.submitted_by
    return [user] if user and user.is_active else []


def step_recipients(step: ProcedureStep, today: date) -> list[User]:
    """Who is asked when `step` opens: the body that answers it."""
    version = step.version
    if step.body == StepBody.COUNCIL:
        return list(council_members(step.council_id, today))
    if step.body == StepBody.DIRECTORS:
        return list(directors(version.protocol.stichting_id))
    if step.body in (StepBody.SUPERVISORY, StepBody.BOARD):
        # The supervisory board has no accounts: the board forwards the proposal to it.
        return list(board_members(version.protocol.stichting_id))
    return _submitter(version)


def _council_ids(version: ProtocolVersion) -> set[int]:
    return set(version.steps.filter(council__isnull=False).values_list("council", flat=True))


def _step(step: ProcedureStep) -> ProcedureStep:
    return ProcedureStep.objects.select_related(
        "version__protocol", "version__submitted_by", "council"
    ).get(pk=step.pk)


def _version_context(version: ProtocolVersion) -> dict:
    return {
        "version": version,
        "protocol": version.protocol.title,
        "number": version.number,
        "url": absolute(version.get_absolute_url()),
    }


# --- what happened ------------------------------------------------------------------------


def step_opened(step: ProcedureStep) -> int:
    """Tell the body of a step that just opened that its advice, consent or decision is asked."""
    step = _step(step)
    context = {**_version_context(step.version), "step": step}
    return _send_all(
        f"step-opened:{step.pk}",
        step_recipients(step, timezone.localdate()),
        "emails/step_opened_subject.txt",
        "emails/step_opened.txt",
        context,
    )


def question_asked(question: Question) -> int:
    """Tell the submitter and those who may draft that a council member asked a question."""
    question = Question.objects.select_related(
        "version__protocol", "version__submitted_by", "section", "asked_by"
    ).get(pk=question.pk)
    version = question.version
    users = [u for u in _submitter(version) + list(drafters(version)) if u != question.asked_by]
    return _send_all(
        f"question-asked:{question.pk}",
        users,
        "emails/question_asked_subject.txt",
        "emails/question_asked.txt",
        {**_version_context(version), "question": question},
    )


def question_answered(question: Question) -> int:
    """Tell the asker that their question was answered."""
    question = Question.objects.select_related(
        "version__protocol", "section", "asked_by", "answered_by"
    ).get(pk=question.pk)
    return _send_all(
        f"question-answered:{question.pk}",
        [question.asked_by] if question.asked_by.is_active else [],
        "emails/question_answered_subject.txt",
        "emails/question_answered.txt",
        {**_version_context(question.version), "question": question},
    )


def decision_recorded(step: ProcedureStep) -> int:
    """Tell the submitter and the council members what a step concluded."""
    step = _step(step)
    version = step.version
    today = timezone.localdate()
    users = _submitter(version)
    for council_id in _council_ids(version):
        users += list(council_members(council_id, today))
    return _send_all(
        f"decision:{step.pk}",
        users,
        "emails/decision_recorded_subject.txt",
        "emails/decision_recorded.txt",
        {**_version_context(version), "step": step},
    )


def version_adopted(version: ProtocolVersion) -> int:
    """Tell everyone who took part in the procedure that the version was adopted.

    Staff are asked to confirm reading through `protocols.acknowledgements` instead.
    """
    version = ProtocolVersion.objects.select_related("protocol", "submitted_by").get(pk=version.pk)
    today = timezone.localdate()
    users = _submitter(version)
    for step in version.steps.select_related(
        "version__protocol", "version__submitted_by", "council"
    ):
        if step.status != StepStatus.NOT_APPLICABLE:
            users += step_recipients(step, today)
    return _send_all(
        f"adopted:{version.pk}",
        users,
        "emails/version_adopted_subject.txt",
        "emails/version_adopted.txt",
        _version_context(version),
    )


def reading_link_sent(link: ReadingLink, *, token: str) -> bool:
    """Mail a personal reading link to the address it was made for; `token` is only here."""
    link = ReadingLink.objects.select_related("version__protocol", "created_by").get(pk=link.pk)
    context = {
        **_version_context(link.version),
        "link": link,
        "recipient_name": link.name,
        "url": absolute(reverse("protocols:reading_link_read", args=[token])),
    }
    return send(
        f"reading-link:{link.pk}",
        link.email,
        "emails/reading_link_subject.txt",
        "emails/reading_link.txt",
        context,
    )


# --- the daily job ------------------------------------------------------------------------


def _remind(
    kind: str, item: str, users, subject: str, body: str, context: dict, today: date
) -> int:
    """Send reminder `kind` about `item` to each user, at most one of a kind per person a day.

    The key carries the item (and its deadline), so a changed deadline is reminded of again,
    but not on the day someone already had a reminder of this kind: that one waits for the
    next run.
    """
    sent, seen = 0, set()
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        had_one_today = Notice.objects.filter(
            key__startswith=f"{kind}:", key__endswith=f":{user.pk}", sent_at__date=today
        ).exists()
        if not had_one_today:
            sent += send(f"{kind}:{item}:{user.pk}", user, subject, body, context)
    return sent


def send_daily_reminders(today: date) -> int:
    """Send the reminders due on `today`; returns how many mails went out.

    Terms ending within a week and terms that ran out (silence is not consent, DOMAIN A.8),
    the WMS art. 32 deadlines after withheld consent (A.9) and evaluation dates within a
    month (A.15). Keys carry the deadline, so a term that is extended is reminded of again.
    """
    return _term_reminders(today) + _wms32_reminders(today) + _evaluation_reminders(today)


def _term_reminders(today: date) -> int:
    sent = 0
    steps = ProcedureStep.objects.filter(
        status=StepStatus.OPEN,
        version__status=Status.IN_PROCEDURE,
        due_on__lte=today + timedelta(days=TERM_REMINDER_DAYS),
    ).select_related("version__protocol", "version__submitted_by", "council")
    for step in steps:
        context = {**_version_context(step.version), "step": step}
        if step.due_on >= today:
            sent += _remind(
                "step-due-soon",
                f"{step.pk}:{step.due_on}",
                step_recipients(step, today),
                "emails/step_due_soon_subject.txt",
                "emails/step_due_soon.txt",
                context,
                today,
            )
        else:
            # The board decides what now (extend, withdraw, the LCG); the body is told too.
            users = _submitter(step.version) + list(
                board_members(step.version.protocol.stichting_id)
            )
            sent += _remind(
                "step-expired",
                f"{step.pk}:{step.due_on}",
                users + step_recipients(step, today),
                "emails/step_expired_subject.txt",
                "emails/step_expired.txt",
                context,
                today,
            )
    return sent


def _wms32_reminders(today: date) -> int:
    sent = 0
    horizon = today + timedelta(days=WMS32_REMINDER_DAYS)
    steps = ProcedureStep.objects.filter(
        status=StepStatus.WITHHELD, version__status=Status.IN_PROCEDURE
    ).select_related("version__protocol", "council")
    for step in steps.filter(decided_on__isnull=False):
        clock = wms.consent_clock(
            step.decided_on,
            lcg_notified_on=step.lcg_notified_on,
            lcg_submitted_on=step.lcg_submitted_on,
            today=today,
        )
        if clock["lapsed"]:
            continue
        if not step.lcg_notified_on and today <= clock["choose_by"] <= horizon:
            deadline, kind = clock["choose_by"], "choose-by"
        elif (
            clock["submit_by"]
            and not step.lcg_submitted_on
            and today <= clock["submit_by"] <= horizon
        ):
            deadline, kind = clock["submit_by"], "submit-by"
        else:
            continue
        sent += _remind(
            kind,
            f"{step.pk}:{deadline}",
            board_members(step.version.protocol.stichting_id),
            "emails/wms32_deadline_subject.txt",
            "emails/wms32_deadline.txt",
            {
                **_version_context(step.version),
                "step": step,
                "deadline": deadline,
                "choose": kind == "choose-by",
            },
            today,
        )
    return sent


def _evaluation_reminders(today: date) -> int:
    sent = 0
    versions = ProtocolVersion.objects.filter(
        status=Status.ADOPTED,
        evaluation_date__gte=today,
        evaluation_date__lte=today + timedelta(days=EVALUATION_REMINDER_DAYS),
    ).select_related("protocol")
    for version in versions:
        sent += _remind(
            "evaluation",
            f"{version.pk}:{version.evaluation_date}",
            responsible(version),
            "emails/evaluation_due_subject.txt",
            "emails/evaluation_due.txt",
            _version_context(version),
            today,
        )
    return sent
