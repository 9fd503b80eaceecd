from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from protocols import drafts, importer, pdf, record, tasks, workflow
from protocols.diff import diff_versions
from protocols.forms.versions import (
    ImportReviewForm,
    ImportUploadForm,
    SectionFormSet,
    VersionEditForm,
    add_posted_footnote,
    move_section,
)
from protocols.models import Protocol, ProtocolVersion, has_adopted_protocol
from protocols.rendering import download_name, reader_sections, render_body
from protocols.views import council as views_council
from protocols.views import procedure as views_procedure
from protocols.views import record as views_record
from protocols.views.pending import pdf_pending
from schools import access, files, panels
from schools.models import Role, School, Stichting

# The public index lists schools a page at a time: a platform can hold thousands. A parent
# searches for their school; 25 is a page a phone scrolls through without getting lost.
PUBLIC_PAGE_SIZE = 25
# The version page lists this many other versions of the protocol, the newest first.
OTHER_VERSIONS_SHOWN = 5


def _school_view(version: ProtocolVersion, school: School | None) -> dict:
    """What a reader sees of `version`: board text, then the school's addendum."""
    sections = list(version.sections.select_related("school"))
    return {
        "version": version,
        "school": school,
        "sections": sections,
        **reader_sections(version, sections, school),
        "procedure": record.trail_rows(version, sections=sections),
    }


@login_not_required
def public_index(request):
    """The schools that have an adopted protocol, so a parent can find their own.

    Searchable by the school's name and place (every word must match one of them), a page of
    PUBLIC_PAGE_SIZE at a time, and marked where the protocol's evaluation is overdue.
    """
    query = " ".join(request.GET.get("q", "").split())[:100]
    schools = (
        School.objects.public()
        .filter(has_adopted_protocol())
        .annotate(evaluation_overdue=has_adopted_protocol(evaluation_date__lt=timezone.localdate()))
        .select_related("stichting")
        .order_by("name", "pk")
    )
    for word in query.split():
        schools = schools.filter(Q(name__icontains=word) | Q(city__icontains=word))
    page = Paginator(schools, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "protocols/public_index.html",
        {"page": page, "schools": page.object_list, "query": query},
    )


def _in_force(versions: list[ProtocolVersion]) -> tuple[list, dict]:
    """The versions in force today, and {shown pk: adopted version waiting for its date}.

    A version adopted with a later in-force date leaves the one adopted before it in force
    until that date; a protocol without an earlier version shows the new one at once.
    """
    Status = ProtocolVersion.Status
    shown, upcoming = [], {}
    for version in versions:
        if version.status != Status.ADOPTED:
            continue
        earlier = [
            v
            for v in versions
            if v.protocol_id == version.protocol_id
            and v.status == Status.SUPERSEDED
            and v.number < version.number
        ]
        if version.in_force_later and earlier:
            current = max(earlier, key=lambda v: v.number)
            shown.append(current)
            upcoming[current.pk] = version
        else:
            shown.append(version)
    return shown, upcoming


@login_not_required
def public_school(request, slug, pk=None):
    """The adopted protocol(s) of a school: the page the schoolgids links to."""
    school = get_object_or_404(School.objects.public().select_related("stichting"), slug=slug)
    versions = ProtocolVersion.objects.public().applying_to(school).select_related("protocol")
    upcoming = {}
    if pk is not None:
        shown = [get_object_or_404(versions, pk=pk)]
    else:
        shown, upcoming = _in_force(list(versions))
    documents = []
    for version in shown:
        document = _school_view(version, school)
        document["upcoming"] = upcoming.get(version.pk)
        documents.append(document)
    context = {
        "school": school,
        "documents": documents,
        "older": [v for v in versions if v not in shown],
    }
    return render(request, "protocols/public_school.html", context)


