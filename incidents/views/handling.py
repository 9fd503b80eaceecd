"""The case file: the list, one incident with its chronology, tasks, measures, checklist,
takedowns and evidence, and one small POST view per action.

Every incident is fetched through its `for_user` queryset; its tasks, measures, takedowns
and attachments only through the incident, so an outsider gets a 404 for each. Who may do what
on a case is the workflow's question: a refusal comes back as a message on the case page.
"""

import weasyprint
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incidents import access, rules, workflow
from incidents.forms.handling import (
    AttachmentForm,
    CloseForm,
    DutyForm,
    EntryForm,
    ExpulsionStepForm,
    LegalHoldForm,
    MeasureForm,
    ReturnPhoneForm,
    RouteForm,
    TakedownForm,
    TakedownUpdateForm,
    TaskForm,
)
from incidents.forms.report import InvolvementForm
from incidents.models import DutyCheck, Incident, Measure
from incidents.views.figures import SCHOOL_FIGURE_ROLES
from incidents.views.report import IMAGE_ROUTES
from protocols.rendering import refuse_network
from schools import access as school_access
from schools import files
from schools.models import Role, School, Stichting

PAGE_SIZE = 25


def _incident(request, pk) -> Incident:
    incidents = Incident.objects.for_user(request.user).select_related(
        "school__stichting", "reported_by", "rule_broken__version__protocol"
    )
    return get_object_or_404(incidents, pk=pk)


