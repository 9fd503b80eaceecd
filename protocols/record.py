"""The record of how protocol versions were decided: front table, WMS checks, decision log.

A version that went through the portal's procedure has ProcedureSteps; an imported version
has the ProcedureRecords its text recorded. Both end up in the same rows, so the version page,
its PDF and the besluitenlijst (DOMAIN A.16) tell one story.
"""

import hashlib
import json
import re
from collections import defaultdict
from datetime import date
from functools import cache, cached_property
from pathlib import Path

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from protocols import rendering
from protocols.models import (
    GeledingVote,
    ProcedureRecord,
    ProcedureStep,
    ProposalDocument,
    Protocol,
    ProtocolVersion,
    Section,
    StepBody,
    StepKind,
)
from protocols.rendering import approval_rows
from schools.models import Council, CouncilMember, User

StepStatus = ProcedureStep.Status
Outcome = ProcedureStep.Outcome

# How the sources name the participation council and say a text came into force.
_COUNCIL = re.compile(r"(?<![a-z])(\(g\)|g)?mr(?![a-z])")
_REFUSED = re.compile(r"onthouden|geen instemming|niet ingestemd")
_IN_FORCE = re.compile(r"in\s*werking|(?<![a-z])per(?![a-z])|gehanteerd")
GELEDINGEN = dict(CouncilMember.Geleding.choices)


_KIND_LABELS = {
    StepKind.ADVICE: gettext_lazy("For advice"),
    StepKind.CONSENT: gettext_lazy("For consent"),
    StepKind.APPROVAL: gettext_lazy("For approval"),
    StepKind.NOTICE: gettext_lazy("For information"),
}


class Words:
    """The labels of steps and versions, each translated once in the language active when they
    are first asked for: a log of 50 versions shows over a thousand of them, and translating
    one costs about as much as everything else the log does with a step."""

    @cached_property
    def kind(self) -> dict[str, str]:
        return {kind: str(label) for kind, label in _KIND_LABELS.items()}

    @cached_property
    def step_status(self) -> dict[str, str]:
        return {value: str(label) for value, label in StepStatus.choices}

    @cached_property
    def outcome(self) -> dict[str, str]:
        return {value: str(label) for value, label in Outcome.choices}

    @cached_property
    def consent(self) -> tuple[str, str]:
        """What a consent step's outcome is called, withheld and granted."""
        return _("consent withheld"), _("consent granted")

    @cached_property
    def geleding(self) -> dict[str, str]:
        return {value: str(label) for value, label in GELEDINGEN.items()}

    @cached_property
    def body(self) -> dict[str, str]:
        return {value: str(label) for value, label in StepBody.choices}

    @cached_property
    def version(self) -> dict[str, dict[str, str]]:
        fields = ProtocolVersion._meta
        return {
            name: {value: str(label) for value, label in fields.get_field(name).flatchoices}
            for name in ("status", "legal_basis")
        }

    def body_of(self, step: ProcedureStep) -> str:
        """`step.body_label` from these labels."""
        if step.council_id:
            return step.council.name
        return step.forum or self.body.get(step.body, step.body)


def went_through_portal(version: ProtocolVersion) -> bool:
    """True for a version submitted in the portal; its steps, not imported records, count."""
    # submit() sets submitted_at and creates the steps in one transaction; reading the field
    # spares a query for every imported version.
    return version.submitted_at is not None


def outcome_text(
    step: ProcedureStep, votes, *, outcome: str = "", words: Words | None = None
) -> str:
    """The outcome as recorded, with each section's vote: "instemming verleend, ouders 3-0".

    `outcome` stands in for the step's own before it is saved (the confirmation page); `words`
    are the labels when the caller shows many steps.
    """
    words = words or Words()
    outcome = outcome or step.outcome
    if step.status == StepStatus.NOT_APPLICABLE:
        return words.step_status[StepStatus.NOT_APPLICABLE]
    if not outcome:
        return ""
    if step.kind == StepKind.CONSENT:
        said = words.consent[outcome == Outcome.GRANTED]
    else:
        said = words.outcome[outcome]
    counts = [
        f"{words.geleding.get(v.geleding, v.geleding).lower()} {v.votes_for}-{v.votes_against}"
        for v in votes
    ]
    return ", ".join([said, *counts])


def steps_with_votes(version: ProtocolVersion) -> list[ProcedureStep]:
    """The version's procedure steps with their council and votes, fetched once per instance:
    the version page's table, its checks and its procedure panel all read them."""
    if "steps" not in getattr(version, "_prefetched_objects_cache", {}):
        steps = ProcedureStep.objects.select_related("council").prefetch_related("votes")
        prefetch_related_objects([version], Prefetch("steps", queryset=steps))
    return list(version.steps.all())