@login_not_required
def public_pdf(request, slug, pk=None):
    """The stored PDF of the school's adopted protocol (or of one older adopted version)."""
    school = get_object_or_404(School.objects.public(), slug=slug)
    versions = ProtocolVersion.objects.public().applying_to(school).select_related("protocol")
    if pk is not None:
        version = get_object_or_404(versions, pk=pk)
    else:
        shown, _upcoming = _in_force(list(versions))
        if not shown:
            raise Http404("No adopted protocol.")
        version = shown[0]
    stored = pdf.find_stored_pdf(version, school=school)
    if stored is None and "wacht" not in request.GET:
        # Stored after the adoption by a task; one that has not run yet is asked again here.
        tasks.store_adopted_pdfs.enqueue(version.pk)
        stored = pdf.find_stored_pdf(version, school=school)  # the immediate backend made it
    if stored is None:
        title = f"{version.protocol.title}, {school.name}"
        back = reverse("protocols:public_school", args=[school.slug])
        return pdf_pending(request, title=title, again="?wacht=1", back=back)
    filename = download_name(version.protocol.title, school.name, f"versie {version.number}.pdf")
    return files.serve(stored.file, filename=filename, content_type="application/pdf", public=True)


def protocol_list(request):
    """The protocols of the user's schools and councils, with their versions."""
    protocols = (
        Protocol.objects.for_user(request.user)
        .select_related("stichting", "school")
        .prefetch_related("versions")
    )
    context = {
        "protocols": protocols,
        "can_import": School.objects.for_user(request.user, roles=access.EDITING_ROLES).exists(),
        "board_of": Stichting.objects.for_user(request.user, roles=[Role.BOARD]),
    }
    return render(request, "protocols/protocol_list.html", context)


def version_detail(request, pk):
    version = get_object_or_404(
        ProtocolVersion.objects.for_user(request.user).select_related(
            "protocol__stichting", "protocol__school", "created_by"
        ),
        pk=pk,
    )
    context = _school_view(version, version.protocol.school)
    # The newest few; all of them are in the decision log, which a long history points to.
    others = list(
        version.protocol.versions.exclude(pk=version.pk).order_by("-number")[
            : OTHER_VERSIONS_SHOWN + 1
        ]
    )
    context["other_versions"] = others[:OTHER_VERSIONS_SHOWN]
    context["more_versions"] = len(others) > OTHER_VERSIONS_SHOWN
    views_council.note_last_adopted(version, others, all_others=not context["more_versions"])
    context["can_edit"] = workflow.may_draft(request.user, version)
    context["addenda"] = version.addenda(context["sections"])
    for panel in (views_procedure, views_council, views_record):
        context.update(panel.version_context(request, version))
    # What other apps show beside the version (incidents: the figures since it took effect).
    context["extra_panels"] = panels.render_panels("PORTAL_VERSION_PANELS", request, version)
    context["addendum_schools"] = (
        School.objects.for_user(request.user, roles=access.EDITING_ROLES).filter(
            pk__in=version.protocol.schools_covered()
        )
        if version.protocol.is_board_wide and version.is_editable
        else []
    )
    return render(request, "protocols/version_detail.html", context)


def version_diff(request, pk, other_pk):
    """What changed from version `other_pk` to version `pk`: the first thing a council reads."""
    versions = ProtocolVersion.objects.for_user(request.user).select_related("protocol")
    version = get_object_or_404(versions, pk=pk)
    other = get_object_or_404(versions.filter(protocol=version.protocol_id), pk=other_pk)
    diff = diff_versions(other, version)
    context = {
        "version": version,
        "other": other,
        "diff": diff,
        "words_added": sum(d.words_added for d in diff),
        "words_removed": sum(d.words_removed for d in diff),
        "versions": version.protocol.versions.exclude(pk=version.pk),
    }
    return render(request, "protocols/version_diff.html", context)


