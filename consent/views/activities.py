"""Activity requests: the school asks consent for one event, whoever decides answers per child.

The school side (list, new request, answers) is for the school's staff; only its director or
board asks. The answering side shows a parent only their own children asked (and a pupil of
16+ themselves); the ledger refuses an answer after the deadline or from someone who does
not decide, and that refusal is shown as it is.
"""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from consent import ledger, rules
from consent.forms.activities import ActivityAnswerForm, ActivityRequestForm
from consent.models import ActivityAnswer, ActivityRequest, Capacity
from consent.rules import State
from schools import access
from schools.models import Pupil, School

SAVED = "consent_activity_saved"


# --- the school's side ----------------------------------------------------------------------


def activity_list(request, slug):
    """The activity requests of one school, newest deadline first."""
    school = get_object_or_404(School.objects.for_user(request.user), slug=slug)
    requests = (
        ActivityRequest.objects.for_user(request.user)
        .filter(school=school)
        .prefetch_related("groups")
        .order_by("-deadline", "title")
    )
    context = {
        "school": school,
        "requests": requests,
        "today": timezone.localdate(),
        "may_create": School.objects.for_user(request.user, access.MANAGING_ROLES)
        .filter(pk=school.pk)
        .exists(),
    }
    return render(request, "consent/activity_list.html", context)


def activity_create(request, slug):
    """Ask consent for one event of the school: groups and/or pupils, a text and a deadline."""
    school = get_object_or_404(
        School.objects.for_user(request.user, access.MANAGING_ROLES), slug=slug
    )
    form = ActivityRequestForm(request.POST or None, school=school, user=request.user)
    if form.is_valid():
        activity = form.save()
        messages.success(request, _("The activity request has been created."))
        return redirect("consent:activity_detail", activity.pk)
    return render(request, "consent/activity_form.html", {"school": school, "form": form})


def activity_detail(request, pk):
    """The answers per pupil the user may see: ja, nee or not answered (nee after the deadline)."""
    today = timezone.localdate()
    activity = get_object_or_404(
        ActivityRequest.objects.for_user(request.user)
        # Parents reach a request too, through their child: this page is the school's.
        .filter(school__in=School.objects.for_user(request.user))
        .select_related("school")
        .prefetch_related("groups"),
        pk=pk,
    )
    states = ledger.activity_answers(activity, today)
    pupils = (
        Pupil.objects.for_user(request.user)
        .filter(pk__in=list(states))
        .select_related("group")
        .order_by("group__name", "last_name", "first_name")
    )
    rows = [(pupil, states[pupil.pk]) for pupil in pupils]
    counts = Counter(state for _pupil, state in rows)
    context = {
        "activity": activity,
        "rows": rows,
        "counts": [(state, counts[state]) for state in State],
        "waiting": [pupil for pupil, state in rows if state is State.UNANSWERED],
        "closed": today > activity.deadline,
    }
    return render(request, "consent/activity_detail.html", context)


# --- answering ------------------------------------------------------------------------------


def _asked_mine(request, activity, today) -> list[Pupil]:
    user = request.user
    mine = Pupil.objects.for_user(user).filter(
        pk__in=access.family_pupil_ids(user, gezag_only=True)
    )
    return list(
        activity.asked_pupils()
        .enrolled_on(today)
        .filter(pk__in=mine.values("pk"))
        .select_related("group")
        .order_by("first_name", "pk")
    )


def _own_answers(request, activity, pupils) -> dict[int, bool]:
    """`{pupil_id: choice}`: the user's own latest answer per pupil."""
    user = request.user
    rows = (
        ActivityAnswer.objects.for_user(user)
        .filter(request=activity, pupil__in=[p.pk for p in pupils])
        .order_by("created_at", "pk")
        .values_list("pupil_id", "pupil__user_id", "given_by_id", "capacity", "choice")
    )
    answers = {}
    for pupil_id, pupil_user_id, given_by_id, capacity, choice in rows:
        is_self = pupil_user_id == user.pk
        if is_self:
            own = capacity == Capacity.PUPIL
        else:
            own = given_by_id == user.pk and capacity != Capacity.PUPIL
        if own:
            answers[pupil_id] = choice
    return answers


def _decides(user, pupil, today) -> bool:
    # Guardians until the 16th birthday, the pupil from that day (DOMAIN 18, 25).
    return rules.pupil_decides(pupil.birth_date, today) == (pupil.user_id == user.pk)


def _answer_context(request, activity, pupils, today, data=None) -> dict:
    answers = _own_answers(request, activity, pupils)
    form = ActivityAnswerForm(data, items=pupils, answers=answers)
    states = ledger.activity_states(pupils, [activity], today)
    closed = today > activity.deadline
    rows = [
        {
            "pupil": pupil,
            "is_self": pupil.user_id == request.user.pk,
            "may_answer": not closed and _decides(request.user, pupil, today),
            "state": states[(pupil.pk, activity.pk)],
            "answer": answers.get(pupil.pk),
            "field": form.bound_field(pupil),
        }
        for pupil in pupils
    ]
    return {
        "activity": activity,
        "form": form,
        "rows": rows,
        "closed": closed,
        "may_answer": any(row["may_answer"] for row in rows),
    }


def _record_answers(request, activity, today) -> list[ActivityAnswer]:
    """Record each changed answer through the ledger, all or none (receipts after commit)."""
    with transaction.atomic():
        # A double submit waits here, then finds its answers already recorded.
        pupils = _asked_mine(request, activity, today)
        list(
            Pupil.objects.for_user(request.user)
            .select_for_update()
            .filter(pk__in=[p.pk for p in pupils])
        )
        context = _answer_context(request, activity, pupils, today, request.POST)
        if not context["form"].is_valid():
            raise ValidationError(_("Please check your choices below."))
        return [
            ledger.record_activity_answer(
                request=activity, pupil=pupil, choice=choice, by=request.user, today=today
            )
            for pupil, choice in context["form"].changes()
        ]


def activity_answer(request, pk):
    """Ja/nee for one activity per own child asked (or oneself at 16+), until the deadline."""
    today = timezone.localdate()
    activity = get_object_or_404(
        ActivityRequest.objects.for_user(request.user).select_related("school"), pk=pk
    )
    pupils = _asked_mine(request, activity, today)
    if not pupils:
        raise Http404("Nobody asked whom this user answers for.")
    if request.method == "POST":
        try:
            answers = _record_answers(request, activity, today)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            context = _answer_context(request, activity, pupils, today, request.POST)
            return render(request, "consent/activity_answer.html", context)
        if answers:
            request.session[SAVED] = {"request": activity.pk, "answers": [a.pk for a in answers]}
        else:
            messages.info(request, _("Nothing changed: these choices were already recorded."))
        return redirect("consent:activity_answer", activity.pk)
    context = _answer_context(request, activity, pupils, today)
    saved = request.session.get(SAVED)
    context["saved"] = []
    if saved and saved.get("request") == activity.pk:
        del request.session[SAVED]
        context["saved"] = list(
            ActivityAnswer.objects.for_user(request.user)
            .filter(pk__in=saved["answers"])
            .select_related("pupil")
            .order_by("pk")
        )
    return render(request, "consent/activity_answer.html", context)