def _step_row(step: ProcedureStep, words: Words) -> dict:
    """What the step asked for beside what came of it: "Ter instemming: instemming verleend"."""
    asked = words.kind.get(step.kind, "")
    outcome = outcome_text(step, step.votes.all(), words=words)
    return {
        "step": step.name,
        "outcome": ": ".join(filter(None, [asked, outcome])),
        "date": step.decided_on,
        "source": step.reason,
    }


def trail_rows(version: ProtocolVersion, *, sections: list[Section] | None = None) -> list[dict]:
    """Rows {step, outcome, date, source} of the approval table on the page and the PDF.

    From the portal's procedure steps plus the evaluation, or else from the imported trail.
    `sections` (the board text, when the caller has it) spares a query for the imported trail.
    """
    if went_through_portal(version):
        words = Words()
        rows = [_step_row(step, words) for step in steps_with_votes(version)]
        if version.evaluation_date:
            rows.append(
                {
                    "step": _("Evaluation"),
                    "outcome": "",
                    "date": version.evaluation_date,
                    "source": "",
                }
            )
        return rows
    if sections is None:
        sections = [s for s in version.sections.all() if s.school_id is None]
    return approval_rows(version.procedure_records.all(), "\n".join(s.body for s in sections))


def _record_words(record) -> str:
    return f"{record.step} {record.outcome} {record.text}".lower()


def _is_consent_record(record) -> bool:
    words = _record_words(record)
    return bool(
        _COUNCIL.search(f"{record.step} {record.text}".lower())
        and "instemming" in words
        and not _REFUSED.search(words)
    )


def _consent_dates(version: ProtocolVersion, trail: list) -> tuple[bool, list[date]]:
    """Whether any (G)MR consent is in `trail`, and the dates on which it was given."""
    if went_through_portal(version):
        granted = [s for s in trail if s.kind == StepKind.CONSENT and s.outcome == Outcome.GRANTED]
        return bool(granted), [s.decided_on for s in granted if s.decided_on]
    consents = [r for r in trail if _is_consent_record(r)]
    return bool(consents), [r.date for r in consents if r.date]


def _in_force_dates(version: ProtocolVersion, trail: list) -> list[date]:
    dates = [day for day in (version.effective_date, version.adopted_on) if day]
    if not went_through_portal(version):
        dates += [
            r.date
            for r in trail
            if r.date and _IN_FORCE.search(_record_words(r)) and not _is_consent_record(r)
        ]
    return dates


def trail_problems(version: ProtocolVersion) -> list[str]:
    """What makes the recorded trail invalid or incomplete under the WMS, as messages."""
    if went_through_portal(version):
        return _problems(version, steps_with_votes(version))
    return _problems(version, list(version.procedure_records.all()))


def _problems(version: ProtocolVersion, trail: list) -> list[str]:
    """`trail_problems` for the version's trail: its procedure steps if it went through the
    portal, else its imported records."""
    problems = []
    has_consent, consented = _consent_dates(version, trail)
    in_force = _in_force_dates(version, trail)
    if consented and in_force and min(in_force) < min(consented):
        # WMS art. 10: consent must come first (DOMAIN A.2, A.14); seed 001 has it backwards.
        problems.append(
            _(
                "In force before the consent of the (G)MR: not valid under the WMS (art. 10). "
                "In force from %(in_force)s; consent given on %(consent)s."
            )
            % {
                "in_force": min(in_force).strftime("%d-%m-%Y"),
                "consent": min(consented).strftime("%d-%m-%Y"),
            }
        )
    if version.is_final and not has_consent:
        problems.append(
            _(
                "No consent of the participation council (MR or GMR) is recorded for this "
                "version; check that it was given (WMS art. 10)."
            )
        )
    return problems


def _votes(votes, words: Words) -> list[dict]:
    return [
        {
            "geleding": words.geleding.get(vote.geleding, vote.geleding),
            "members": vote.members,
            "present": vote.present,
            "votes_for": vote.votes_for,
            "votes_against": vote.votes_against,
            "abstentions": vote.abstentions,
            "granted": vote.granted,
        }
        for vote in votes
    ]


