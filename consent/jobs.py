"""The consent app's part of the daily job (`run_daily_jobs`). Safe to run twice a day: every
e-mail key holds the date (or the deadline), and retention finds nothing the second time.
"""

from datetime import date, timedelta

from django.db.models import Q

from consent import ledger, notices, rules
from consent.models import ActivityRequest, ConsentPolicy
from consent.rules import State
from schools.models import Guardian, Pupil, Staff, Stichting, User

# How many days before an activity's deadline those who have not answered are reminded.
ACTIVITY_REMINDER_DAYS = 3


def daily(today: date) -> str:
    """Tell pupils who turn 16, send reminders due today, and apply retention; say what was done."""
    turned = tell_sixteenth_birthdays(today)
    reminders = send_review_reminders(today) + send_activity_reminders(today)
    deleted = ledger.apply_retention(today)
    return f"{turned} pupil(s) turned 16, {reminders} reminder(s), {deleted} event(s) deleted"


def _latest_birth_date(day: date) -> date:
    """The latest date of birth of a pupil who decides on `day` (16 on or before it)."""
    try:
        return day.replace(year=day.year - rules.CONSENT_AGE)
    except ValueError:  # 29 February
        return day.replace(year=day.year - rules.CONSENT_AGE, day=28)


def tell_sixteenth_birthdays(today: date) -> int:
    """Mail each enrolled pupil who turns 16 today, and their guardians; returns how many pupils."""
    pupils = (
        Pupil.objects.enrolled_on(today)
        .filter(
            birth_date__gt=_latest_birth_date(today - timedelta(days=1)),
            birth_date__lte=_latest_birth_date(today),
        )
        .select_related("user", "school")
    )
    policies = {p.stichting_id: p for p in ConsentPolicy.objects.all()}
    count = 0
    for pupil in pupils:
        guardians = User.objects.filter(
            is_active=True, guardianships__pupil=pupil, guardianships__has_gezag=True
        )
        ask_again = policies.get(pupil.school.stichting_id, ConsentPolicy()).ask_again_at_16
        notices.tell_turned_16(pupil, guardians, today, ask_again)
        count += 1
    return count


def _deciders_in(stichting: Stichting, today: date):
    """Everyone who decides on consent in `stichting` today: guardians, pupils 16+, staff."""
    pupils = Pupil.objects.enrolled_on(today).filter(school__stichting=stichting)
    latest = _latest_birth_date(today)
    guardians = Guardian.objects.filter(
        has_gezag=True, pupil__in=pupils.filter(birth_date__gt=latest)
    )
    staff = Staff.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=today), school__stichting=stichting
    )
    return User.objects.filter(
        Q(pk__in=guardians.values("user"))
        | Q(pk__in=pupils.filter(birth_date__lte=latest).values("user"))
        | Q(pk__in=staff.values("user")),
        is_active=True,
    ).order_by("pk")


def send_review_reminders(today: date) -> int:
    """The yearly "review your choices" mail, on the day each stichting has set."""
    policies = {p.stichting_id: p for p in ConsentPolicy.objects.all()}
    sent = 0
    for stichting in Stichting.objects.all():
        policy = policies.get(stichting.pk, ConsentPolicy())
        if (policy.review_month, policy.review_day) != (today.month, today.day):
            continue
        sent += notices.send_review_reminders(stichting, _deciders_in(stichting, today), today)
    return sent


def send_activity_reminders(today: date) -> int:
    """Remind who decides for a pupil that has no answer yet, a few days before the deadline."""
    requests = ActivityRequest.objects.filter(
        deadline__gte=today, deadline__lte=today + timedelta(days=ACTIVITY_REMINDER_DAYS)
    )
    sent = 0
    latest = _latest_birth_date(today)
    for request in requests:
        states = ledger.activity_answers(request, today)
        waiting = [pupil_id for pupil_id, state in states.items() if state is State.UNANSWERED]
        if not waiting:
            continue
        pupils = Pupil.objects.filter(pk__in=waiting)
        users = User.objects.filter(
            Q(
                pk__in=Guardian.objects.filter(
                    has_gezag=True, pupil__in=pupils.filter(birth_date__gt=latest)
                ).values("user")
            )
            | Q(pk__in=pupils.filter(birth_date__lte=latest).values("user")),
            is_active=True,
        ).order_by("pk")
        sent += notices.send_activity_reminders(request, users)
    return sent
