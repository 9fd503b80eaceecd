"""What waits for a user about consent: this app's items of "Wacht op jou".

A parent (and a pupil of 16+, and a staff member) sees the purposes still unanswered and the
open activity requests; a director or the board sees open takedown tasks. A fixed number of
queries, however many children, purposes or tasks there are.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consent import ledger, notices, rules
from consent.models import ActivityRequest, Purpose, TakedownTask
from consent.rules import State
from schools import access
from schools.models import Pupil, Staff
from schools.waiting import Item, Urgency


def items_for(user) -> list[Item]:
    """Unanswered consent, open activity requests and takedown tasks for `user`."""
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    family = access.family_pupil_ids(user, gezag_only=True)
    pupils = []
    if family:  # no query for who is neither a parent nor a pupil
        candidates = Pupil.objects.enrolled_on(today).filter(pk__in=family)
        pupils = [
            pupil
            for pupil in candidates.select_related("school").order_by("first_name", "pk")
            # Guardians decide until the 16th birthday, the pupil from that day (DOMAIN 18, 25).
            if rules.pupil_decides(pupil.birth_date, today) == (pupil.user_id == user.pk)
        ]
    return (
        _unanswered(user, pupils, today)
        + _own_staff_consent(user)
        + _activities(user, pupils, today)
        + _takedowns(user, today)
    )


def _unanswered(user, pupils: list[Pupil], today) -> list[Item]:
    if not pupils:
        return []
    purposes = ledger.purposes_at({pupil.school_id for pupil in pupils})
    states = ledger.states_for_pupils(pupils, purposes, today)
    items = []
    for pupil in pupils:
        count = sum(
            1
            for purpose in purposes
            if ledger.applies(purpose, pupil.school_id, pupil.school.stichting_id)
            and states[(pupil.pk, purpose.pk)] is State.UNANSWERED
        )
        if not count:
            continue
        if pupil.user_id == user.pk:
            title = ngettext(
                "Choose your consent: %(count)d purpose not answered yet",
                "Choose your consent: %(count)d purposes not answered yet",
                count,
            ) % {"count": count}
        else:
            title = ngettext(
                "Choose consent for %(name)s: %(count)d purpose not answered yet",
                "Choose consent for %(name)s: %(count)d purposes not answered yet",
                count,
            ) % {"count": count, "name": pupil.first_name}
        items.append(Item(title, notices.subject_path(pupil, user), urgency=Urgency.HIGH))
    return items


def _own_staff_consent(user) -> list[Item]:
    positions = access.reach(user).staff_positions
    if not positions:
        return []
    purposes = ledger.purposes_at({p.school_id for p in positions}, Purpose.Audience.STAFF)
    states = ledger.states_for_staff(
        Staff.objects.filter(pk__in=[p.pk for p in positions]), purposes
    )
    count = sum(
        1
        for position in positions
        for purpose in purposes
        if ledger.applies(purpose, position.school_id, position.school.stichting_id)
        and states[(position.pk, purpose.pk)] is State.UNANSWERED
    )
    if not count:
        return []
    title = ngettext(
        "Choose your consent as a staff member: %(count)d purpose not answered yet",
        "Choose your consent as a staff member: %(count)d purposes not answered yet",
        count,
    ) % {"count": count}
    return [Item(title, notices.path_to("consent:own_consent"))]


def _activities(user, pupils: list[Pupil], today) -> list[Item]:
    if not pupils:
        return []
    requests = list(
        ActivityRequest.objects.open_on(today)
        .filter(Q(pupils__in=[p.pk for p in pupils]) | Q(groups__pupils__in=[p.pk for p in pupils]))
        .distinct()
        .prefetch_related("pupils", "groups")
        .order_by("deadline", "pk")
    )
    if not requests:
        return []
    states = ledger.activity_states(pupils, requests, today)
    items = []
    for request in requests:
        asked = {p.pk for p in request.pupils.all()}
        groups = {g.pk for g in request.groups.all()}
        for pupil in pupils:
            is_asked = pupil.pk in asked or pupil.group_id in groups
            if not is_asked or pupil.school_id != request.school_id:
                continue
            if states[(pupil.pk, request.pk)] is not State.UNANSWERED:
                continue
            if pupil.user_id == user.pk:
                title = _("Answer for %(activity)s") % {"activity": request.title}
            else:
                title = _("Answer for %(name)s: %(activity)s") % {
                    "name": pupil.first_name,
                    "activity": request.title,
                }
            url = notices.path_to("consent:activity_answer", request.pk)
            urgency = Urgency.HIGH if request.deadline <= today else Urgency.NORMAL
            items.append(Item(title, url, request.deadline, urgency))
    return items


def _takedowns(user, today) -> list[Item]:
    if not access.school_ids(user, access.MANAGING_ROLES):
        return []  # only directors and the board take down publications
    tasks = TakedownTask.objects.for_user(user).open().select_related("school", "purpose")
    return [
        Item(
            _("Take down publications after a withdrawal: %(purpose)s (%(school)s)")
            % {"purpose": task.purpose.name, "school": task.school.name},
            notices.path_to("consent:takedown_list", task.school.slug),
            task.due_on,
            Urgency.HIGH if task.due_on <= today else Urgency.NORMAL,
        )
        for task in tasks
    ]
