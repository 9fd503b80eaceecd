"""Views of the approval procedure: the council's side.

Council members read a proposal with its changes and ask questions per section, which those
who may draft answer. Those can also give someone without an account (a council member, an
external advisor) a personal, expiring link to read the proposal and its changes, and no more.
"""

import secrets
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from protocols import notices, workflow
from protocols.diff import diff_versions
from protocols.forms.council import AnswerForm, QuestionForm, ReadingLinkForm
from protocols.models import ProcedureStep, ProtocolVersion, Question, ReadingLink
from protocols.rendering import reader_sections
from schools import access

Status = ProtocolVersion.Status
StepStatus = ProcedureStep.Status


_ADOPTED = [Status.ADOPTED, Status.SUPERSEDED]


def last_adopted(version: ProtocolVersion) -> ProtocolVersion | None:
    """The latest version before `version` that was adopted (and may since be superseded).

    Found once per version object: the procedure and council panels both link to it.
    """
    if "_last_adopted" not in version.__dict__:
        version._last_adopted = (
            version.protocol.versions.filter(status__in=_ADOPTED, number__lt=version.number)
            .order_by("-number")
            .first()
        )
    return version._last_adopted


def note_last_adopted(version: ProtocolVersion, others: list, *, all_others: bool) -> None:
    """Spare `last_adopted` its query when `others` (versions of the same protocol, the newest
    first; every other version when `all_others`) already show which it is."""
    earlier = (v for v in others if v.number < version.number and v.status in _ADOPTED)
    found = next(earlier, None)
    if found or all_others:
        version._last_adopted = found


def _council_steps(request, version: ProtocolVersion) -> list[ProcedureStep]:
    """The version's steps for councils that the user sits on now."""
    seats = {seat.council_id for seat in access.reach(request.user).council_seats}
    if not seats:
        return []
    return list(version.steps.filter(council__in=seats))


def _may_ask(version: ProtocolVersion, steps: list[ProcedureStep]) -> bool:
    """Questions are asked while the procedure runs and before the council has decided."""
    return version.status == Status.IN_PROCEDURE and any(
        step.status in (StepStatus.WAITING, StepStatus.OPEN) for step in steps
    )


def version_context(request, version) -> dict:
    """Extra context for the version page's council panel: questions, asking, reading links."""
    in_procedure = version.status == Status.IN_PROCEDURE
    questions = list(version.questions.select_related("section", "asked_by", "answered_by"))
    if not (in_procedure or questions):
        return {}
    by_section: dict = {}
    for question in questions:
        by_section.setdefault(question.section, []).append(question)
    may_answer = workflow.may_draft(request.user, version)
    context = {
        "council_panel": True,
        # Questions about the whole proposal first, then per section in the text's order.
        "questions_by_section": sorted(
            by_section.items(), key=lambda item: item[0].position if item[0] else 0
        ),
        "may_answer": may_answer,
        "last_adopted_version": last_adopted(version),
    }
    if _may_ask(version, _council_steps(request, version)):
        context["question_form"] = QuestionForm(version=version)
    if may_answer and in_procedure:
        context["reading_link_form"] = ReadingLinkForm()
        context["reading_links"] = list(version.reading_links.order_by("-created_at"))
        context["now"] = timezone.now()
    return context


def _to_questions(version):
    return redirect(version.get_absolute_url() + "#questions")


@require_POST
def question_ask(request, pk):
    """A council member asks a question about the proposal, or about one of its sections."""
    version = get_object_or_404(ProtocolVersion.objects.for_user(request.user), pk=pk)
    steps = _council_steps(request, version)
    if not steps:
        raise Http404("Only members of the version's council ask questions.")
    if not _may_ask(version, steps):
        messages.error(request, _("Questions can be asked until the council has decided."))
        return _to_questions(version)
    form = QuestionForm(request.POST, version=version)
    if not form.is_valid():
        messages.error(request, _("Write your question before sending it."))
        return _to_questions(version)
    question = Question(
        version=version,
        section=form.cleaned_data["section"],
        text=form.cleaned_data["text"].strip(),
        asked_by=request.user,
    )
    question.full_clean()
    question.save()
    transaction.on_commit(lambda: notices.question_asked(question), robust=True)
    messages.success(request, _("Your question has been sent."))
    return _to_questions(version)