def _target(user, value: str) -> tuple[Stichting, School | None]:
    """Resolve an import target chosen in a form ("stichting:ID" or "school:ID")."""
    kind, _sep, pk = value.partition(":")
    schools = School.objects.for_user(user, roles=access.EDITING_ROLES).select_related("stichting")
    if kind == "school":
        school = get_object_or_404(schools, pk=pk)
        return school.stichting, school
    school = get_object_or_404(schools.filter(stichting=pk)[:1])
    return school.stichting, None


def protocol_import(request):
    """Upload a .docx or .txt, check the detected sections beside the source, then save."""
    if request.method == "POST" and request.POST.get("step") == "review":
        return _import_save(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if not form.fields["target"].choices:
        raise Http404("No school where this user may draft protocols.")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            result = importer.import_file(upload.name, data)
        except importer.ImportRefused as error:
            message = _(error.message)
            form.add_error("file", message % error.params if error.params else message)
        else:
            return _import_review(
                request,
                review=ImportReviewForm(
                    initial={
                        "target": form.cleaned_data["target"],
                        "source_name": upload.name,
                        "title": form.cleaned_data["title"] or result.title,
                        "procedure": signing.dumps(
                            [
                                [r.step, r.outcome, r.date and r.date.isoformat(), r.text]
                                for r in result.procedure
                            ]
                        ),
                    },
                    user=request.user,
                ),
                formset=SectionFormSet(
                    initial=[
                        {
                            "heading": s.heading,
                            "audience": drafts.AUDIENCE_OF_IMPORT.get(s.audience, ""),
                            "body": s.body,
                            "ORDER": number,
                        }
                        for number, s in enumerate(result.sections, start=1)
                    ]
                ),
                source=importer.source_text(upload.name, data),
                procedure=result.procedure,
            )
    return render(request, "protocols/protocol_import.html", {"form": form})


def _import_review(request, *, review, formset, source, procedure):
    context = {"review": review, "formset": formset, "source": source, "procedure": procedure}
    return render(request, "protocols/protocol_import_review.html", context)


def _import_save(request):
    review = ImportReviewForm(request.POST, user=request.user)
    formset = SectionFormSet(request.POST)
    if review.is_valid() and formset.is_valid():
        stichting, school = _target(request.user, review.cleaned_data["target"])
        result = importer.ImportResult(
            title=review.cleaned_data["title"],
            sections=[],
            procedure=[
                importer.ProcedureRecord(
                    text=text,
                    step=step,
                    date=date.fromisoformat(day) if day else None,
                    outcome=outcome,
                )
                for step, outcome, day, text in review.cleaned_data["procedure"]
            ],
        )
        try:
            version = drafts.save_import(
                result=result,
                sections=formset.sections(),
                stichting=stichting,
                school=school,
                by=request.user,
                source_name=review.cleaned_data["source_name"],
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The protocol has been saved as a draft."))
            return redirect(version)
    return _import_review(
        request,
        review=review,
        formset=formset,
        source=request.POST.get("source", ""),
        procedure=[],
    )


def version_edit(request, pk, slug=None):
    """Edit a draft's sections (text, order, added and removed), or a school's addendum."""
    version = get_object_or_404(
        ProtocolVersion.objects.for_user(request.user, edit=True).select_related("protocol"),
        pk=pk,
    )
    school = None
    if slug is not None:
        # A school adds its own sections to a board-wide protocol that applies to it.
        if not version.protocol.is_board_wide:
            raise Http404("A school's own protocol has no addendum.")
        school = get_object_or_404(
            School.objects.for_user(request.user, roles=access.EDITING_ROLES).filter(
                pk__in=version.protocol.schools_covered()
            ),
            slug=slug,
        )
    if not version.is_editable:
        messages.error(request, _("Only a draft can be edited; make a new draft from it."))
        return redirect(version)
    data = request.POST or None
    if data is not None and ("move" in data or "footnote" in data):
        # Moving a section or adding a note rearranges the form, it does not save: so the
        # buttons work without JavaScript and the draft is saved once, with the save button.
        focus = ""
        if "move" in data:
            data, moved_to = move_section(data, data["move"])
            if moved_to is not None:
                focus = f"{moved_to}:{data['move'].partition(':')[2]}"
        else:
            data = add_posted_footnote(data, data["footnote"])
            focus = f"note:{data['footnote']}"
        context = {
            "version": version,
            "school": school,
            "edit": VersionEditForm(data, version=version),
            "formset": SectionFormSet(data),
            "focus": focus,
        }
        return render(request, "protocols/version_form.html", context)
    scope = school.pk if school else None
    sections = [s for s in version.sections.all() if s.school_id == scope]
    edit = VersionEditForm(data, version=version)
    formset = SectionFormSet(
        data,
        initial=[
            {"heading": s.heading, "audience": s.audience, "body": s.body, "ORDER": number}
            for number, s in enumerate(sections, start=1)
        ],
    )
    if edit.is_valid() and formset.is_valid():
        try:
            drafts.save_sections(
                version,
                sections=formset.sections(),
                loaded_at=edit.cleaned_data["loaded_at"],
                by=request.user,
                school=school,
            )
        except ValidationError as error:
            # The editor's text stays in the form: nothing typed is lost.
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The draft has been saved."))
            return redirect(version)
    if edit.errors:
        # The hidden field has no place to show its error: say it above the form.
        messages.error(request, edit.errors["loaded_at"][0])
    context = {"version": version, "school": school, "edit": edit, "formset": formset}
    return render(request, "protocols/version_form.html", context)


def version_new_draft(request, pk):
    """Start a new draft from this version, after asking; the version itself stays as it is."""
    version = get_object_or_404(ProtocolVersion.objects.for_user(request.user, edit=True), pk=pk)
    if request.method != "POST":
        return render(
            request,
            "protocols/version_confirm.html",
            {
                "version": version,
                "heading": _("Make a new draft from version %(number)s?")
                % {"number": version.number},
                "explanation": _(
                    "The new draft starts with the text of this version. This version stays "
                    "as it is. A protocol has one draft at a time."
                ),
                "button": _("Make the new draft"),
                "button_class": "btn-primary",
            },
        )
    try:
        draft = drafts.new_draft(version, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(version)
    messages.success(request, _("A new draft has been made; edit it here."))
    return redirect("protocols:version_edit", pk=draft.pk)


def version_discard(request, pk):
    """Throw away a draft, after asking."""
    version = get_object_or_404(ProtocolVersion.objects.for_user(request.user, edit=True), pk=pk)
    if not version.is_editable:
        raise Http404
    if request.method != "POST":
        return render(
            request,
            "protocols/version_confirm.html",
            {
                "version": version,
                "heading": _("Discard draft version %(number)s?") % {"number": version.number},
                "explanation": _(
                    "The draft and its changes are thrown away. Earlier versions stay as they are."
                ),
                "button": _("Discard the draft"),
                "button_class": "btn-danger",
            },
        )
    try:
        workflow.discard(version, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(version)
    messages.success(request, _("The draft has been discarded."))
    return redirect("protocols:protocol_list")


@require_POST
def section_preview(request):
    """The rendered text of a section body, for the live preview while editing."""
    return HttpResponse(render_body(request.POST.get("body", "")[:100_000], prefix="preview"))


def version_diff_pdf(request, pk, other_pk):
    """The changes as a PDF appendix, for council members who read on paper."""
    versions = ProtocolVersion.objects.for_user(request.user).select_related("protocol__stichting")
    version = get_object_or_404(versions, pk=pk)
    other = get_object_or_404(versions.filter(protocol=version.protocol_id), pk=other_pk)
    data = pdf.render_diff_pdf(other, version)
    filename = download_name(
        version.protocol.title, f"wijzigingen versie {other.number} naar {version.number}.pdf"
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
