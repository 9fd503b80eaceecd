"""The school's side of consent: who may be shown (on screen and for the photographer), the
publication check, coverage for the director and the board, inzage, and takedowns.

Everything is fetched through `for_user`; the states come from `consent.ledger`, derived from
the ledger in a fixed number of queries whatever the number of pupils.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consent import ledger, rules
from consent.forms.own import ChoicesForm
from consent.forms.school import PaperFormForm, PublishCheckForm
from consent.models import ActivityRequest, Channel, Purpose, TakedownTask
from consent.pdf import render_pdf
from consent.rules import State
from schools import access
from schools.exports import csv_response
from schools.models import ClassGroup, Pupil, Role, School, Staff, Stichting

# Activity requests stay in a group's list a while after their date, for the photos after.
ACTIVITY_DAYS_AFTER = 60


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- who may be shown, per group --------------------------------------------------------------


def _group_list(request, pk) -> dict:
    """The pupils of a group who may and may not be shown for one purpose or activity."""
    group = get_object_or_404(
        ClassGroup.objects.for_user(request.user).select_related("school__stichting"), pk=pk
    )
    day = timezone.localdate()
    purposes = list(
        Purpose.objects.for_user(request.user).for_school(
            group.school, audience=Purpose.Audience.PUPILS
        )
    )
    activities = list(
        ActivityRequest.objects.for_user(request.user)
        .filter(school=group.school, deadline__gte=day - timedelta(days=ACTIVITY_DAYS_AFTER))
        .filter(Q(groups=group) | Q(pupils__group=group))
        .distinct()
        .order_by("deadline", "pk")
    )
    pupils = Pupil.objects.for_user(request.user).filter(group=group).enrolled_on(day)
    purpose = activity = None
    if request.GET.get("activity"):
        activity = next((a for a in activities if str(a.pk) == request.GET["activity"]), None)
        if activity is None:
            raise Http404
        answers = ledger.activity_answers(activity, day)
        asked = [p for p in pupils if p.pk in answers]
        states = {p.pk: answers[p.pk] for p in asked}
    else:
        wanted = request.GET.get("purpose")
        purpose = next((p for p in purposes if str(p.pk) == wanted), None) if wanted else None
        if wanted and purpose is None:
            raise Http404
        purpose = purpose or (purposes[0] if purposes else None)
        asked = list(pupils)
        found = ledger.states_for_pupils(pupils, [purpose], day) if purpose else {}
        states = {p.pk: found[(p.pk, purpose.pk)] for p in asked} if purpose else {}
    rows = [(pupil, states[pupil.pk]) for pupil in asked] if states else []
    return {
        "group": group,
        "purposes": purposes,
        "activities": activities,
        "purpose": purpose,
        "activity": activity,
        "shown": [pupil for pupil, state in rows if state.allows],
        "not_shown": [(pupil, state) for pupil, state in rows if not state.allows],
        "day": day,
    }


def group_consent(request, pk):
    """Who may be shown in a group for a purpose or an activity: a teacher's daily check."""
    return render(request, "consent/group_consent.html", _group_list(request, pk))


def group_consent_pdf(request, pk):
    """The same list as a PDF for the photographer, without dates of birth or reasons."""
    context = _group_list(request, pk)
    what = context["activity"].title if context["activity"] else context["purpose"]
    if what is None:
        raise Http404
    pdf = render_pdf("consent/pdf/group_consent.html", {**context, "what": what})
    name = f"{slugify(context['group'].name)}-{slugify(str(what))}-{context['day']:%Y%m%d}.pdf"
    return _pdf_response(pdf, name)


# --- mag ik dit publiceren? -------------------------------------------------------------------


def publish_check(request, slug):
    """Before posting: pick the purpose and the pupils in the picture, get a verdict (rule 27)."""
    school = get_object_or_404(School.objects.for_user(request.user), slug=slug)
    day = timezone.localdate()
    pupils = (
        Pupil.objects.for_user(request.user)
        .filter(school=school)
        .enrolled_on(day)
        .select_related("group")
        .order_by("group__name", "last_name", "first_name")
    )
    groups = ClassGroup.objects.for_user(request.user).filter(pk__in=pupils.values("group"))
    group = None
    if request.GET.get("group"):
        group = get_object_or_404(
            groups, pk=request.GET["group"] if request.GET["group"].isdigit() else 0
        )
        pupils = pupils.filter(group=group)
    purposes = (
        Purpose.objects.for_user(request.user)
        .for_school(school, audience=Purpose.Audience.PUPILS)
        .filter(kind=Purpose.Kind.IMAGE)
    )
    form = PublishCheckForm(
        request.GET if "pupils" in request.GET or "purpose" in request.GET else None,
        purposes=purposes,
        pupils=pupils,
    )
    verdict = None
    if form.is_bound and form.is_valid():
        purpose = form.cleaned_data["purpose"]
        chosen = form.cleaned_data["pupils"]
        hidden = {p.pk for p in form.cleaned_data["unrecognisable"]}
        _all_allowed, states = ledger.may_publish(chosen, purpose, day)
        rows = [{"pupil": p, "state": states[p.pk], "hidden": p.pk in hidden} for p in chosen]
        blocking = [r for r in rows if not r["state"].allows and not r["hidden"]]
        verdict = {"purpose": purpose, "rows": rows, "allowed": not blocking, "blocking": blocking}
    return render(
        request,
        "consent/publish_check.html",
        {"school": school, "form": form, "verdict": verdict, "groups": groups, "group": group},
    )