def _log_steps(version: ProtocolVersion, trail: list, votes: dict, words: Words) -> list[dict]:
    """The log's rows of `trail` (as for `_problems`); `votes` holds each step's votes by id."""
    if not went_through_portal(version):
        return [
            {
                "name": row["step"],
                "body": "",
                "kind": "",
                "opened_on": None,
                "due_on": None,
                "outcome": row["outcome"],
                "date": row["date"],
                "meeting_date": None,
                "votes": [],
                # The wording of the text, where the row alone loses some of it.
                "note": row["source"],
                "recorded_by": None,
            }
            for row in approval_rows(trail, "")
        ]
    return [
        {
            "name": step.name,
            "body": words.body_of(step),
            "kind": words.kind.get(step.kind, ""),
            "opened_on": step.opened_on,
            "due_on": step.due_on,
            # As recorded, with the votes ("instemming verleend, ouders 3-0"); an undecided
            # step shows where it stands.
            "outcome": outcome_text(step, votes[step.pk], words=words)
            or words.step_status[step.status],
            "date": step.decided_on,
            "meeting_date": step.meeting_date,
            "votes": _votes(votes[step.pk], words),
            "note": "\n".join(filter(None, [step.reason, step.remarks, _recorded_as(step)])),
            "recorded_by": step.recorded_by,
        }
        for step in trail
    ]


def _recorded_as(step: ProcedureStep) -> str:
    """How the RvT's approval was recorded: by one of its members, or by the board with the
    RvT's minutes (named, so the reader can find them among the proposal's documents)."""
    if not step.recorded_as:
        return ""
    if step.minutes_id:
        return _("Recorded %(how)s: %(minutes)s.") % {
            "how": step.get_recorded_as_display(),
            "minutes": step.minutes.title,
        }
    return _("Recorded %(how)s.") % {"how": step.get_recorded_as_display()}


def logged_versions(protocol: Protocol):
    """The versions in the besluitenlijst, oldest first: each one that was decided on.

    Plain drafts are left out (nothing has been decided about them yet): a draft is in it only
    once submitted in the portal (`went_through_portal`) or imported with its trail.
    """
    plain_draft = Q(status=ProtocolVersion.Status.DRAFT, submitted_at__isnull=True) & ~Exists(
        ProcedureRecord.objects.filter(version=OuterRef("pk"))
    )
    return protocol.versions.exclude(plain_draft).select_related("submitted_by").order_by("number")


def decision_log(protocol: Protocol, versions=None) -> list[dict]:
    """The besluitenlijst: per version that was decided on, its steps, dates and problems.

    `versions` (some of `logged_versions`, say a page of them) limits it to those.
    """
    if versions is None:
        versions = logged_versions(protocol)
    versions = list(versions)
    pks = [version.pk for version in versions]
    # Flat queries, grouped here: prefetching the steps and votes builds a queryset per version
    # and per step, which was most of the time of a log of 50 versions.
    records, steps, votes = defaultdict(list), defaultdict(list), defaultdict(list)
    for row in ProcedureRecord.objects.filter(version__in=pks).order_by("version", "position"):
        records[row.version_id].append(row)
    in_portal = list(ProcedureStep.objects.filter(version__in=pks).order_by("version", "position"))
    _attach_related(in_portal, council=Council, recorded_by=User, minutes=ProposalDocument)
    for step in in_portal:
        steps[step.version_id].append(step)
    for vote in GeledingVote.objects.filter(step__version__in=pks).order_by("pk"):
        votes[vote.step_id].append(vote)
    words = Words()
    log = []
    for version in versions:
        trail = steps[version.pk] if went_through_portal(version) else records[version.pk]
        log.append(
            {
                "version": version,
                "status": words.version["status"].get(version.status, version.status),
                "imported": not went_through_portal(version),
                "submitted_at": version.submitted_at,
                "submitted_by": version.submitted_by,
                "legal_basis": words.version["legal_basis"].get(
                    version.legal_basis, version.legal_basis
                ),
                "legal_article": version.legal_article,
                "change_summary": version.change_summary,
                "is_editorial": version.is_editorial,
                "steps": _log_steps(version, trail, votes, words),
                "adopted_on": version.adopted_on,
                "effective_date": version.effective_date,
                "evaluation_date": version.evaluation_date,
                "problems": _problems(version, trail),
            }
        )
    return log


def _attach_related(steps: list[ProcedureStep], **models) -> None:
    """Set each step's `name` relation to its row of `model`, for each name=model: one query
    per relation for the few distinct rows, shared by the steps. Joining them (select_related)
    made an object per step instead, 200 councils and users for 50 versions: a third of the
    log's time."""
    for name, model in models.items():
        field = ProcedureStep._meta.get_field(name)
        ids = {getattr(step, field.attname) for step in steps} - {None}
        rows = model._default_manager.in_bulk(ids) if ids else {}
        for step in steps:
            # As prefetching does: the relation's cache, not the descriptor's checks per step.
            field.set_cached_value(step, rows.get(getattr(step, field.attname)))


def _day(value) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def _vote_text(votes: list[dict], each: str) -> str:
    """The votes in a cell, `each` the (translated) wording of one section's vote."""
    return "; ".join(each % vote for vote in votes)