@require_POST
def question_answer(request, pk, question_pk):
    """Someone who may draft the protocol answers a council member's question, once."""
    version = get_object_or_404(ProtocolVersion.objects.for_user(request.user, edit=True), pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        get_object_or_404(version.questions, pk=question_pk)
        messages.error(request, _("Write your answer before sending it."))
        return _to_questions(version)
    with transaction.atomic():
        # Locked, so two people answering at once cannot overwrite each other.
        question = get_object_or_404(version.questions.select_for_update(), pk=question_pk)
        if question.answer:
            messages.error(request, _("This question has already been answered."))
            return _to_questions(version)
        question.answer = form.cleaned_data["answer"].strip()
        question.answered_by = request.user
        question.answered_at = timezone.now()
        question.save(update_fields=["answer", "answered_by", "answered_at"])
        transaction.on_commit(lambda: notices.question_answered(question), robust=True)
    messages.success(request, _("Your answer has been sent."))
    return _to_questions(version)


@require_POST
def reading_link_create(request, pk):
    """Mail someone a personal link to read this proposal and its changes until it expires."""
    version = get_object_or_404(ProtocolVersion.objects.for_user(request.user, edit=True), pk=pk)
    if version.status != Status.IN_PROCEDURE:
        messages.error(request, _("Only a proposal in procedure can be shared for reading."))
        return _to_questions(version)
    form = ReadingLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a name, an e-mail address and a number of days (1–90)."))
        return _to_questions(version)
    token = secrets.token_urlsafe(32)
    link = ReadingLink(
        version=version,
        token_hash=ReadingLink.hash(token),
        name=form.cleaned_data["name"].strip(),
        email=form.cleaned_data["email"],
        created_by=request.user,
        expires_at=timezone.now() + timedelta(days=form.cleaned_data["days"]),
    )
    link.full_clean()
    link.save()
    # The token itself goes only into the e-mail; the database keeps its hash.
    transaction.on_commit(lambda: notices.reading_link_sent(link, token=token), robust=True)
    messages.success(
        request, _("A reading link has been sent to %(email)s.") % {"email": link.email}
    )
    return _to_questions(version)


@require_POST
def reading_link_revoke(request, pk, link_pk):
    """Close a reading link before it expires (sent to the wrong address, or no longer needed)."""
    version = get_object_or_404(ProtocolVersion.objects.for_user(request.user, edit=True), pk=pk)
    updated = version.reading_links.filter(pk=link_pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=request.user
    )
    if not updated:
        get_object_or_404(version.reading_links, pk=link_pk)
    messages.success(request, _("The reading link has been revoked."))
    return _to_questions(version)


@login_not_required
@never_cache
def reading_link_read(request, token):
    """A proposal and its changes since the last adopted version, for a link's holder."""
    # The token is the access check: whoever holds a live one reads this version, and this
    # page links to nothing else of the portal.
    link = get_object_or_404(
        ReadingLink.objects.public().for_token(token).select_related("version")
    )
    version = link.version
    school = version.protocol.school
    sections = list(version.sections.filter(school__isnull=True))
    previous = last_adopted(version)
    diff = diff_versions(previous, version) if previous else []
    context = {
        "link": link,
        "version": version,
        "school": school,
        **reader_sections(version, sections),
        "addenda": version.addenda(),
        "procedure": [],
        "previous": previous,
        "diff": diff,
        "words_added": sum(d.words_added for d in diff),
        "words_removed": sum(d.words_removed for d in diff),
    }
    response = render(request, "protocols/council/reading_link_read.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