# --- coverage ---------------------------------------------------------------------------------


def _coverage_row(purpose: Purpose, counts: dict | None) -> dict:
    counts = counts or {state: 0 for state in State}
    total = sum(counts.values())
    parts = [
        {
            "state": state,
            "count": counts[state],
            "percent": round(100 * counts[state] / total) if total else 0,
            # Where the bar's part starts, for the SVG chart (no inline styles).
            "offset": 0,
        }
        for state in (State.JA, State.NEE, State.DISAGREEMENT, State.UNANSWERED)
    ]
    start = 0.0
    for part in parts:
        part["offset"] = round(start, 2)
        part["width"] = round(100 * part["count"] / total, 2) if total else 0
        start += part["width"]
    return {"purpose": purpose, "total": total, "parts": parts}


def coverage(request, slug):
    """Per purpose: how many pupils said ja, nee, disagree or have not answered (table + chart)."""
    school = get_object_or_404(
        School.objects.for_user(request.user, roles=access.MANAGING_ROLES), slug=slug
    )
    day = timezone.localdate()
    purposes = list(
        Purpose.objects.for_user(request.user).for_school(school, audience=Purpose.Audience.PUPILS)
    )
    found = ledger.coverage(school, day)
    rows = [_coverage_row(p, found.get((school.pk, p.pk))) for p in purposes]
    open_takedowns = TakedownTask.objects.for_user(request.user).filter(school=school).open()
    return render(
        request,
        "consent/coverage.html",
        {
            "school": school,
            "rows": rows,
            "states": [State.JA, State.NEE, State.DISAGREEMENT, State.UNANSWERED],
            "open_takedowns": open_takedowns.count(),
            "day": day,
        },
    )


def board_coverage(request, slug):
    """The board across its schools: per school and purpose, the share that may be shown."""
    stichting = get_object_or_404(
        Stichting.objects.for_user(request.user, roles=[Role.BOARD]), slug=slug
    )
    day = timezone.localdate()
    schools = list(School.objects.for_user(request.user).filter(stichting=stichting))
    purposes = [
        p
        for p in Purpose.objects.for_user(request.user).filter(
            stichting=stichting, school__isnull=True, active=True
        )
        if p.audience in (Purpose.Audience.PUPILS, Purpose.Audience.BOTH)
    ]
    found = ledger.coverage([s.pk for s in schools], day)
    table = [
        {
            "school": school,
            "cells": [_coverage_row(p, found.get((school.pk, p.pk))) for p in purposes],
        }
        for school in schools
    ]
    return render(
        request,
        "consent/board_coverage.html",
        {"stichting": stichting, "purposes": purposes, "table": table, "day": day},
    )


def refusal_list(request, slug, purpose_pk):
    """Who may not be shown for a purpose, by name (seed 004: keep their data off the website)."""
    school = get_object_or_404(
        School.objects.for_user(request.user, roles=access.MANAGING_ROLES), slug=slug
    )
    purpose = get_object_or_404(
        Purpose.objects.for_user(request.user).for_school(school), pk=purpose_pk
    )
    day = timezone.localdate()
    refused = ledger.refusals(school, purpose, day)
    if request.GET.get("download") == "csv":
        return csv_response(
            f"{slugify(school.name)}-{slugify(purpose.name)}-{day:%Y%m%d}.csv",
            [_("Pupil"), _("Group"), _("State")],
            [(p.full_name, p.group.name if p.group else "", s.label) for p, s in refused],
        )
    return render(
        request,
        "consent/refusal_list.html",
        {"school": school, "purpose": purpose, "refused": refused, "day": day},
    )


# --- inzage -----------------------------------------------------------------------------------


def _history_rows(events) -> tuple[list, list]:
    """The events as rows, and each text version shown once, in order of first use."""
    rows, versions = [], {}
    for event in events:
        versions.setdefault(event.purpose_version_id, event.purpose_version)
        rows.append(event)
    return rows, list(versions.values())


