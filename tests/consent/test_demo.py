"""`load_demo` gives the consent demo the README describes, through the ledger, and only once."""

import re
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from consent import ledger, waiting
from consent.models import (
    ActivityAnswer,
    ActivityRequest,
    Capacity,
    ConsentEvent,
    Purpose,
    TakedownTask,
)
from consent.rules import State, sixteenth_birthday
from protocols.models import ProtocolVersion
from schools.models import Pupil, School, Stichting, User

pytestmark = pytest.mark.django_db

# The apps loaded after consent add their own summaries to the line.
NOTHING_ADDED = re.compile(
    r"0 consent purposes, 0 consent choices, 0 activity requests, 0 activity answers"
    r"(?:, [^.]*)?\.\n$"
)


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """What the first `load_demo` printed; the demo is loaded once per class and rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def counts() -> tuple[int, ...]:
    models = [Purpose, ConsentEvent, ActivityRequest, ActivityAnswer, TakedownTask, Pupil, User]
    return tuple(model.objects.count() for model in models)


@pytest.mark.usefixtures("demo")
class TestConsentDemo:
    def test_load_demo_reports_the_consent_it_added(self, demo):
        added = re.search(
            r"(\d+) consent purposes, (\d+) consent choices, 1 activity request, "
            r"(\d+) activity answers(?:, [^.]*)?\.\n$",
            demo,
        )
        assert tuple(map(int, added.groups())) == (
            Purpose.objects.count(),
            ConsentEvent.objects.count(),
            ActivityAnswer.objects.count(),
        )

    def test_demo_gives_each_organisation_purposes(self):
        purposes = Stichting.objects.annotate(n=Count("purposes")).values_list("slug", "n")
        assert dict(purposes) == {
            "klasse": 8,
            "kopwerk": 4,
            "meilan": 5,
            "lankforst": 5,
            "amstelveen": 5,
        }

    def test_demo_purposes_rest_on_a_section_of_their_organisations_adopted_protocol(self):
        purposes = Purpose.objects.select_related("section__version__protocol")
        assert {
            (p.section.version.status, p.section.version.protocol.stichting_id == p.stichting_id)
            for p in purposes
        } == {(ProtocolVersion.Status.ADOPTED, True)}

    def test_demo_meilan_asks_agreement_to_a_pupil_email_box(self):
        purpose = Purpose.objects.get(stichting__slug="meilan", slug="e-mailadres")
        assert (purpose.kind, purpose.media, purpose.section.heading) == (
            Purpose.Kind.OTHER,
            [],
            "E-mail",
        )

    def test_demo_asks_staff_consent_where_the_protocol_does(self):
        staff_purposes = Purpose.objects.exclude(audience=Purpose.Audience.PUPILS)
        asked = set(staff_purposes.values_list("stichting__slug", flat=True))
        answered = set(
            ConsentEvent.objects.filter(capacity=Capacity.STAFF).values_list(
                "purpose__stichting__slug", flat=True
            )
        )
        assert (asked, answered) == ({"klasse", "amstelveen"}, {"klasse", "amstelveen"})

    def test_demo_gives_every_organisation_ja_nee_and_unanswered(self):
        today = timezone.localdate()
        coverage = ledger.coverage(School.objects.values("pk"), today)
        stichting_of = dict(School.objects.values_list("pk", "stichting__slug"))
        seen = Counter()
        for (school_id, _purpose_id), states in coverage.items():
            for state, number in states.items():
                seen[(stichting_of[school_id], state)] += number
        assert {
            slug: all(seen[(slug, state)] for state in (State.JA, State.NEE, State.UNANSWERED))
            for slug in stichting_of.values()
        } == dict.fromkeys(stichting_of.values(), True)

    def test_demo_klasse_has_a_pupil_whose_guardians_disagree(self):
        thijs = Pupil.objects.get(school__slug="de-regenboog", first_name="Thijs")
        purpose = Purpose.objects.get(stichting__slug="klasse", slug="sociale-media")
        choices = ConsentEvent.objects.filter(pupil=thijs, purpose=purpose)
        assert (
            ledger.state_of(thijs, purpose, timezone.localdate()),
            sorted(choices.values_list("given_by__email", "choice")),
        ) == (
            State.DISAGREEMENT,
            [("erik.mulder@klasse.demo", False), ("ouder@klasse.demo", True)],
        )

    def test_demo_amstelveen_has_a_pupil_turning_16_within_a_week(self):
        today = timezone.localdate()
        soon = [
            pupil
            for pupil in Pupil.objects.filter(school__slug="amstelveen")
            if today < sixteenth_birthday(pupil.birth_date) <= today + timedelta(days=7)
        ]
        assert [
            (pupil.full_name, list(pupil.guardians.values_list("user__email", "has_gezag")))
            for pupil in soon
        ] == [("Lynn Brouwer", [("mr@amstelveen.demo", True)])]

    def test_demo_pupil_turning_16_has_choices_her_parent_gave(self):
        lynn = Pupil.objects.get(school__slug="amstelveen", first_name="Lynn")
        website = Purpose.objects.get(stichting__slug="amstelveen", slug="website")
        assert ledger.state_of(lynn, website, timezone.localdate()) == State.JA

    def test_demo_lankforst_has_an_open_avondvierdaagse_request_with_some_answers(self):
        today = timezone.localdate()
        request = ActivityRequest.objects.get(school__slug="lankforst", title="Avondvierdaagse")
        states = Counter(ledger.activity_answers(request, today).values())
        assert (
            request.deadline,
            sorted(group.name for group in request.groups.all()),
            states[State.JA],
            states[State.NEE],
            states[State.UNANSWERED] > 0,
        ) == (today + timedelta(days=14), ["Groep 4", "Groep 7"], 2, 1, True)

    @pytest.mark.parametrize(
        "email",
        [
            "ouder@klasse.demo",
            "ouder@lankforst.demo",
            "ouder@amstelveen.demo",
            "leerling@amstelveen.demo",
        ],
    )
    def test_demo_account_has_answered_and_still_has_a_purpose_waiting(self, email):
        user = User.objects.get(email=email)
        consent_pages = {reverse("consent:own_consent")} | {
            reverse("consent:child_consent", args=[pupil.pk])
            for pupil in Pupil.objects.filter(guardians__user=user)
        }
        waiting_pages = {item.url for item in waiting.items_for(user)} & consent_pages
        assert (ConsentEvent.objects.filter(given_by=user).exists(), bool(waiting_pages)) == (
            True,
            True,
        )

    def test_demo_withdrawal_leaves_a_takedown_task_for_de_regenboog(self):
        tasks = TakedownTask.objects.values_list("school__slug", "purpose__slug", "done_at")
        assert list(tasks) == [("de-regenboog", "website", None)]

    def test_load_demo_again_adds_no_consent(self):
        before = counts()
        out = StringIO()

        call_command("load_demo", stdout=out)

        assert (counts(), bool(NOTHING_ADDED.search(out.getvalue()))) == (before, True)