def _back(incident: Incident, anchor: str = "") -> HttpResponse:
    return redirect(incident.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


# --- the list ---------------------------------------------------------------------------------


def _report_schools(request) -> list[School]:
    """Where this user can file a report: where they work, their children's and their own."""
    reach = school_access.reach(request.user)
    schools = {s.pk: s for s in School.objects.for_user(request.user)}
    for guardianship in reach.guardianships:
        schools.setdefault(guardianship.pupil.school_id, guardianship.pupil.school)
    if reach.own_pupil:
        schools.setdefault(reach.own_pupil.school_id, reach.own_pupil.school)
    return sorted(schools.values(), key=lambda s: s.name)


def incident_list(request):
    """The incidents this user may see, newest first; filter by status and by school."""
    incidents = Incident.objects.for_user(request.user)
    school = None
    if request.GET.get("school"):
        school = get_object_or_404(
            School.objects.for_user(request.user), slug=request.GET["school"]
        )
        incidents = incidents.filter(school=school)
    status = request.GET.get("status", "")
    if status in Incident.Status.values:
        incidents = incidents.filter(status=status)
    else:
        status = ""
    page = Paginator(
        incidents.select_related("school").prefetch_related("categories").order_by("-created_at"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "incidents/incident_list.html",
        {
            "page": page,
            "status": status,
            "school": school,
            "statuses": Incident.Status.choices,
            "report_schools": _report_schools(request),
            # Where this user may read the figures: their schools, and the board's total.
            "figure_schools": list(
                School.objects.for_user(request.user, roles=SCHOOL_FIGURE_ROLES).order_by("name")
            ),
            "figure_stichtingen": list(
                Stichting.objects.for_user(request.user, roles=[Role.BOARD]).order_by("name")
            ),
        },
    )


# --- one incident -----------------------------------------------------------------------------


def _pupils_involved(incident):
    return incident.school.pupils.filter(incident_involvements__incident=incident).distinct()


def _staff_involved(incident):
    return (
        incident.school.staff.filter(incident_involvements__incident=incident)
        .select_related("user")
        .distinct()
    )


def _handlers(incident: Incident) -> list:
    if incident.to_board:
        return access.board_members(incident.school)
    return access.school_handlers(incident.school, access.HANDLING_ROLES)


def incident_detail(request, pk):
    """One case: what was reported and, for its handlers, the whole file. Logs the read."""
    incident = _incident(request, pk)
    workflow.log_read(incident, request.user)
    user = request.user
    handles = access.may_handle(user, incident)
    manages = access.manages(user, incident)
    today = timezone.localdate()
    context = {
        "incident": incident,
        "handles": handles,
        "manages": manages,
        "categories": list(incident.categories.all()),
        "image_abuse": not workflow.attachments_allowed(incident),
        "image_routes": IMAGE_ROUTES,
        "involvements": list(
            incident.involvements.select_related("pupil__group", "staff__user").order_by("pk")
        ),
        "show_reporter": handles and not incident.hide_reporter_name,
    }
    if handles:
        measures = list(
            incident.measures.select_related("pupil", "staff__user", "decided_by")
            .prefetch_related("expulsion_steps")
            .order_by("starts_on", "pk")
        )
        for measure in measures:
            measure.overdue = measure.kind == Measure.Kind.PHONE and rules.phone_overdue(
                measure.ends_on, measure.returned_at is not None, today
            )
            if measure.kind == Measure.Kind.EXPULSION:
                measure.expulsion = rules.expulsion_state(
                    [(s.step, s.on) for s in measure.expulsion_steps.all()], today
                )
                measure.step_form = ExpulsionStepForm(prefix=f"step-{measure.pk}")
            if measure.kind == Measure.Kind.SUSPENSION and measure.ends_on:
                measure.school_days = rules.school_days(measure.starts_on, measure.ends_on)
        pupils = _pupils_involved(incident)
        duties = list(incident.duties.select_related("recorded_by").order_by("pk"))
        for duty in duties:
            duty.form = DutyForm(
                prefix=f"duty-{duty.duty}",
                initial={
                    "duty": duty.duty,
                    "state": duty.state,
                    "done_on": duty.done_on or today,
                    "reference": duty.reference,
                    "reason": duty.reason,
                },
            )
        takedowns = list(incident.takedowns.order_by("requested_on", "pk"))
        for takedown in takedowns:
            takedown.form = TakedownUpdateForm(instance=takedown, prefix=f"takedown-{takedown.pk}")
        context.update(
            {
                "entries": incident.entries.select_related("author").order_by("at", "pk"),
                "tasks": incident.tasks.select_related("owner").order_by("done_at", "due_on", "pk"),
                "measures": measures,
                "ladder": [(p, workflow.phone_ladder(p, today)) for p in pupils],
                "duties": duties,
                "closing_problems": workflow.closing_problems(incident),
                "takedowns": takedowns,
                "attachments": incident.attachments.select_related("uploaded_by"),
                "routed_to": incident.routed_to.order_by("last_name", "first_name"),
                "entry_form": EntryForm(),
                "person_form": _person_form(request, incident),
                "task_form": TaskForm(
                    owners=incident.routed_to.filter(is_active=True), initial={"owner": user}
                ),
                "measure_form": MeasureForm(
                    pupils=pupils,
                    staff=_staff_involved(incident),
                    initial={"starts_on": today},
                ),
                "return_form": ReturnPhoneForm(),
                "takedown_form": TakedownForm(
                    initial={"requested_on": today, "platform": incident.platform}
                ),
                "attachment_form": AttachmentForm(),
                "route_form": RouteForm(handlers=_handlers(incident)),
                "close_form": CloseForm(),
                "hold_form": LegalHoldForm(
                    initial={"hold": not incident.legal_hold, "reason": incident.legal_hold_reason}
                ),
                "today": today,
            }
        )
    return render(request, "incidents/incident_detail.html", context)


def incident_read_log(request, pk):
    """Who opened this incident when: for the directie (the board for a board case)."""
    incident = _incident(request, pk)
    try:
        reads = workflow.read_log(incident, by=request.user)
    except ValidationError:
        raise Http404 from None
    page = Paginator(reads, 100).get_page(request.GET.get("page"))
    return render(request, "incidents/read_log.html", {"incident": incident, "page": page})


def pupil_incidents(request, pk):
    """A pupil's timeline: every incident this user may see that they were involved in."""
    visible = Incident.objects.for_user(request.user)
    incident = visible.filter(involvements__pupil=pk).first()
    if incident is None:
        raise Http404
    pupil = get_object_or_404(incident.school.pupils.select_related("group", "school"), pk=pk)
    timeline = list(pupil.incident_involvements.timeline_of(pupil).filter(incident__in=visible))
    return render(request, "incidents/pupil_incidents.html", {"pupil": pupil, "timeline": timeline})


# --- actions on a case ------------------------------------------------------------------------


def _person_form(request, incident: Incident, data=None) -> InvolvementForm:
    """Who can be added: the school's pupils and current staff, or a description.

    Only handlers add people (the workflow checks), and they handle the whole school's case
    whether or not they teach the pupils, so the school's pupils are offered.
    """
    today = timezone.localdate()
    pupils = (
        incident.school.pupils.enrolled_on(today)
        .select_related("group")
        .order_by("group__name", "last_name", "first_name")
    )
    staff = (
        incident.school.staff.filter(Q(end_date__isnull=True) | Q(end_date__gt=today))
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    return InvolvementForm(data, pupils=pupils, staff=staff, prefix="person")


@require_POST
def incident_person_add(request, pk):
    """Name someone involved after the report (a public report names nobody, for instance)."""
    incident = _incident(request, pk)
    form = _person_form(request, incident, request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(incident, "people")
    try:
        workflow.add_involvement(incident, by=request.user, person=form.as_person())
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Added to the people involved."))
    return _back(incident, "people")


@require_POST
def incident_entry_add(request, pk):
    incident = _incident(request, pk)
    form = EntryForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(incident, "chronology")
    try:
        workflow.add_entry(
            incident,
            by=request.user,
            text=form.cleaned_data["text"],
            kind=form.cleaned_data["kind"],
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Added to the chronology."))
    return _back(incident, "chronology")


@require_POST
def incident_task_add(request, pk):
    incident = _incident(request, pk)
    form = TaskForm(request.POST, owners=incident.routed_to.filter(is_active=True))
    if not form.is_valid():
        _form_errors(request, form)
        return _back(incident, "tasks")
    try:
        workflow.add_task(incident, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Task added."))
    return _back(incident, "tasks")


@require_POST
def task_complete(request, pk, task_pk):
    incident = _incident(request, pk)
    task = get_object_or_404(incident.tasks, pk=task_pk)
    try:
        workflow.complete_task(task, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Task done."))
    return _back(incident, "tasks")


@require_POST
def incident_measure_add(request, pk):
    incident = _incident(request, pk)
    form = MeasureForm(
        request.POST, pupils=_pupils_involved(incident), staff=_staff_involved(incident)
    )
    if not form.is_valid():
        _form_errors(request, form)
        return _back(incident, "measures")
    try:
        measure = workflow.add_measure(incident, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Measure recorded: %(measure)s.") % {"measure": measure})
        if measure.kind == Measure.Kind.SUSPENSION and rules.suspension_needs_inspectie(
            measure.starts_on, measure.ends_on
        ):
            messages.warning(
                request,
                _("A suspension of more than one day: tell the Inspectie in writing."),
            )
    return _back(incident, "measures")


@require_POST
def measure_phone_return(request, pk, measure_pk):
    incident = _incident(request, pk)
    measure = get_object_or_404(incident.measures, pk=measure_pk)
    form = ReturnPhoneForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(incident, "measures")
    try:
        workflow.return_phone(measure, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The phone has been returned."))
    return _back(incident, "measures")


@require_POST
def measure_expulsion_step(request, pk, measure_pk):
    incident = _incident(request, pk)
    measure = get_object_or_404(incident.measures, pk=measure_pk)
    form = ExpulsionStepForm(request.POST, prefix=f"step-{measure.pk}")
    if not form.is_valid():
        _form_errors(request, form)
        return _back(incident, "measures")
    try:
        workflow.record_expulsion_step(measure, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Step recorded."))
    return _back(incident, "measures")


def incident_suspension_letter(request, pk, measure_pk):
    """The letter to the parents about a schorsing, with the reasons and how to object (PDF)."""
    incident = _incident(request, pk)
    if not access.may_handle(request.user, incident):
        raise Http404
    measure = get_object_or_404(
        incident.measures.select_related("pupil", "decided_by"),
        pk=measure_pk,
        kind=Measure.Kind.SUSPENSION,
    )
    context = {
        "incident": incident,
        "measure": measure,
        "school_days": rules.school_days(measure.starts_on, measure.ends_on),
        "inspectie": rules.suspension_needs_inspectie(measure.starts_on, measure.ends_on),
        "today": timezone.localdate(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("incidents/pdf/suspension_letter.html", context)
    pdf = weasyprint.HTML(string=html, base_url=None, url_fetcher=refuse_network).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"schorsing-{incident.pk}-{measure.starts_on:%Y%m%d}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@require_POST
def incident_duty_set(request, pk):
    incident = _incident(request, pk)
    duty = request.POST.get("duty", "")
    if duty not in DutyCheck.Duty.values:
        raise Http404
    form = DutyForm(request.POST, prefix=f"duty-{duty}")
    if not form.is_valid():
        _form_errors(request, form)
        return _back(incident, "duties")
    data = form.cleaned_data
    try:
        workflow.set_duty(
            incident,
            by=request.user,
            duty=data["duty"],
            state=data["state"],
            done_on=data["done_on"],
            reference=data["reference"],
            reason=data["reason"],
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Checklist updated."))
    return _back(incident, "duties")


@require_POST
def incident_finish(request, pk):
    incident = _incident(request, pk)
    try:
        workflow.finish_handling(incident, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Handling finished: the checklist is what is left."))
    return _back(incident)


@require_POST
def incident_close(request, pk):
    incident = _incident(request, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(incident, "close")
    try:
        workflow.close(incident, by=request.user, evaluation=form.cleaned_data["evaluation"])
    except ValidationError as error:
        if not hasattr(error, "message"):  # the list of what is missing
            messages.error(request, _("The incident cannot be closed yet."))
        _refused(request, error)
    else:
        messages.success(request, _("The incident has been closed."))
    return _back(incident, "close")


@require_POST
def incident_legal_hold(request, pk):
    incident = _incident(request, pk)
    form = LegalHoldForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(incident, "legal-hold")
    try:
        workflow.set_legal_hold(incident, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
    else:
        if form.cleaned_data["hold"]:
            messages.success(request, _("Legal hold set: this incident is not deleted."))
        else:
            messages.success(request, _("Legal hold lifted."))
    return _back(incident, "legal-hold")


@require_POST
def incident_route(request, pk):
    incident = _incident(request, pk)
    form = RouteForm(request.POST, handlers=_handlers(incident))
    if not form.is_valid():
        _form_errors(request, form)
        return _back(incident, "routing")
    try:
        workflow.route(incident, by=request.user, to=list(form.cleaned_data["to"]))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The incident has been routed."))
    return _back(incident, "routing")


@require_POST
def incident_takedown_add(request, pk):
    incident = _incident(request, pk)
    form = TakedownForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(incident, "takedowns")
    try:
        workflow.add_takedown(incident, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Takedown request added."))
    return _back(incident, "takedowns")


@require_POST
def takedown_update(request, pk, takedown_pk):
    incident = _incident(request, pk)
    takedown = get_object_or_404(incident.takedowns, pk=takedown_pk)
    form = TakedownUpdateForm(request.POST, prefix=f"takedown-{takedown.pk}")
    if not form.is_valid():
        _form_errors(request, form)
        return _back(incident, "takedowns")
    try:
        workflow.update_takedown(takedown, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Takedown request updated."))
    return _back(incident, "takedowns")


@require_POST
def incident_attachment_add(request, pk):
    incident = _incident(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(incident, "attachments")
    try:
        workflow.add_attachment(
            incident,
            by=request.user,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("File added."))
    return _back(incident, "attachments")


def incident_attachment(request, pk, attachment_pk):
    """Download evidence: only for those who handle the case, never from a public URL."""
    incident = _incident(request, pk)
    if not access.may_handle(request.user, incident):
        raise Http404
    attachment = get_object_or_404(incident.attachments, pk=attachment_pk)
    return files.serve(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )
