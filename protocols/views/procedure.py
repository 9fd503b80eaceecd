"""Views of the approval procedure: submit, record a step, n.v.t., terms, WMS art. 32, adopt.

The rules are `protocols/workflow.py`'s: these views read a form, call the workflow and say
what happened. A version is fetched through `for_user`, a step only through its version, so
an outsider gets a 404 for both. A refusal by the workflow is shown as a message above the
form, which keeps what was typed.

Recording a decision and adopting take two posts: the first checks the input (form and
workflow) and shows a summary, with a signed copy of the input in a hidden field; the second,
with `confirm=1`, saves it. A second confirmation is refused by the workflow, not saved twice.
"""

from pathlib import PurePosixPath

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from protocols import drafts, pdf, record, workflow
from protocols.forms.procedure import (
    AdoptForm,
    DocumentForm,
    ExtendForm,
    LcgForm,
    NotApplicableForm,
    RecordForm,
    StepDefinitionFormSet,
    SubmitForm,
    VoteForm,
    WithdrawForm,
)
from protocols.models import ProcedureStep, ProtocolVersion, StepKind
from protocols.rendering import download_name
from protocols.views.council import last_adopted
from schools import files
from schools.models import CouncilMember, Role, Stichting

Status = ProtocolVersion.Status
StepStatus = ProcedureStep.Status
Outcome = ProcedureStep.Outcome
GELEDINGEN = dict(CouncilMember.Geleding.choices)


def _version(request, pk, *, edit=False) -> ProtocolVersion:
    versions = ProtocolVersion.objects.for_user(request.user, edit=edit)
    return get_object_or_404(versions.select_related("protocol"), pk=pk)


def _step(version, step_pk) -> ProcedureStep:
    return get_object_or_404(version.steps.select_related("council"), pk=step_pk)


def _deviates_from_advice(steps) -> bool:
    # Shown as a required field; workflow.adopt is what enforces it.
    return any(s.kind == StepKind.ADVICE and s.outcome == Outcome.CONDITIONAL for s in steps)


def version_context(request, version) -> dict:
    """The procedure panel: the steps, what this user may do now, and the WMS art. 32 clock."""
    user = request.user
    today = timezone.localdate()
    steps = record.steps_with_votes(version)
    in_procedure = version.status == Status.IN_PROCEDURE
    open_step = next((s for s in steps if s.status == StepStatus.OPEN), None)
    # After a withdrawal the refused step keeps its status; its clock no longer runs.
    withheld = None
    if in_procedure:
        withheld = next((s for s in steps if s.status == StepStatus.WITHHELD), None)
    clock = workflow.consent_clock(withheld, today) if withheld else None
    drafts = version.status in (Status.DRAFT, Status.IN_PROCEDURE) and workflow.may_draft(
        user, version
    )
    adopting = open_step is not None and open_step.kind == StepKind.ADOPTION
    board = (adopting or withheld is not None) and workflow.is_board_member(user, version)
    may = {
        "submit": version.status == Status.DRAFT and drafts,
        "record": bool(open_step and not adopting and workflow.may_record(user, open_step)),
        "not_applicable": bool(open_step and open_step.may_be_not_applicable and drafts),
        "extend": bool(open_step and open_step.due_on and drafts),
        "withdraw": in_procedure and drafts,
        "adopt": adopting and board,
        "lcg": bool(withheld and board and not clock["lapsed"]),
    }
    forms = {
        "not_applicable": NotApplicableForm() if may["not_applicable"] else None,
        "extend": ExtendForm(initial={"due_on": open_step.due_on}) if may["extend"] else None,
        "withdraw": WithdrawForm() if may["withdraw"] else None,
        "lcg": LcgForm() if may["lcg"] else None,
        "adopt": AdoptForm(reason_required=_deviates_from_advice(steps)) if may["adopt"] else None,
    }
    # Labels worked out once per step: the panel shows each step twice (table and phone list).
    rows = [
        {
            "step": step,
            "body": step.body_label,
            "kind": StepKind(step.kind).label,
            "outcome": Outcome(step.outcome).label
            if step.outcome
            else StepStatus(step.status).label,
            "term_expired": step.term_expired(today),
            "votes": [(GELEDINGEN.get(v.geleding, v.geleding), v) for v in step.votes.all()],
        }
        for step in steps
    ]
    return {
        "procedure_last_adopted": last_adopted(version) if version.change_summary else None,
        "procedure_steps": rows,
        "procedure_open_step": open_step,
        "procedure_withheld_step": withheld,
        "procedure_clock": clock,
        "procedure_dispute_until": workflow.dispute_window(version),
        "procedure_documents": list(version.documents.all()),
        "procedure_document_form": DocumentForm() if drafts else None,
        "procedure_may": may,
        "procedure_forms": forms,
    }


