"""Who is told what about consent, by e-mail. Sending is `schools.notices`': once per key, in
Dutch, with absolute links. Links point at pages of the consent views; until a page exists
its link falls back to the portal's home.
"""

from collections.abc import Iterable
from datetime import date

from django.urls import NoReverseMatch, reverse

from consent.models import ActivityAnswer, ActivityRequest, ConsentEvent
from schools.models import Pupil, Stichting, User
from schools.notices import absolute, send, send_all

TEMPLATES = "emails/consent/"


def path_to(name: str, *args) -> str:
    """`reverse(name, args)`, or "/" while the page does not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return "/"


def _templates(name: str) -> tuple[str, str]:
    return f"{TEMPLATES}{name}_subject.txt", f"{TEMPLATES}{name}.txt"


def subject_path(pupil: Pupil | None, user: User | None) -> str:
    """The consent page of a pupil as seen by `user`: their own page, or the child's page."""
    if pupil is None or (user is not None and pupil.user_id == user.pk):
        return path_to("consent:own_consent")
    return path_to("consent:child_consent", pupil.pk)


def send_receipt(event_id: int) -> bool:
    """Mail whoever gave a consent choice what was recorded; sent once per event."""
    event = (
        ConsentEvent.objects.filter(pk=event_id)
        .select_related("pupil", "staff__user", "purpose", "purpose_version", "given_by")
        .first()
    )
    if event is None or event.given_by is None:
        return False
    subject, body = _templates("receipt")
    return send(
        f"consent-receipt:{event.pk}",
        event.given_by,
        subject,
        body,
        {
            "event": event,
            "subject_name": event.pupil.first_name if event.pupil_id else str(event.staff.user),
            "url": absolute(subject_path(event.pupil, event.given_by)),
        },
    )


def send_activity_receipt(answer_id: int) -> bool:
    """Mail whoever answered an activity request what was recorded; sent once per answer."""
    answer = (
        ActivityAnswer.objects.filter(pk=answer_id)
        .select_related("pupil", "request__school", "given_by")
        .first()
    )
    if answer is None or answer.given_by is None:
        return False
    subject, body = _templates("activity_receipt")
    return send(
        f"consent-activity-receipt:{answer.pk}",
        answer.given_by,
        subject,
        body,
        {
            "answer": answer,
            "url": absolute(path_to("consent:activity_answer", answer.request_id)),
        },
    )


def tell_turned_16(pupil: Pupil, guardians: Iterable[User], today: date, ask_again: bool) -> int:
    """Tell a pupil who turns 16 today, and their guardians, that the pupil now decides."""
    subject, body = _templates("turned_16")
    context = {"pupil": pupil, "ask_again": ask_again, "to_pupil": True}
    sent = 0
    if pupil.user_id:
        context["url"] = absolute(path_to("consent:own_consent"))
        sent += send(f"consent-16:{today}:{pupil.pk}:pupil", pupil.user, subject, body, context)
    subject, body = _templates("turned_16_guardian")
    context = {
        **context,
        "to_pupil": False,
        "url": absolute(path_to("consent:child_consent", pupil.pk)),
    }
    return sent + send_all(f"consent-16:{today}:{pupil.pk}", guardians, subject, body, context)


def send_review_reminders(stichting: Stichting, users: Iterable[User], today: date) -> int:
    """The yearly reminder to review one's choices, to everyone who decides in `stichting`."""
    subject, body = _templates("review_reminder")
    context = {"stichting": stichting, "url": absolute("/")}
    return send_all(f"consent-review:{today}:{stichting.pk}", users, subject, body, context)


def send_activity_reminders(request: ActivityRequest, users: Iterable[User]) -> int:
    """Remind those who have not answered an activity request; once per deadline."""
    subject, body = _templates("activity_reminder")
    context = {
        "request": request,
        "url": absolute(path_to("consent:activity_answer", request.pk)),
    }
    key = f"consent-activity:{request.pk}:{request.deadline}"
    return send_all(key, users, subject, body, context)
