"""Views of the record: the decision log (besluitenlijst) and staff confirming they have read
an adopted version."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from protocols import acknowledgements as reading
from protocols import pdf, record, tasks
from protocols.diff import diff_versions
from protocols.models import Protocol, ProtocolVersion
from protocols.rendering import download_name, reader_sections
from protocols.views.pending import pdf_pending
from schools import access, exports, files
from schools.models import School

# A board sees the confirmations of its schools a page of schools at a time.
ACKNOWLEDGEMENT_SCHOOLS_PER_PAGE = 10
# The decision log on screen: a page of versions, each with its steps.
DECISION_LOG_VERSIONS_PER_PAGE = 10


def version_context(request, version) -> dict:
    """Extra context for the version page's record panel: at most one query beyond the trail."""
    context = {"record_problems": record.trail_problems(version), "acknowledgement_counts": None}
    if not version.is_final:
        return context
    protocol = version.protocol
    managed = []
    if not version.is_editorial:
        managed = protocol.covered_among(
            access.school_ids_of_stichting(
                request.user, protocol.stichting_id, access.MANAGING_ROLES
            )
        )
    # Only staff are asked to confirm reading (acknowledgements.request).
    asking = request.user if access.reach(request.user).staff_positions else None
    if managed or asking:
        counts = reading.counts(version, schools=managed, asking=asking)
        context["acknowledgement_counts"] = counts if managed else None
        context["acknowledgement_pending"] = bool(counts["asking_pending"])
    return context


def _protocol(request, pk) -> Protocol:
    return get_object_or_404(
        Protocol.objects.for_user(request.user).select_related("stichting", "school"), pk=pk
    )


def decision_log(request, pk):
    """The besluitenlijst of a protocol: every version's procedure, dates and problems, the
    newest first and a page of versions at a time (the PDF and CSV hold them all)."""
    protocol = _protocol(request, pk)
    versions = record.logged_versions(protocol).order_by("-number")
    page = Paginator(versions, DECISION_LOG_VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "protocol": protocol,
        "log": record.decision_log(protocol, page.object_list),
        "page": page,
    }
    return render(request, "protocols/record/decision_log.html", context)


def decision_log_csv(request, pk):
    protocol = _protocol(request, pk)
    header, rows = record.log_csv(protocol)
    return exports.csv_response(download_name(protocol.title, "besluitenlijst.csv"), header, rows)


def decision_log_pdf(request, pk):
    """The decision log as a PDF: the stored one when the log has not changed since, else a
    page that says it is being made and looks again until the worker has stored it."""
    protocol = _protocol(request, pk)
    state = record.log_state(protocol)
    stored = pdf.stored_log_pdf(protocol, state)
    if stored is None and request.GET.get("wacht") != state:
        # Asked once per state of the log; the page below comes back with `wacht` set.
        tasks.store_decision_log_pdf.enqueue(protocol.pk)
        stored = pdf.stored_log_pdf(protocol, state)  # the immediate backend made it already
    if stored is None:
        title = _("Decision log") + f": {protocol.title}"
        back = reverse("protocols:decision_log", args=[protocol.pk])
        return pdf_pending(request, title=title, again=f"?wacht={state}", back=back)
    return files.serve(
        stored.file,
        filename=download_name(protocol.title, "besluitenlijst.pdf"),
        content_type="application/pdf",
    )


def acknowledgement_confirm(request, pk):
    """A staff member reads the version and confirms "gelezen en begrepen"."""
    version = get_object_or_404(
        ProtocolVersion.objects.for_user(request.user).select_related(
            "protocol__stichting", "protocol__school"
        ),
        pk=pk,
    )
    mine = list(version.acknowledgements.filter(user=request.user).select_related("school"))
    if not mine:
        raise Http404("Not asked to confirm this version.")
    if request.method == "POST":
        reading.confirm(version, request.user)
        messages.success(request, _("Thank you: you have confirmed reading this protocol."))
        return redirect("protocols:acknowledgement_confirm", pk=version.pk)
    school = mine[0].school
    text = reader_sections(version, list(version.sections.all()), school)
    context = {
        "version": version,
        "school": school,
        **text,
        "procedure": record.trail_rows(version, sections=text["board_sections"]),
        "confirmed_at": min((a.confirmed_at for a in mine if a.confirmed_at), default=None),
    }
    # What changed since the version this person last confirmed, so they know what to read.
    previous = reading.last_confirmed(version, request.user)
    if previous:
        diff = diff_versions(previous, version)
        context.update(
            previous=previous,
            diff=[d for d in diff if d.kind != "unchanged" or d.moved],
            words_added=sum(d.words_added for d in diff),
            words_removed=sum(d.words_removed for d in diff),
        )
    return render(request, "protocols/record/acknowledgement_confirm.html", context)


def _managed_schools(request, version):
    return School.objects.for_user(request.user, roles=access.MANAGING_ROLES).filter(
        pk__in=version.protocol.schools_covered()
    )


def acknowledgement_overview(request, pk):
    """For the director and the board: per school, who has and has not confirmed reading.

    A board sees its schools a page at a time (ACKNOWLEDGEMENT_SCHOOLS_PER_PAGE), with the
    totals over all of them above.
    """
    version = get_object_or_404(
        ProtocolVersion.objects.for_user(request.user).select_related("protocol__stichting"),
        pk=pk,
    )
    schools = _managed_schools(request, version).order_by("name", "pk")
    page = Paginator(schools, ACKNOWLEDGEMENT_SCHOOLS_PER_PAGE).get_page(request.GET.get("page"))
    if not version.is_final or not page.object_list:
        raise Http404("Not a director or board member of a school this version applies to.")
    context = {
        "version": version,
        "schools": reading.overview(version, schools=page.object_list),
        "page": page,
        "totals": reading.counts(version, schools=schools),
    }
    return render(request, "protocols/record/acknowledgement_overview.html", context)


@require_POST
def acknowledgement_remind(request, pk, slug):
    """E-mail a reminder to the staff of one school who have not confirmed yet."""
    version = get_object_or_404(ProtocolVersion.objects.for_user(request.user), pk=pk)
    school = get_object_or_404(_managed_schools(request, version), slug=slug)
    try:
        sent = reading.remind(version, school, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if sent:
            messages.success(
                request,
                ngettext(
                    "A reminder has been sent to %(count)d staff member of %(school)s.",
                    "A reminder has been sent to %(count)d staff members of %(school)s.",
                    sent,
                )
                % {"count": sent, "school": school.name},
            )
        else:
            messages.info(request, _("Everybody at this school has confirmed; nobody to remind."))
    return redirect("protocols:acknowledgement_overview", pk=version.pk)