def _form_page(request, version, form, *, title, button, step=None, intro="", vote_forms=()):
    context = {
        "version": version,
        "step": step,
        "form": form,
        "vote_forms": vote_forms,
        "title": title,
        "intro": intro,
        "button": button,
    }
    return render(request, "protocols/procedure/procedure_form.html", context)


def version_submit(request, pk):
    """Submit a draft for its procedure, stating advice or consent (WMS art. 7a)."""
    version = _version(request, pk, edit=True)
    if version.status != Status.DRAFT:
        messages.error(request, _("Only a draft can be submitted."))
        return redirect(version)
    form = SubmitForm(
        request.POST or None,
        initial={
            "change_summary": version.change_summary,
            "legal_basis": version.legal_basis,
            "legal_article": version.legal_article or workflow.DEFAULT_ARTICLE,
            "is_editorial": version.is_editorial,
        },
    )
    if form.is_valid():
        try:
            first = workflow.submit(version, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("The version has been submitted; the first step, %(step)s, is open.")
                % {"step": first.name},
            )
            return redirect(version)
    return _form_page(
        request,
        version,
        form,
        title=_("Submit for the procedure"),
        intro=_(
            "After submitting, the text can no longer be edited. The steps of your "
            "stichting's procedure follow one after the other."
        ),
        button=_("Submit"),
    )


def _vote_forms(data, step) -> list[VoteForm]:
    """One vote form per section whose consent is required, prefilled with its size."""
    if step.kind != StepKind.CONSENT or not step.geledingen:
        return []
    sizes = workflow.council_sizes(step.council, timezone.localdate())
    return [
        VoteForm(
            data,
            geleding=geleding,
            label=GELEDINGEN.get(geleding, geleding),
            initial={"members": sizes.get(geleding, 0)},
        )
        for geleding in step.geledingen
    ]


def _posted(request, purpose: str):
    """The input of a two-step form: the signed copy on confirming or changing, else the post.

    Returns (data, confirmed); data is None for a GET and for a copy that fails its signature.
    """
    if request.method != "POST":
        return None, False
    if "payload" not in request.POST:
        return request.POST, False
    try:
        data = signing.loads(
            request.POST["payload"], salt=f"{purpose}:{request.user.pk}", max_age=24 * 3600
        )
    except signing.BadSignature:
        return None, False
    return data, request.POST.get("confirm") == "1"


def _payload(request, data, purpose: str) -> str:
    """The input, signed for this user and purpose, for the confirmation page's hidden field."""
    ignored = ("csrfmiddlewaretoken", "confirm", "edit", "payload")
    values = {key: value for key, value in data.items() if key not in ignored}
    return signing.dumps(values, salt=f"{purpose}:{request.user.pk}")


def _confirm_page(request, version, *, title, summary, warnings, effects, payload, action):
    context = {
        "version": version,
        "title": title,
        "summary": summary,
        "warnings": warnings,
        "effects": effects,
        "payload": payload,
        "action": action,
    }
    return render(request, "protocols/procedure/procedure_confirm.html", context)


def _day(value) -> str:
    return value.strftime("%d-%m-%Y") if value else "–"


