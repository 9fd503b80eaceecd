"""The incidents app's part of the daily job (`run_daily_jobs`): retention, phones, tasks."""

from datetime import date

from django.db import transaction

from incidents import workflow
from incidents.models import DeletionLog, Measure, RetentionPolicy, Task
from schools.models import Stichting
from schools.notices import send, send_all


def daily(today: date) -> str:
    """Apply the retention policies, flag phones not returned, remind of tasks due.

    Safe to run twice on one day: what was anonymised or deleted is not found again, and every
    notice has a key (schools.notices).
    """
    anonymised, deleted = retention(today)
    phones = flag_phones(today)
    reminders = remind_tasks(today)
    return (
        f"{anonymised} incident(s) anonymised, {deleted} deleted; "
        f"{phones} phone(s) not returned; {reminders} task reminder(s) sent."
    )


def retention(today: date) -> tuple[int, int]:
    """Anonymise and delete closed incidents whose period ran out, except those on legal hold.

    Each stichting's own policy (the defaults when it has none); the deletion log records the
    counts and the rule, never a name.
    """
    policies = {p.stichting_id: p for p in RetentionPolicy.objects.all()}
    anonymised = deleted = 0
    for stichting in Stichting.objects.filter(schools__incidents__isnull=False).distinct():
        policy = policies.get(stichting.pk) or RetentionPolicy(stichting=stichting)
        with transaction.atomic():
            due = list(
                workflow.expired(stichting, today, policy.delete_after_months).select_for_update()
            )
            if due:
                count, files = workflow.delete(due)
                _log(
                    stichting,
                    today,
                    DeletionLog.Action.DELETED,
                    policy.delete_after_months,
                    count,
                    files,
                )
                deleted += count
        with transaction.atomic():
            due = list(
                workflow.expired(stichting, today, policy.anonymise_after_months)
                .filter(anonymised_at__isnull=True)
                .select_for_update()
            )
            files = sum(workflow.anonymise(incident) for incident in due)
            if due:
                _log(
                    stichting,
                    today,
                    DeletionLog.Action.ANONYMISED,
                    policy.anonymise_after_months,
                    len(due),
                    files,
                )
                anonymised += len(due)
    return anonymised, deleted


def _log(stichting, today, action, months, count, files) -> None:
    DeletionLog.objects.create(
        stichting=stichting,
        day=today,
        action=action,
        what="incidents.Incident",
        rule=f"RetentionPolicy: {action} {months} months after closing",
        count=count,
        files=files,
    )


def flag_phones(today: date) -> int:
    """Tell the handlers of each phone kept past its return day (DOMAIN 44); once per phone."""
    overdue = Measure.objects.phones_overdue(today).select_related("incident__school", "decided_by")
    flagged = 0
    for measure in overdue.prefetch_related("incident__routed_to"):
        incident = measure.incident
        users = [u for u in incident.routed_to.all() if u.is_active]
        if measure.decided_by and measure.decided_by.is_active:
            users.append(measure.decided_by)
        send_all(
            f"incidents:phone-overdue:{measure.pk}",
            users,
            "emails/incidents/phone_not_returned_subject.txt",
            "emails/incidents/phone_not_returned.txt",
            {"number": incident.pk, "measure": measure, "url": incident.get_absolute_url()},
        )
        flagged += 1
    return flagged


def remind_tasks(today: date) -> int:
    """Remind owners of open tasks due today or overdue, once per task and due date."""
    tasks = Task.objects.filter(
        done_at__isnull=True, due_on__lte=today, owner__is_active=True
    ).select_related("incident", "owner")
    sent = 0
    for task in tasks:
        sent += send(
            f"incidents:task-due:{task.pk}:{task.due_on}",
            task.owner,
            "emails/incidents/task_due_subject.txt",
            "emails/incidents/task_due.txt",
            {"task": task, "number": task.incident_id, "url": task.incident.get_absolute_url()},
        )
    return sent
