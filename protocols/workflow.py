"""The approval procedure of protocol versions. Every status change goes through this module.

A draft is submitted (WMS art. 7a: for advice or for consent, with its legal basis); its steps
are a snapshot of the stichting's procedure template and run in order. Silence is never
consent (DOMAIN A.8): a step past its term stays open and is shown as expired. Consent can be
required per geleding (A.4) and is checked against the council's quorum and majority (A.11).
Only the CvB adopts, and never while a required consent is missing (A.1, A.2, A.14).
"""

import logging
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from protocols import drafts, notices, tasks, wms
from protocols.models import (
    GeledingVote,
    ProcedureStep,
    ProcedureStepDefinition,
    ProposalDocument,
    ProtocolVersion,
    StepBody,
    StepKind,
)
from schools import access
from schools.models import Council, CouncilMember, Membership, Role, User

logger = logging.getLogger(__name__)

Status = ProtocolVersion.Status
StepStatus = ProcedureStep.Status
Outcome = ProcedureStep.Outcome
DEFAULT_ARTICLE = "WMS art. 10 sub c en e"

# What each kind of step may conclude, and which conclusions send the version back.
OUTCOMES = {
    StepKind.ADVICE: {Outcome.POSITIVE, Outcome.NEGATIVE, Outcome.CONDITIONAL},
    StepKind.CONSENT: {Outcome.GRANTED, Outcome.WITHHELD},
    StepKind.APPROVAL: {Outcome.APPROVED, Outcome.NOT_APPROVED},
    StepKind.NOTICE: {Outcome.NOTED},
    StepKind.ADOPTION: {Outcome.ADOPTED},
}
SENDS_BACK = {Outcome.NEGATIVE, Outcome.NOT_APPROVED}

# How far ahead dates may lie: a new term, and a protocol's coming into force after adoption
# (for instance at the start of the next school year); its evaluation after that.
MAX_TERM_AHEAD = timedelta(days=366)
MAX_IN_FORCE_AFTER_ADOPTION = timedelta(days=366)
MAX_EVALUATION_AFTER_IN_FORCE = timedelta(days=5 * 366)

# Seed 003's chain: the default for a stichting that has not configured its own.
DEFAULT_CHAIN = [
    {"name": "Directeuren", "kind": StepKind.ADVICE, "body": StepBody.DIRECTORS, "term_days": 14},
    {
        "name": "GMR",
        "kind": StepKind.CONSENT,
        "body": StepBody.COUNCIL,
        "geledingen": ["parents", "staff"],
    },
    {
        "name": "RvT",
        "kind": StepKind.APPROVAL,
        "body": StepBody.SUPERVISORY,
        "may_be_not_applicable": True,
    },
    {"name": "Vaststelling CvB", "kind": StepKind.ADOPTION, "body": StepBody.BOARD},
]


def current_template(stichting) -> list[ProcedureStepDefinition]:
    """The stichting's procedure steps, or seed 003's chain unsaved: reading writes nothing."""
    return list(stichting.procedure_steps.all()) or [
        ProcedureStepDefinition(stichting=stichting, position=position, **step)
        for position, step in enumerate(DEFAULT_CHAIN, start=1)
    ]


def procedure_template(stichting) -> list[ProcedureStepDefinition]:
    """The stichting's procedure steps, creating seed 003's chain when it has none."""
    steps = list(stichting.procedure_steps.all())
    if steps:
        return steps
    return ProcedureStepDefinition.objects.bulk_create(
        ProcedureStepDefinition(stichting=stichting, position=position, **step)
        for position, step in enumerate(DEFAULT_CHAIN, start=1)
    )


def council_for(version: ProtocolVersion) -> Council | None:
    """WMS art. 16: a board-wide proposal goes to the GMR, a school's own to its MR."""
    protocol = version.protocol
    if protocol.school_id:
        return Council.objects.filter(kind=Council.Kind.MR, school=protocol.school_id).first()
    return Council.objects.filter(kind=Council.Kind.GMR, stichting=protocol.stichting_id).first()


