"""Sending a notice to a person: the one way every app mails someone.

Every mail goes through `send`, which first records a `Notice` under a unique key: a key that
exists was sent before and is skipped, so a job run twice sends nothing twice. Mails are
written in the portal's language (Dutch) whatever the sender's page language was, with a
plain-text part rendered from the app's template and an HTML part made from that same text
(`emails/_layout.html`), so each notice is written once. Links are absolute, built from
`settings.PORTAL_URL`. Apps decide who is told what; this module only sends.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from schools.models import Notice, User


def absolute(path: str) -> str:
    """The portal's absolute address of `path`, for links in e-mails."""
    return getattr(settings, "PORTAL_URL", "http://127.0.0.1:8000").rstrip("/") + path


def send(
    key: str, recipient: User | str, subject_template: str, body_template: str, context: dict
) -> bool:
    """Mail `recipient` once per `key`: render the templates, log the notice, then send.

    Returns False when a notice with this key was sent before (or there is no address). The
    log row and the mail share one transaction: if sending fails, nothing is logged and the
    next run tries again; two runs at once wait on the unique key instead of both sending.
    """
    if isinstance(recipient, str):
        email, name = recipient, context.get("recipient_name", recipient)
    else:
        email, name = recipient.email, recipient.get_full_name() or recipient.email
    if not email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "recipient_name": name,
            "portal_name": getattr(settings, "PORTAL_NAME", ""),
            "portal_url": absolute("/"),
            **context,
        }
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context).strip() + "\n"
        html = render_to_string(
            "emails/_layout.html",
            {"subject": subject, "body": body, "language": settings.LANGUAGE_CODE},
        )
    message = EmailMultiAlternatives(subject, body, None, [email])
    message.attach_alternative(html, "text/html")
    try:
        with transaction.atomic():
            Notice.objects.create(key=key, recipient=email, subject=subject[:255])
            message.send()
    except IntegrityError:
        return False
    return True


def send_all(
    key: str, users: Iterable[User], subject_template: str, body_template: str, context: dict
) -> int:
    """`send` to each user once, the key made personal; returns how many were sent."""
    seen, sent = set(), 0
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        sent += send(f"{key}:{user.pk}", user, subject_template, body_template, context)
    return sent
