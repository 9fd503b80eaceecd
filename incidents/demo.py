"""The demo's incidents: a handful per demo school, one at each stage, one with the board.

Loaded by `load_demo` through `load`, after the schools, people and protocols. Every incident
is filed and handled through `incidents.workflow`, as a teacher, the anti-bullying
coordinator and the director would; a school that has incidents already is left alone, so
loading twice changes nothing.

Per school (accounts of fixtures/README.md, password "demo"):
- new: cyberpesten in the class group chat, a victim and a suspected pupil;
- in handling: a phone in class, a talk with the pupil, the phone kept and given back;
- waiting for the checklist: intimate images shared on Snapchat, described and not stored,
  a Take It Down request, the parents still to be informed;
- closed: name-calling, a warning, the parents informed, closed with an evaluation.
The first school of each stichting also has a report of possible sexual misconduct by a staff
member: routed straight to the board (bestuurder@<stichting>.demo), not to the school.
Stichting Klasse gets a confidential counsellor for all its schools,
vertrouwenspersoon@klasse.demo; the anti-bullying coordinator of De Regenboog is
marloes.dijkstra@klasse.demo.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from incidents import workflow
from incidents.models import Incident
from schools.models import Membership, Role, School, Staff, Stichting, User
from schools.services import DEMO_PASSWORD

CONFIDANT = {
    "klasse": {
        "email": "vertrouwenspersoon@klasse.demo",
        "first_name": "Hanneke",
        "last_name": "Bos",
    }
}


def _at(today, days_ago: int, hour: int = 10):
    moment = datetime.combine(today - timedelta(days=days_ago), time(hour))
    return min(timezone.make_aware(moment), timezone.now() - timedelta(minutes=5))


def _confidant(stichting: Stichting) -> None:
    person = CONFIDANT.get(stichting.slug)
    if person is None:
        return
    user = User.objects.filter(email__iexact=person["email"]).first()
    if user is None:
        user = User(**person)
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
    Membership.objects.get_or_create(
        user=user, role=Role.CONFIDANT, stichting=stichting, school=None
    )


def _people(school: School, today):
    staff = list(
        Staff.objects.filter(school=school).select_related("user").prefetch_related("groups")
    )
    teacher = next((s for s in staff if s.groups.all()), None)
    director = (
        User.objects.filter(
            memberships__school=school, memberships__role=Role.DIRECTOR, is_active=True
        )
        .order_by("pk")
        .first()
    )
    pupils = list(school.pupils.enrolled_on(today).order_by("group__name", "last_name")[:6])
    other_staff = next((s for s in staff if not s.groups.all() and s.user != director), None)
    return teacher, director, pupils, other_staff


def _school(school: School, today, categories: dict, with_board_case: bool) -> int:
    teacher, director, pupils, other_staff = _people(school, today)
    if teacher is None or director is None or len(pupils) < 4:
        return 0
    a, b, c, d = pupils[:4]

    def report(code, days_ago, involved, **kwargs):
        return workflow.report(
            school=school,
            by=teacher.user,
            occurred_at=_at(today, days_ago),
            place=kwargs.pop("place", "online"),
            platform=kwargs.pop("platform", "whatsapp"),
            categories=[categories[code]],
            involved=involved,
            **kwargs,
        )

    def handler(incident):
        return incident.routed_to.order_by("pk").first() or director

    count = 0
    # New: nothing done yet.
    report(
        "cyberpesten",
        1,
        [
            {"role": "victim", "kind": "pupil", "pupil": a},
            {"role": "suspect", "kind": "pupil", "pupil": b},
        ],
        description="In de groepsapp van de klas worden steeds memes over één leerling gedeeld.",
    )
    count += 1
    # In handling: a phone in class, a talk, the phone kept until the end of the day.
    phone = report(
        "telefoon-in-de-les",
        3,
        [{"role": "suspect", "kind": "pupil", "pupil": c}],
        place="in_school",
        platform="tiktok",
        description="Tijdens de rekenles filmde een leerling de klas voor TikTok.",
    )
    who = handler(phone)
    workflow.add_entry(
        phone, by=who, kind="pupil", text="Gesprek gevoerd over de afspraken in de klas."
    )
    measure = workflow.add_measure(
        phone, by=who, kind="phone", pupil=c, starts_on=today - timedelta(days=3)
    )
    workflow.return_phone(
        measure,
        by=who,
        returned_to="de leerling, na schooltijd",
        at=_at(today, 3, hour=15),
    )
    count += 1
    # Waiting for the checklist: image abuse, described and not stored; a takedown request.
    images = report(
        "intieme-beelden",
        6,
        [
            {"role": "victim", "kind": "pupil", "pupil": d},
            {"role": "suspect", "kind": "account", "description": "onbekend Snapchat-account"},
        ],
        platform="snapchat",
        description=(
            "Een leerling vertelde dat een intieme foto van een klasgenoot rondgaat. "
            "Niemand heeft de foto doorgestuurd; de mentor heeft hem niet bekeken."
        ),
        account_or_link="snapchat: @onbekend_2026",
        seen_at=_at(today, 6, hour=8),
    )
    who = handler(images)
    workflow.add_takedown(
        images,
        by=who,
        route="take_it_down",
        platform="snapchat",
        requested_on=today - timedelta(days=5),
    )
    workflow.add_entry(images, by=who, kind="parents", text="Ouders van de leerling gebeld.")
    workflow.finish_handling(images, by=who)
    count += 1
    # Closed: a warning, the parents informed, an evaluation.
    closed = report(
        "uitschelden",
        20,
        [
            {"role": "victim", "kind": "pupil", "pupil": b},
            {"role": "suspect", "kind": "pupil", "pupil": a},
        ],
        description="Na de gymles werd een leerling in een spraakbericht uitgescholden.",
    )
    who = handler(closed)
    workflow.add_entry(closed, by=who, kind="pupil", text="Gesprek met beide leerlingen.")
    workflow.add_measure(
        closed, by=who, kind="warning", pupil=a, starts_on=today - timedelta(days=19)
    )
    workflow.set_duty(
        closed,
        by=who,
        duty="parents_informed",
        state="done",
        done_on=today - timedelta(days=18),
    )
    workflow.finish_handling(closed, by=who)
    workflow.close(closed, by=director, evaluation="Excuses aangeboden; afspraken werken.")
    count += 1
    if with_board_case and other_staff is not None:
        report(
            "grensoverschrijdend",
            2,
            [
                {"role": "victim", "kind": "pupil", "pupil": c},
                {"role": "suspect", "kind": "staff", "staff": other_staff},
            ],
            place="school_activity",
            platform="instagram",
            description="Een medewerker stuurde een leerling 's avonds persoonlijke berichten.",
        )
        count += 1
    return count


def load(today) -> str:
    """Add the demo incidents to every demo school that has none yet; returns a summary."""
    created = 0
    for stichting in Stichting.objects.order_by("name"):
        with transaction.atomic():
            _confidant(stichting)
            categories = {c.code: c for c in workflow.ensure_default_categories(stichting)}
            for position, school in enumerate(stichting.schools.order_by("name")):
                if Incident.objects.filter(school=school).exists():
                    continue
                created += _school(school, today, categories, with_board_case=position == 0)
    return f"{created} incidents"