def may_draft(user: User, version: ProtocolVersion) -> bool:
    """Whether `user` writes drafts of `version`'s protocol: their roles, not its status, decide."""
    return access.may_edit_protocol(user, version.protocol)


def is_board_member(user: User, version: ProtocolVersion) -> bool:
    return Membership.objects.filter(
        user=user, role=Role.BOARD, stichting=version.protocol.stichting_id
    ).exists()


def may_record(user: User, step: ProcedureStep) -> bool:
    """Who records a step's outcome: its council's members, or the board and directors."""
    if step.body == StepBody.COUNCIL:
        today = timezone.localdate()
        return (
            CouncilMember.objects.filter(council=step.council_id, user=user)
            .exclude(end_date__lte=today)
            .exists()
        )
    if step.kind == StepKind.ADOPTION:
        return is_board_member(user, step.version)
    return may_draft(user, step.version)


def _open(step: ProcedureStep, today: date) -> None:
    step.status = StepStatus.OPEN
    step.opened_on = today
    days = step.term_days or (step.council.term_days if step.council_id else None)
    step.due_on = today + timedelta(days=days) if days else None
    step.save(update_fields=["status", "opened_on", "due_on"])
    # Mail only what was committed; a mail server that fails must not undo the step.
    transaction.on_commit(lambda: notices.step_opened(step), robust=True)


def _open_next(version: ProtocolVersion, after: int, today: date) -> ProcedureStep | None:
    following = version.steps.filter(position__gt=after, status=StepStatus.WAITING).first()
    if following:
        _open(following, today)
    return following


def _locked(version: ProtocolVersion) -> ProtocolVersion:
    return ProtocolVersion.objects.select_for_update().select_related("protocol").get(pk=version.pk)


def _council_fields(definition: ProcedureStepDefinition, council: Council | None) -> dict:
    """The council step goes to the GMR or, for a school's own protocol, its MR (art. 16)."""
    if definition.body != StepBody.COUNCIL:
        return {}
    return {"council": council, "name": council.kind.upper()}


@transaction.atomic
def submit(
    version: ProtocolVersion,
    *,
    by: User,
    change_summary: str,
    legal_basis: str,
    legal_article: str = DEFAULT_ARTICLE,
    is_editorial: bool = False,
) -> ProcedureStep:
    """Freeze a draft and open the first step of its procedure; returns that step."""
    version = _locked(version)
    if version.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    if not may_draft(by, version):
        raise ValidationError(_("You may not submit this protocol."))
    if not change_summary.strip():
        raise ValidationError(_("Say what has changed before the version leaves draft."))
    if legal_basis not in ProtocolVersion.LegalBasis.values or not legal_article.strip():
        raise ValidationError(_("State whether this is submitted for advice or consent, and why."))
    if not version.sections.exists():
        raise ValidationError(_("A protocol needs at least one section with text."))
    running = version.protocol.versions.filter(status=Status.IN_PROCEDURE).first()
    if running is not None:
        raise ValidationError(
            _(
                "Version %(number)s of this protocol is still in procedure: finish or withdraw "
                "it before submitting another."
            )
            % {"number": running.number}
        )
    template = procedure_template(version.protocol.stichting)
    council = council_for(version)
    if council is None and any(s.body == StepBody.COUNCIL for s in template):
        raise ValidationError(_("There is no participation council to ask; add it first."))
    ProcedureStep.objects.bulk_create(
        ProcedureStep(
            version=version,
            position=definition.position,
            **{
                **{field: getattr(definition, field) for field in ProcedureStep.COPIED},
                **_council_fields(definition, council),
            },
        )
        for definition in template
    )
    version.status = Status.IN_PROCEDURE
    version.change_summary = change_summary.strip()
    version.legal_basis = legal_basis
    version.legal_article = legal_article.strip()
    version.is_editorial = is_editorial
    version.submitted_at, version.submitted_by = timezone.now(), by
    version.save()
    first = version.steps.first()
    _open(first, timezone.localdate())
    return first


