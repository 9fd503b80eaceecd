"""Sending a notice to a person (schools/notices.py): once per key, text and HTML, Dutch."""

from unittest import mock

import pytest
from django.test import override_settings
from django.utils import translation

from schools import notices
from schools.models import Notice

pytestmark = pytest.mark.django_db

TEMPLATES = ("emails/question_asked_subject.txt", "emails/question_asked.txt")
CONTEXT = {"protocol": "P", "number": 1, "url": "https://portal.example.org/x", "question": None}


def test_send_mails_once_per_key(mailoutbox, director):
    first = notices.send("k", director, *TEMPLATES, CONTEXT)
    second = notices.send("k", director, *TEMPLATES, CONTEXT)
    assert (first, second, len(mailoutbox), Notice.objects.count()) == (True, False, 1, 1)


def test_a_mail_that_fails_is_not_logged_so_the_next_run_retries(director):
    # Only the mail server is replaced: it is what leaves the process.
    with mock.patch(
        "schools.notices.EmailMultiAlternatives.send", side_effect=OSError("no mail server")
    ):
        with pytest.raises(OSError):
            notices.send("k", director, *TEMPLATES, CONTEXT)
    assert Notice.objects.count() == 0


def test_a_notice_has_a_text_and_an_html_part_with_the_same_words(mailoutbox, director):
    notices.send("k", director, *TEMPLATES, CONTEXT)
    [mail] = mailoutbox
    [(html, mimetype)] = mail.alternatives
    assert mimetype == "text/html"
    assert '<a href="https://portal.example.org/x"' in html
    first_line = mail.body.splitlines()[0]
    assert (first_line.startswith("Beste "), first_line in html) == (True, True)


def test_a_notice_is_in_dutch_whatever_language_the_sender_reads(mailoutbox, director):
    with translation.override("en"):
        notices.send("k", director, *TEMPLATES, CONTEXT)
    assert mailoutbox[0].body.startswith("Beste ")


@override_settings(PORTAL_URL="https://portal.example.org/")
def test_absolute_links_use_the_portal_url():
    assert notices.absolute("/protocollen/") == "https://portal.example.org/protocollen/"


def test_send_all_sends_each_user_once_with_a_personal_key(mailoutbox, director, teacher):
    sent = notices.send_all("k", [director, teacher, director], *TEMPLATES, CONTEXT)
    keys = set(Notice.objects.values_list("key", flat=True))
    assert (sent, keys) == (2, {f"k:{director.pk}", f"k:{teacher.pk}"})