def log_csv(protocol: Protocol) -> tuple[list[str], list[list[str]]]:
    """The decision log's CSV header and rows in Dutch, one row per step (a version without
    steps: one row). `schools.exports` writes them for Dutch Excel."""
    with translation.override(settings.LANGUAGE_CODE):
        header = [
            _("Version"),
            _("Status"),
            _("Submitted on"),
            _("Submitted for"),
            _("Legal basis"),
            _("Step"),
            _("Body"),
            _("Sent on"),
            _("Due on"),
            _("Outcome"),
            _("Date"),
            _("Votes"),
            _("Note"),
            _("Adopted on"),
            _("In force from"),
            _("Evaluation"),
            _("Problems"),
        ]
        vote = _(
            "%(geleding)s: %(votes_for)s for, %(votes_against)s against, %(abstentions)s abstained"
        )
        rows = []
        for entry in decision_log(protocol):
            version = entry["version"]
            common = [
                str(version.number),
                entry["status"],
                _day(entry["submitted_at"] and timezone.localdate(entry["submitted_at"])),
                entry["legal_basis"],
                entry["legal_article"],
            ]
            tail = [
                _day(entry["adopted_on"]),
                _day(entry["effective_date"]),
                _day(entry["evaluation_date"]),
                " ".join(entry["problems"]),
            ]
            for step in entry["steps"] or [None]:
                middle = (
                    [
                        step["name"],
                        step["body"],
                        _day(step["opened_on"]),
                        _day(step["due_on"]),
                        step["outcome"],
                        _day(step["date"]),
                        _vote_text(step["votes"], vote),
                        step["note"],
                    ]
                    if step
                    else [""] * 8
                )
                rows.append(common + middle + tail)
    return header, rows


LOG_PDF_TEMPLATE = "protocols/record/decision_log_pdf.html"


def log_html(protocol: Protocol, log: list[dict] | None = None) -> str:
    """The decision log as the Dutch HTML its PDF is rendered from (see `pdf.store_log_pdf`)."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {"protocol": protocol, "log": decision_log(protocol) if log is None else log}
        return render_to_string(LOG_PDF_TEMPLATE, context)


def pdf_log(protocol: Protocol) -> tuple[str, list[dict]]:
    """The decision log as its PDF shows it, in Dutch whoever asks, and its `log_state`
    (worked out first: should the log change meanwhile, the PDF is of a newer log than its
    state says, and the next download makes it again)."""
    state = log_state(protocol)
    with translation.override(settings.LANGUAGE_CODE):
        log = decision_log(protocol)
    return state, log


def _columns(model, *related: str) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields] + list(related)


def _person(relation: str) -> list[str]:
    """The columns of what the log shows of a person (User.__str__)."""
    return [f"{relation}__{name}" for name in ("first_name", "last_name", "email")]


def log_state(protocol: Protocol) -> str:
    """What identifies the decision log's PDF: the SHA-256 of everything the log is made of
    (every column of its versions, steps, votes and imported records, the names they show,
    the protocol's heading) and of how it is printed (`_printing`). Any change to one of them
    is a new state. Working it out reads those rows as plain values in four queries; it
    builds no log, which costs several times as much."""
    versions = logged_versions(protocol)
    pks = versions.values("pk")
    rows = [
        [protocol.title, str(protocol.stichting), str(protocol.school or "")],
        list(versions.values_list(*_columns(ProtocolVersion, *_person("submitted_by")))),
        list(
            ProcedureStep.objects.filter(version__in=pks)
            .order_by("version", "position")
            .values_list(
                *_columns(ProcedureStep, "council__name", "minutes__title", *_person("recorded_by"))
            )
        ),
        list(
            GeledingVote.objects.filter(step__version__in=pks)
            .order_by("pk")
            .values_list(*_columns(GeledingVote))
        ),
        list(
            ProcedureRecord.objects.filter(version__in=pks)
            .order_by("version", "position")
            .values_list(*_columns(ProcedureRecord))
        ),
        get_template(LOG_PDF_TEMPLATE).template.source,
        _printing(),
    ]
    data = json.dumps(rows, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


@cache
def _printing() -> str:
    """The code that builds the log and the translations and time zone it is printed in, as
    one digest per process (a new release is a new process). The modules' files, whatever
    form they are deployed in (source or only compiled)."""
    catalog = Path(settings.LOCALE_PATHS[0], settings.LANGUAGE_CODE, "LC_MESSAGES", "django.mo")
    digest = hashlib.sha256(f"{settings.LANGUAGE_CODE} {settings.TIME_ZONE}".encode())
    for path in [Path(__file__), Path(rendering.__file__), catalog]:
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()