def _history(request, subject, fmt: str, name: str, url_name: str, may_enter_paper=False):
    events, versions = _history_rows(ledger.history(subject))
    day = timezone.localdate()
    if fmt == "csv":
        return csv_response(
            f"inzage-{slugify(name)}-{day:%Y%m%d}.csv",
            [
                _("Date and time"),
                _("Purpose"),
                _("Text version"),
                _("Choice"),
                _("Given by"),
                _("Capacity"),
                _("Entered by"),
                _("Channel"),
                _("Note"),
            ],
            [
                (
                    date_format(timezone.localtime(e.created_at), "SHORT_DATETIME_FORMAT"),
                    e.purpose.name,
                    e.purpose_version.number,
                    _("yes") if e.choice else _("no"),
                    e.given_by.get_full_name() if e.given_by else "",
                    e.get_capacity_display(),
                    e.entered_by.get_full_name() if e.entered_by else "",
                    e.get_channel_display(),
                    e.note,
                )
                for e in events
            ],
        )
    context = {
        "subject": subject,
        "name": name,
        "events": events,
        "versions": versions,
        "day": day,
        "pdf_url": reverse(f"consent:{url_name}_pdf", args=[subject.pk]),
        "csv_url": reverse(f"consent:{url_name}_csv", args=[subject.pk]),
        "may_enter_paper": may_enter_paper,
    }
    if fmt == "pdf":
        pdf = render_pdf("consent/pdf/history.html", context)
        return _pdf_response(pdf, f"inzage-{slugify(name)}-{day:%Y%m%d}.pdf")
    return render(request, "consent/history.html", context)


def pupil_history(request, pk, fmt="html"):
    """Inzage: every consent choice about one pupil with the texts shown (for the AP too)."""
    managed = School.objects.for_user(request.user, roles=access.MANAGING_ROLES)
    pupil = get_object_or_404(
        Pupil.objects.for_user(request.user)
        .filter(Q(school__in=managed) | Q(pk__in=access.family_pupil_ids(request.user)))
        .select_related("school"),
        pk=pk,
    )
    may_enter_paper = managed.filter(pk=pupil.school_id).exists()
    return _history(
        request, pupil, fmt, pupil.full_name, "pupil_history", may_enter_paper=may_enter_paper
    )


def staff_history(request, pk, fmt="html"):
    """Inzage for a staff member: their own, or of a school one directs or governs."""
    staff = get_object_or_404(
        Staff.objects.for_user(request.user).select_related("user", "school"), pk=pk
    )
    name = staff.user.get_full_name() or staff.user.email
    return _history(request, staff, fmt, name, "staff_history")


def paper_entry(request, pk):
    """The school enters a paper consent form on behalf of whoever signed it, with a note."""
    managed = School.objects.for_user(request.user, roles=access.MANAGING_ROLES)
    pupil = get_object_or_404(
        Pupil.objects.for_user(request.user).filter(school__in=managed).select_related("school"),
        pk=pk,
    )
    day = timezone.localdate()
    # Who can have signed: the pupil from 16 (with an account), else a guardian with gezag.
    if rules.pupil_decides(pupil.birth_date, day):
        signers = [pupil.user] if pupil.user_id else []
    else:
        guardians = pupil.guardians.filter(has_gezag=True).select_related("user")
        signers = [guardian.user for guardian in guardians]
    purposes = Purpose.objects.for_user(request.user).for_school(
        pupil.school, audience=Purpose.Audience.PUPILS
    )
    form = PaperFormForm(request.POST or None, signers=signers)
    choices = ChoicesForm(request.POST or None, items=purposes, answers={})
    if request.method == "POST" and form.is_valid() and choices.is_valid():
        changes = choices.changes()
        if not changes:
            messages.error(request, _("Tick at least one choice from the form."))
        else:
            try:
                with transaction.atomic():
                    for purpose, choice in changes:
                        ledger.record_choice(
                            subject=pupil,
                            purpose=purpose,
                            choice=choice,
                            by=request.user,
                            channel=Channel.PAPER,
                            note=form.cleaned_data["note"],
                            on_behalf_of=form.cleaned_data["signed_by"],
                        )
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, _("The paper form has been entered."))
                return redirect("consent:pupil_history", pk=pupil.pk)
    return render(
        request,
        "consent/paper_entry.html",
        {
            "pupil": pupil,
            "form": form,
            "rows": [(purpose, choices.bound_field(purpose)) for purpose in choices.items],
            "no_signers": not signers,
        },
    )


# --- takedowns --------------------------------------------------------------------------------


def takedown_list(request, slug):
    """After a withdrawal for a public channel: what to take down, where and by when."""
    school = get_object_or_404(
        School.objects.for_user(request.user, roles=access.MANAGING_ROLES), slug=slug
    )
    tasks = (
        TakedownTask.objects.for_user(request.user)
        .filter(school=school)
        .select_related("pupil__group", "staff__user", "purpose", "done_by")
        .order_by("done_at", "due_on", "pk")
    )
    day = timezone.localdate()
    return render(
        request,
        "consent/takedown_list.html",
        {
            "school": school,
            "open": [t for t in tasks if not t.is_done],
            "done": [t for t in tasks if t.is_done][:50],
            "day": day,
        },
    )


@require_POST
def takedown_done(request, pk):
    task = get_object_or_404(
        TakedownTask.objects.for_user(request.user).select_related("school"), pk=pk
    )
    try:
        changed = ledger.complete_takedown(task, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if changed:
            messages.success(request, _("Marked as taken down."))
    return redirect("consent:takedown_list", slug=task.school.slug)