def _geleding_granted(
    council: Council, members: int, present: int, votes_for: int, votes_against: int
) -> bool:
    """A section's consent under its council's quorum and majority rule (DOMAIN A.11)."""
    quorum = council.quorum if council.quorum is not None else members // 2 + 1
    if present < quorum:
        return False
    if council.majority == Council.Majority.TWO_THIRDS:
        return 3 * votes_for >= 2 * present
    if council.majority == Council.Majority.HALF_PRESENT:
        return 2 * votes_for > present
    return votes_for > votes_against


def council_sizes(council: Council | None, today: date) -> dict[str, int]:
    """The council's current members per section (geleding), as the portal knows them."""
    if council is None:
        return {}
    current = council.members.exclude(end_date__lte=today)
    return dict(current.values_list("geleding").annotate(n=Count("pk")).order_by())


def _check_votes(step: ProcedureStep, votes: list[dict], today: date) -> list[GeledingVote]:
    """The votes per section, checked against the council's actual members (not a typed size)."""
    by_geleding = {vote["geleding"]: vote for vote in votes}
    if set(by_geleding) != set(step.geledingen):
        raise ValidationError(_("Record the vote of every section whose consent is required."))
    sizes = council_sizes(step.council, today)
    labels = dict(CouncilMember.Geleding.choices)
    rows = []
    for geleding in step.geledingen:
        vote = by_geleding[geleding]
        members = sizes.get(geleding, 0)
        label = labels.get(geleding, geleding)
        if not members:
            raise ValidationError(
                _("The section %(section)s of the council has no members: add them first.")
                % {"section": label}
            )
        if vote.get("members") is not None and vote["members"] != members:
            raise ValidationError(
                _("The section %(section)s has %(members)s members, not %(typed)s.")
                % {"section": label, "members": members, "typed": vote["members"]}
            )
        numbers = [vote[k] for k in ("present", "votes_for", "votes_against", "abstentions")]
        present, votes_for, votes_against, abstentions = numbers
        if min(numbers) < 0 or present > members:
            raise ValidationError(
                _("%(section)s: more members present than the section has.") % {"section": label}
            )
        if votes_for + votes_against + abstentions != present:
            raise ValidationError(
                _("%(section)s: for, against and abstentions must add up to the members present.")
                % {"section": label}
            )
        rows.append(
            GeledingVote(
                step=step,
                geleding=geleding,
                members=members,
                present=present,
                votes_for=votes_for,
                votes_against=votes_against,
                abstentions=abstentions,
                granted=_geleding_granted(step.council, members, present, votes_for, votes_against),
            )
        )
    return rows


def submitted_on(version: ProtocolVersion) -> date | None:
    """The day the proposal was submitted, in the portal's time zone."""
    return timezone.localdate(version.submitted_at) if version.submitted_at else None


def _check_decision_date(version: ProtocolVersion, day: date, today: date) -> None:
    """A decision or meeting lies between the proposal's submission and today."""
    if day > today:
        raise ValidationError(_("A decision cannot be dated in the future."))
    start = submitted_on(version)
    if start and day < start:
        raise ValidationError(
            _("A decision cannot be dated before the proposal was submitted (%(date)s).")
            % {"date": start.strftime("%d-%m-%Y")}
        )


def check_decision(
    step: ProcedureStep,
    *,
    by: User,
    decided_on: date,
    outcome: str = "",
    votes: list[dict] | None = None,
    meeting_date: date | None = None,
    minutes: ProposalDocument | None = None,
    remarks: str = "",
) -> tuple[ProcedureStep, str, list[GeledingVote], str, ProposalDocument | None]:
    """Check a decision without saving it: (step, outcome, unsaved votes, recorded_as, minutes).

    Raises ValidationError as `record_decision` would; the confirmation page shows the rest.
    """
    step = ProcedureStep.objects.select_related("version__protocol", "council").get(pk=step.pk)
    if step.kind == StepKind.ADOPTION:
        raise ValidationError(_("The board adopts a version with its own decision."))
    if not may_record(by, step):
        raise ValidationError(_("You may not record the outcome of this step."))
    today = timezone.localdate()
    _check_decision_date(step.version, decided_on, today)
    if meeting_date is not None:
        _check_decision_date(step.version, meeting_date, today)
    recorded_as = ""
    if step.body == StepBody.SUPERVISORY:
        if minutes is None or minutes.version_id != step.version_id:
            raise ValidationError(
                _(
                    "Attach the RvT's minutes to the proposal and choose them: the board "
                    "records the RvT's approval with its minutes."
                )
            )
        recorded_as = ProcedureStep.RecordedAs.BOARD_WITH_MINUTES
    else:
        minutes = None
    rows = []
    if step.kind == StepKind.CONSENT and step.geledingen:
        rows = _check_votes(step, votes or [], today)
        outcome = Outcome.GRANTED if all(r.granted for r in rows) else Outcome.WITHHELD
    if outcome not in OUTCOMES[step.kind]:
        raise ValidationError(_("This outcome does not fit this step."))
    return step, outcome, rows, recorded_as, minutes


@transaction.atomic
def record_decision(
    step: ProcedureStep,
    *,
    by: User,
    decided_on: date,
    outcome: str = "",
    votes: list[dict] | None = None,
    meeting_date: date | None = None,
    remarks: str = "",
    minutes: ProposalDocument | None = None,
) -> ProcedureStep:
    """Record the outcome of an open step and move the procedure on.

    For consent the outcome follows from the votes per section. The RvT's approval is
    recorded by the board with the RvT's `minutes` (a document of the proposal), since the
    RvT has no accounts in the portal; the step says so. Side effects: the next step
    opens; a negative outcome sends the version back with a new draft made from it; withheld
    consent leaves the step waiting for the board's WMS art. 32 choice. After commit, the
    submitter and the council are told.
    """
    step, outcome, rows, recorded_as, minutes = check_decision(
        step,
        by=by,
        decided_on=decided_on,
        outcome=outcome,
        votes=votes,
        meeting_date=meeting_date,
        minutes=minutes,
    )
    today = timezone.localdate()
    status = StepStatus.WITHHELD if outcome == Outcome.WITHHELD else StepStatus.DECIDED
    # One decision per step, even when two people submit at the same moment: the update
    # only succeeds for the first, on SQLite and PostgreSQL alike.
    updated = ProcedureStep.objects.filter(pk=step.pk, status=StepStatus.OPEN).update(
        status=status,
        outcome=outcome,
        decided_on=decided_on,
        meeting_date=meeting_date,
        remarks=remarks.strip(),
        recorded_by=by,
        recorded_at=timezone.now(),
        recorded_as=recorded_as,
        minutes=minutes,
    )
    if not updated:
        raise ValidationError(
            _("The outcome of this step has already been recorded; reload to see it."),
            code="already_recorded",
        )
    GeledingVote.objects.bulk_create(rows)
    step.refresh_from_db()
    transaction.on_commit(lambda: notices.decision_recorded(step), robust=True)
    if outcome in SENDS_BACK:
        _send_back(step.version, by=by)
    elif status == StepStatus.DECIDED:
        _open_next(step.version, step.position, today)
    return step


def _send_back(version: ProtocolVersion, *, by: User) -> ProtocolVersion:
    version = _locked(version)
    version.status = Status.RETURNED
    version.save(update_fields=["status", "updated_at"])
    return drafts.new_draft(version, by=by)


@transaction.atomic
def discard(version: ProtocolVersion, *, by: User) -> None:
    """Throw away a draft nobody submitted; its history stays in the admin's records."""
    version = _locked(version)
    if version.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be discarded."))
    if not may_draft(by, version):
        raise ValidationError(_("You may not change this protocol."))
    if version.protocol.versions.count() == 1:
        raise ValidationError(
            _("This is the protocol's only version: edit it instead of discarding it.")
        )
    version.delete()


@transaction.atomic
def mark_not_applicable(step: ProcedureStep, *, by: User, reason: str) -> ProcedureStep:
    """Skip an open step that may be n.v.t., with the reason; the next step opens."""
    step = ProcedureStep.objects.select_related("version__protocol").get(pk=step.pk)
    if not step.may_be_not_applicable:
        raise ValidationError(_("This step cannot be skipped."))
    if not may_draft(by, step.version):
        raise ValidationError(_("You may not change this procedure."))
    if not reason.strip():
        raise ValidationError(_("Give the reason why this step does not apply."))
    updated = ProcedureStep.objects.filter(pk=step.pk, status=StepStatus.OPEN).update(
        status=StepStatus.NOT_APPLICABLE,
        reason=reason.strip(),
        decided_on=timezone.localdate(),
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    if not updated:
        raise ValidationError(_("Only the open step can be marked not applicable."))
    _open_next(step.version, step.position, timezone.localdate())
    step.refresh_from_db()
    return step


@transaction.atomic
def extend_term(step: ProcedureStep, *, by: User, due_on: date) -> None:
    """Give a body more time (for instance after the term ran out): silence stays silence."""
    step = ProcedureStep.objects.select_for_update().select_related("version").get(pk=step.pk)
    if step.status != StepStatus.OPEN:
        raise ValidationError(_("Only an open step has a term."))
    if not may_draft(by, step.version):
        raise ValidationError(_("You may not change this procedure."))
    if due_on <= timezone.localdate():
        raise ValidationError(_("A new term must end in the future."))
    if due_on > timezone.localdate() + MAX_TERM_AHEAD:
        raise ValidationError(_("A new term can end at most a year from now."))
    step.due_on = due_on
    step.save(update_fields=["due_on"])


@transaction.atomic
def withdraw(version: ProtocolVersion, *, by: User, reason: str) -> None:
    """Withdraw a proposal from the procedure (for instance after consent was withheld)."""
    version = _locked(version)
    if version.status != Status.IN_PROCEDURE:
        raise ValidationError(_("Only a version in procedure can be withdrawn."))
    if not may_draft(by, version):
        raise ValidationError(_("You may not withdraw this protocol."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for withdrawing."))
    version.status = Status.WITHDRAWN
    version.save(update_fields=["status", "updated_at"])
    version.steps.filter(status=StepStatus.OPEN).update(
        status=StepStatus.DECIDED, reason=reason.strip(), recorded_by=by, recorded_at=timezone.now()
    )


def consent_clock(step: ProcedureStep, today: date) -> dict | None:
    """The WMS art. 32 clock of a step whose consent was withheld (see `wms.consent_clock`)."""
    if step.status != StepStatus.WITHHELD or not step.decided_on:
        return None
    return wms.consent_clock(
        step.decided_on,
        lcg_notified_on=step.lcg_notified_on,
        lcg_submitted_on=step.lcg_submitted_on,
        today=today,
    )


@transaction.atomic
def record_lcg(
    step: ProcedureStep,
    *,
    by: User,
    notified_on: date | None = None,
    submitted_on: date | None = None,
    ruling: str = "",
) -> None:
    """Record the board's way to the LCG WMS after withheld consent, and its binding ruling.

    A ruling that replaces the consent lets the procedure go on; one that does not withdraws
    the proposal.
    """
    step = ProcedureStep.objects.select_for_update().select_related("version").get(pk=step.pk)
    if step.status != StepStatus.WITHHELD:
        raise ValidationError(_("Only withheld consent can go to the LCG WMS."))
    if not is_board_member(by, step.version):
        raise ValidationError(_("Only the board decides to go to the LCG WMS."))
    clock = consent_clock(step, timezone.localdate())
    if clock["lapsed"]:
        raise ValidationError(_("The WMS terms have passed: the proposal has lapsed."))
    today = timezone.localdate()
    for day in (notified_on, submitted_on):
        if day and not (step.decided_on <= day <= today):
            raise ValidationError(
                _("Dates of the way to the LCG WMS lie between the refusal and today.")
            )
    if notified_on:
        step.lcg_notified_on = notified_on
    if submitted_on:
        if not step.lcg_notified_on:
            raise ValidationError(_("First record when the council was told."))
        step.lcg_submitted_on = submitted_on
    step.save(update_fields=["lcg_notified_on", "lcg_submitted_on"])
    if ruling == "replaces_consent":
        step.status, step.outcome = StepStatus.DECIDED, Outcome.GRANTED
        step.remarks = (
            step.remarks + "\n" + _("Consent replaced by a ruling of the LCG WMS.")
        ).strip()
        step.save(update_fields=["status", "outcome", "remarks"])
        _open_next(step.version, step.position, timezone.localdate())
    elif ruling == "upholds_refusal":
        withdraw(step.version, by=by, reason=_("The LCG WMS did not replace the consent."))


def missing_consent(version: ProtocolVersion) -> list[ProcedureStep]:
    """Consent steps without consent granted: adoption is impossible while there are any."""
    return [
        step
        for step in version.steps.all()
        if step.kind == StepKind.CONSENT and step.outcome != Outcome.GRANTED
    ]


def check_adoption(
    version: ProtocolVersion,
    *,
    by: User,
    decided_on: date,
    effective_date: date,
    evaluation_date: date | None = None,
    reason: str = "",
) -> tuple[ProcedureStep, date]:
    """Check an adoption without saving it: (the adoption step, the evaluation date).

    Raises ValidationError as `adopt` would; the confirmation page shows the rest.
    """
    step = version.steps.filter(status=StepStatus.OPEN).first()
    if version.status != Status.IN_PROCEDURE or step is None or step.kind != StepKind.ADOPTION:
        raise ValidationError(_("This version is not ready for adoption: earlier steps are open."))
    if not is_board_member(by, version):
        raise ValidationError(_("Only the board (CvB) adopts a protocol."))
    if missing_consent(version):
        raise ValidationError(_("Adoption is impossible while a required consent is missing."))
    advice = [s for s in version.steps.all() if s.kind == StepKind.ADVICE]
    # WMS: the board may deviate from advice only with written reasons.
    if any(s.outcome == Outcome.CONDITIONAL for s in advice) and not reason.strip():
        raise ValidationError(_("Give the reasons for deviating from the advice."))
    _check_decision_date(version, decided_on, timezone.localdate())
    # WMS: consent comes before the decision (DOMAIN A.2, A.14), also on paper.
    earlier = [
        s.decided_on
        for s in version.steps.all()
        if s.status == StepStatus.DECIDED and s.decided_on and s.pk != step.pk
    ]
    if earlier and decided_on < max(earlier):
        raise ValidationError(_("The adoption cannot be dated before the earlier decisions."))
    if effective_date < decided_on:
        raise ValidationError(_("Effective and evaluation dates cannot precede adoption."))
    if effective_date > decided_on + MAX_IN_FORCE_AFTER_ADOPTION:
        raise ValidationError(_("A protocol comes into force at most a year after its adoption."))
    evaluation_date = evaluation_date or wms.evaluation_date(effective_date)
    if evaluation_date <= effective_date:
        raise ValidationError(_("Effective and evaluation dates cannot precede adoption."))
    if evaluation_date > effective_date + MAX_EVALUATION_AFTER_IN_FORCE:
        raise ValidationError(_("Evaluate a protocol within five years of it coming into force."))
    return step, evaluation_date


@transaction.atomic
def adopt(
    version: ProtocolVersion,
    *,
    by: User,
    decided_on: date,
    effective_date: date,
    evaluation_date: date | None = None,
    reason: str = "",
) -> ProtocolVersion:
    """The CvB adopts a version whose earlier steps are all done (vaststelling).

    Side effects: the previous adopted version is superseded and the evaluation date is set (two
    years on by default); after commit, background tasks store the PDF, tell those in the
    procedure and, unless the change is editorial, ask staff to confirm reading it.
    """
    version = _locked(version)
    step, evaluation_date = check_adoption(
        version,
        by=by,
        decided_on=decided_on,
        effective_date=effective_date,
        evaluation_date=evaluation_date,
        reason=reason,
    )
    updated = ProcedureStep.objects.filter(pk=step.pk, status=StepStatus.OPEN).update(
        status=StepStatus.DECIDED,
        outcome=Outcome.ADOPTED,
        decided_on=decided_on,
        reason=reason.strip(),
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    if not updated:
        raise ValidationError(_("This version has already been adopted."), code="already_recorded")
    _make_adopted(
        version,
        adopted_on=decided_on,
        effective_date=effective_date,
        evaluation_date=evaluation_date,
    )
    # The slow work (PDFs, mail) leaves the request: each piece is its own background task,
    # enqueued once the adoption is committed. One that fails skips none of the others, and
    # the daily job stores whatever PDF is still missing.
    transaction.on_commit(lambda: tasks.store_adopted_pdfs.enqueue(version.pk), robust=True)
    transaction.on_commit(lambda: tasks.announce_adoption.enqueue(version.pk), robust=True)
    if not version.is_editorial:
        # Staff confirm reading a substantive change; an editorial one asks nothing new.
        transaction.on_commit(
            lambda: tasks.request_acknowledgements.enqueue(version.pk), robust=True
        )
    return version


def _make_adopted(version, *, adopted_on, effective_date, evaluation_date) -> None:
    # Supersede first: a unique constraint allows one adopted version per protocol.
    version.protocol.versions.filter(status=Status.ADOPTED).update(status=Status.SUPERSEDED)
    version.status = Status.ADOPTED
    version.adopted_on = adopted_on
    version.effective_date = effective_date
    version.evaluation_date = evaluation_date
    version.save()


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
    version = _locked(version)
    if version.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be registered as adopted."))
    if not change_summary.strip():
        raise ValidationError(_("Say what has changed before the version leaves draft."))
    if evaluation_date <= adopted_on or effective_date < adopted_on:
        raise ValidationError(_("Effective and evaluation dates cannot precede adoption."))
    version.change_summary = change_summary
    _make_adopted(
        version,
        adopted_on=adopted_on,
        effective_date=effective_date,
        evaluation_date=evaluation_date,
    )


@transaction.atomic
def save_template(stichting, *, steps: list[dict], by: User) -> list[ProcedureStepDefinition]:
    """Replace the stichting's procedure template; running procedures keep their own steps.

    The CvB sets it. It must end with the board's adoption and ask the participation council
    at least once, since a protocol like this needs its consent (DOMAIN A.3).
    """
    if not Membership.objects.filter(user=by, role=Role.BOARD, stichting=stichting).exists():
        raise ValidationError(_("Only the board (CvB) sets the procedure."))
    if not steps or steps[-1]["kind"] != StepKind.ADOPTION or steps[-1]["body"] != StepBody.BOARD:
        raise ValidationError(_("The procedure ends with the adoption by the board (CvB)."))
    if sum(s["kind"] == StepKind.ADOPTION for s in steps) != 1:
        raise ValidationError(_("The procedure has exactly one adoption."))
    if not any(s["body"] == StepBody.COUNCIL for s in steps):
        raise ValidationError(_("The procedure asks the participation council (GMR or MR)."))
    for step in steps:
        if step["kind"] == StepKind.CONSENT and step["body"] != StepBody.COUNCIL:
            raise ValidationError(_("Only a participation council gives consent."))
        if step["body"] == StepBody.FORUM and not step.get("forum", "").strip():
            raise ValidationError(_("Name the forum of a step with another forum."))
        if step["body"] == StepBody.COUNCIL and step.get("may_be_not_applicable"):
            raise ValidationError(
                _("The participation council's step cannot be marked not applicable.")
            )
    stichting.procedure_steps.all().delete()
    return ProcedureStepDefinition.objects.bulk_create(
        ProcedureStepDefinition(stichting=stichting, position=position, **step)
        for position, step in enumerate(steps, start=1)
    )


def dispute_window(version: ProtocolVersion) -> date | None:
    """Until when the council can invoke nullity or start an advice dispute (WMS, DOMAIN A.10).

    Only after an adoption through the portal's procedure; the notice of the adoption goes out
    the same day, so the adoption date is the notification date.
    """
    if version.status != Status.ADOPTED or not version.steps.exists() or not version.adopted_on:
        return None
    return wms.dispute_until(version.adopted_on)