def step_record(request, pk, step_pk):
    """Record the decision on the open step, after a summary to confirm; for consent, the votes."""
    version = _version(request, pk)
    step = _step(version, step_pk)
    if step.kind == StepKind.ADOPTION or not workflow.may_record(request.user, step):
        raise Http404("This user does not record this step.")
    if step.status != StepStatus.OPEN:
        messages.error(request, _("This step is not open for a decision."))
        return redirect(version)
    purpose = f"step_record:{step.pk}"
    data, confirmed = _posted(request, purpose)
    form = RecordForm(data, step=step)
    vote_forms = _vote_forms(data, step)
    editing = request.POST.get("edit") == "1"
    # A list, not a generator: every form must be validated to show all of its errors.
    if not editing and all([form.is_valid()] + [f.is_valid() for f in vote_forms]):
        values = {
            "by": request.user,
            "votes": [f.vote() for f in vote_forms] or None,
            **form.cleaned_data,
        }
        try:
            if not confirmed:
                outcome, rows = workflow.check_decision(step, **values)[1:3]
            else:
                step = workflow.record_decision(step, **values)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            if not confirmed:
                return _confirm_page(
                    request,
                    version,
                    title=_("Check the decision: %(step)s") % {"step": step.name},
                    summary=_decision_summary(step, form.cleaned_data, outcome, rows),
                    warnings=_decision_warnings(version),
                    effects=[],
                    payload=_payload(request, data, purpose),
                    action=_("Confirm and record"),
                )
            messages.success(
                request,
                _("The decision on %(step)s has been recorded: %(outcome)s.")
                % {"step": step.name, "outcome": step.get_outcome_display()},
            )
            if step.outcome in workflow.SENDS_BACK:
                messages.info(request, _("The version has been sent back with a new draft."))
            return redirect(version)
    for vote_form in vote_forms:
        # The field errors stand inside the section's box; the message names the section too.
        if data is not None and not editing and vote_form.errors:
            messages.error(
                request,
                _("%(section)s: check the numbers of the vote.") % {"section": vote_form.label},
            )
    return _form_page(
        request,
        version,
        form,
        step=step,
        vote_forms=vote_forms,
        title=_("Record the decision: %(step)s") % {"step": step.name},
        intro=_("The outcome follows from the votes of the sections.") if vote_forms else "",
        button=_("Check the decision"),
    )


def _decision_summary(step, data, outcome, rows) -> list[tuple[str, str]]:
    summary = [
        (_("Step"), step.name),
        (_("Decided on"), _day(data["decided_on"])),
    ]
    if data.get("meeting_date"):
        summary.append((_("Meeting date"), _day(data["meeting_date"])))
    summary.append((_("Outcome"), record.outcome_text(step, rows, outcome=outcome)))
    for row in rows:
        summary.append(
            (
                GELEDINGEN.get(row.geleding, row.geleding),
                _(
                    "%(present)s of %(members)s present; for %(yes)s, against %(no)s, "
                    "abstentions %(abstained)s"
                )
                % {
                    "present": row.present,
                    "members": row.members,
                    "yes": row.votes_for,
                    "no": row.votes_against,
                    "abstained": row.abstentions,
                },
            )
        )
    if data.get("minutes"):
        summary.append((_("The RvT's minutes"), data["minutes"].title))
    if data.get("remarks"):
        summary.append((_("Remarks"), data["remarks"]))
    return summary


def _decision_warnings(version) -> list[str]:
    unanswered = version.questions.filter(answer="").count()
    if not unanswered:
        return []
    return [
        ngettext(
            "%(count)s question about this proposal has not been answered yet.",
            "%(count)s questions about this proposal have not been answered yet.",
            unanswered,
        )
        % {"count": unanswered}
    ]


@require_POST
def step_not_applicable(request, pk, step_pk):
    """Mark the open step n.v.t. (e.g. RvT approval not required), with the reason."""
    version = _version(request, pk)
    step = _step(version, step_pk)
    form = NotApplicableForm(request.POST)
    if form.is_valid():
        try:
            workflow.mark_not_applicable(step, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("%(step)s is marked not applicable.") % {"step": step.name})
            return redirect(version)
    return _form_page(
        request,
        version,
        form,
        step=step,
        title=_("Mark as not applicable: %(step)s") % {"step": step.name},
        button=_("Mark not applicable"),
    )


@require_POST
def step_extend(request, pk, step_pk):
    """Give the body of the open step more time; an expired term is never consent."""
    version = _version(request, pk)
    step = _step(version, step_pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            workflow.extend_term(step, by=request.user, due_on=form.cleaned_data["due_on"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, _("The term of %(step)s has been changed.") % {"step": step.name}
            )
            return redirect(version)
    return _form_page(
        request,
        version,
        form,
        step=step,
        title=_("Change the term: %(step)s") % {"step": step.name},
        button=_("Change term"),
    )


@require_POST
def version_withdraw(request, pk):
    version = _version(request, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            workflow.withdraw(version, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The proposal has been withdrawn."))
            return redirect(version)
    return _form_page(
        request, version, form, title=_("Withdraw the proposal"), button=_("Withdraw")
    )


@require_POST
def step_lcg(request, pk, step_pk):
    """The board's way to the LCG WMS after consent was withheld (WMS art. 32)."""
    version = _version(request, pk)
    step = _step(version, step_pk)
    form = LcgForm(request.POST)
    if form.is_valid():
        try:
            workflow.record_lcg(step, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The way to the LCG WMS has been recorded."))
            return redirect(version)
    return _form_page(
        request,
        version,
        form,
        step=step,
        title=_("Dispute committee (LCG WMS): %(step)s") % {"step": step.name},
        button=_("Save"),
    )


@require_POST
def version_adopt(request, pk):
    """The board's vaststelling, after a summary of what will happen; the last step."""
    version = _version(request, pk)
    purpose = "version_adopt"
    data, confirmed = _posted(request, purpose)
    form = AdoptForm(data, reason_required=_deviates_from_advice(version.steps.all()))
    if request.POST.get("edit") != "1" and form.is_valid():
        try:
            if not confirmed:
                _adoption_step, evaluation_date = workflow.check_adoption(
                    version, by=request.user, **form.cleaned_data
                )
            else:
                workflow.adopt(version, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            if not confirmed:
                return _confirm_page(
                    request,
                    version,
                    title=_("Check the adoption"),
                    summary=_adoption_summary(form.cleaned_data, evaluation_date),
                    warnings=[],
                    effects=_adoption_effects(version, form.cleaned_data["effective_date"]),
                    payload=_payload(request, data, purpose),
                    action=_("Confirm and adopt"),
                )
            messages.success(request, _("The version has been adopted."))
            return redirect(version)
    return _form_page(
        request, version, form, title=_("Adopt this version"), button=_("Check the adoption")
    )


def _adoption_summary(data, evaluation_date) -> list[tuple[str, str]]:
    summary = [
        (_("Adopted on"), _day(data["decided_on"])),
        (_("In force from"), _day(data["effective_date"])),
        (_("Evaluation date"), _day(evaluation_date)),
    ]
    if data.get("reason"):
        summary.append((_("Reasons for deviating from the advice"), data["reason"]))
    return summary


def _adoption_effects(version, effective_date) -> list[str]:
    effects = [_("The PDF of this version is stored for every school it applies to.")]
    if version.is_editorial:
        effects.append(_("This is an editorial change: staff are not asked to confirm reading."))
    else:
        effects.append(_("Staff are asked to confirm that they have read this version."))
    effects.append(_("Everyone involved in the procedure is told it has been adopted."))
    if effective_date > timezone.localdate():
        effects.append(
            _("Until %(date)s the public page keeps showing the current version.")
            % {"date": _day(effective_date)}
        )
    return effects


def procedure_settings(request, slug):
    """The CvB sets its stichting's approval procedure; running procedures keep theirs."""
    stichting = get_object_or_404(
        Stichting.objects.for_user(request.user, roles=[Role.BOARD]), slug=slug
    )
    current = workflow.current_template(stichting)
    formset = StepDefinitionFormSet(
        request.POST or None,
        initial=[
            {
                "name": s.name,
                "kind": s.kind,
                "body": s.body,
                "forum": s.forum,
                "geledingen": s.geledingen,
                "term_days": s.term_days,
                "may_be_not_applicable": s.may_be_not_applicable,
                "ORDER": s.position,
            }
            for s in current
        ],
    )
    if formset.is_valid():
        try:
            workflow.save_template(stichting, steps=formset.steps(), by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("The procedure has been saved; it applies to proposals submitted from now on."),
            )
            return redirect("protocols:procedure_settings", slug=stichting.slug)
    councils = stichting.councils.all()
    context = {"stichting": stichting, "formset": formset, "councils": councils}
    return render(request, "protocols/procedure/procedure_settings.html", context)


@require_POST
def document_add(request, pk):
    """Attach a supporting document to the proposal (WMS art. 8: inform the council in full)."""
    version = get_object_or_404(ProtocolVersion.objects.for_user(request.user, edit=True), pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            drafts.add_document(
                version,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The document has been added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(version)


def document_download(request, pk, document_pk):
    """A supporting document, for whoever may see the proposal."""
    version = get_object_or_404(ProtocolVersion.objects.for_user(request.user), pk=pk)
    document = get_object_or_404(version.documents, pk=document_pk)
    # Named after its title, with the stored file's extension.
    extension = PurePosixPath(document.file.name).suffix.lower()
    return files.serve(document.file, filename=download_name(document.title) + extension)


def proposal_pdf(request, pk):
    """The proposal as a PDF with its CONCEPT mark, for a council that meets on paper."""
    version = _version(request, pk)
    data = pdf.render_version_pdf(version)
    filename = download_name(version.protocol.title, f"voorstel versie {version.number}.pdf")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
