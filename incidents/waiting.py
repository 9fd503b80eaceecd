"""What waits for a user in incidents: this app's items of "Wacht op jou"."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.models import Incident, Measure, Task, url_or_home
from schools import access as school_access
from schools.waiting import Item, Urgency


def items_for(user) -> list[Item]:
    """Cases routed to `user` that are new or in handling, their open tasks, phones to return.

    Three queries, however many there are; none for who works at no school, as cases, tasks
    and phones are only ever given to staff.
    """
    if not school_access.reach(user).works_at_school:
        return []
    return _incidents(user) + _tasks(user) + _phones(user)


def _incidents(user) -> list[Item]:
    incidents = (
        Incident.objects.filter(
            routed_to=user, status__in=[Incident.Status.NEW, Incident.Status.IN_HANDLING]
        )
        .select_related("school")
        .order_by("created_at", "pk")
    )
    items = []
    for incident in incidents:
        if incident.status == Incident.Status.NEW:
            title = _("New report %(number)s at %(school)s")
            urgency = Urgency.HIGH if incident.to_board else Urgency.NORMAL
        else:
            title = _("Handle incident %(number)s at %(school)s")
            urgency = Urgency.NORMAL
        title = title % {"number": incident.pk, "school": incident.school.name}
        items.append(Item(title, incident.get_absolute_url(), None, urgency))
    return items


def _tasks(user) -> list[Item]:
    today = timezone.localdate()
    tasks = Task.objects.filter(owner=user, done_at__isnull=True).exclude(
        incident__status=Incident.Status.CLOSED
    )
    items = []
    for task in tasks.order_by("due_on", "pk"):
        urgency = Urgency.HIGH if task.due_on and task.due_on <= today else Urgency.NORMAL
        title = _("%(task)s (incident %(number)s)") % {
            "task": task.title,
            "number": task.incident_id,
        }
        url = url_or_home("incidents:incident_detail", task.incident_id)
        items.append(Item(title, url, task.due_on, urgency))
    return items


def _phones(user) -> list[Item]:
    today = timezone.localdate()
    phones = (
        Measure.objects.phones_in_custody()
        .filter(Q(decided_by=user) | Q(incident__routed_to=user))
        .distinct()
        .order_by("ends_on", "pk")
    )
    items = []
    for measure in phones:
        title = _("Return the phone kept for incident %(number)s") % {"number": measure.incident_id}
        overdue = measure.ends_on is not None and measure.ends_on < today
        url = url_or_home("incidents:incident_detail", measure.incident_id)
        items.append(Item(title, url, measure.ends_on, Urgency.HIGH if overdue else Urgency.NORMAL))
    return items
