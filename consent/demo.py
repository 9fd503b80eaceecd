"""The demo's consent: each organisation's purposes, a mix of choices, and the cases to try.

Loaded by `load_demo` through `load`, after the schools, people and protocols. Purposes and
choices go through the ledger functions a user's actions use (`create_purpose`,
`record_choice`, `record_activity_answer`); the model is written directly only where no such
function exists (an activity request, and the one pupil who must be born relative to today).

What to try (accounts of fixtures/README.md, password "demo"):
- Klasse: Thijs Mulder's parents disagree on "Sociale media van de school" (ouder@klasse.demo,
  leerkracht@klasse.demo for Groep 6, directeur@klasse.demo for the coverage); a withdrawal
  for the website at De Regenboog left a takedown task on the director's "Wacht op jou".
- Amstelveen: Lynn Brouwer (5V, daughter of mr@amstelveen.demo) turns 16 five days after the
  demo is first loaded; from that day she decides herself.
- Lankforst: an open activity request "Avondvierdaagse" for Groep 4 and Groep 7, deadline two
  weeks after loading, answered for some pupils (ouder@lankforst.demo has not answered yet).
- Meilân: the pupil e-mail box is a purpose of kind "other", and the website's refusals
  make the list the school keeps so that those pupils stay off the website.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q

from consent import ledger, rules
from consent.models import ActivityAnswer, ActivityRequest, ConsentEvent, Purpose
from protocols.models import ProtocolVersion, Section
from schools.models import (
    ClassGroup,
    Guardian,
    Membership,
    Pupil,
    Role,
    School,
    Staff,
    Stichting,
    User,
    school_year_of,
)

PUBLIC = Purpose.Channel.PUBLIC
LOGIN = Purpose.Channel.AUTHENTICATED
PUPILS, STAFF, BOTH = Purpose.Audience.PUPILS, Purpose.Audience.STAFF, Purpose.Audience.BOTH
IMAGE, OTHER = Purpose.Kind.IMAGE, Purpose.Kind.OTHER


@dataclass(frozen=True)
class PurposeSpec:
    slug: str
    name: str
    text: str
    section: str  # the start of the heading of the adopted protocol's section it rests on
    channel: str = PUBLIC
    media: str = "photo"  # "photo", "photo video", "photo video sound", or "" for kind other
    audience: str = PUPILS
    school: str | None = None  # a school's own addition; None for the whole stichting


# What each organisation asks consent for, from its protocol (../shared/seeds, fixtures/README).
PURPOSES: dict[str, list[PurposeSpec]] = {
    # 003: "De school vraagt aantoonbaar schriftelijke toestemming aan medewerkers en ouders om
    # foto-, film- en geluidsopnamen ... op de school- en/of persoonlijke sociale media te
    # zetten" (A); the parent app is in B.
    "klasse": [
        PurposeSpec(
            "schoolgids",
            "Schoolgids en jaarverslag",
            "In de schoolgids en het jaarverslag laten we graag zien hoe het er bij ons in de "
            "klas aan toegaat. Daarvoor gebruiken we soms foto's waarop je kind herkenbaar te "
            "zien is. De schoolgids staat ook als pdf op de website en is dus openbaar. We zetten "
            "nooit de naam van je kind bij een foto.",
            "A.",
        ),
        PurposeSpec(
            "website",
            "Website van de school",
            "Op de website van de school plaatsen we foto's en korte filmpjes van activiteiten, "
            "zoals de sportdag, een excursie of de projectweek. De website is voor iedereen te "
            "bekijken. We vermelden geen namen bij beelden van leerlingen.",
            "A.",
            media="photo video",
        ),
        PurposeSpec(
            "nieuwsbrief",
            "Nieuwsbrief",
            "In de nieuwsbrief die we elke maand aan de ouders mailen, staan soms foto's van "
            "activiteiten op school. De nieuwsbrief is bedoeld voor ouders en medewerkers van de "
            "school, maar ontvangers kunnen hem doorsturen.",
            "A.",
            channel=LOGIN,
        ),
        PurposeSpec(
            "sociale-media",
            "Sociale media van de school",
            "De school heeft een Facebook- en een Instagramaccount waarop we laten zien waar we "
            "trots op zijn. Berichten daar zijn openbaar en kunnen door anderen worden gedeeld. "
            "Volgens het protocol sociale media van Klasse vragen we hiervoor aantoonbaar "
            "toestemming, aan ouders en aan medewerkers.",
            "A.",
            media="photo video sound",
            audience=BOTH,
        ),
        PurposeSpec(
            "ouderapp",
            "Social Schools (besloten ouderapp)",
            "Via Social Schools delen leerkrachten foto's en filmpjes met de ouders van de eigen "
            "groep, bijvoorbeeld van een uitstapje of de projectweek. Alleen ouders en "
            "medewerkers met een account zien deze berichten.",
            "B.",
            channel=LOGIN,
            media="photo video",
        ),
        PurposeSpec(
            "drukwerk",
            "Drukwerk en PR",
            "Voor folders, posters, advertenties en de open dag maken we soms foto's in de "
            "school. Die foto's worden gedrukt en verspreid en kunnen een paar jaar worden "
            "gebruikt.",
            "A.",
        ),
        PurposeSpec(
            "smoelenboek",
            "Smoelenboek voor ouders",
            "In Social Schools en in de hal van de school hangt een overzicht van het team met "
            "foto, naam en functie, zodat ouders weten wie wie is. Deze toestemming geef je als "
            "medewerker zelf.",
            "A.",
            channel=LOGIN,
            audience=STAFF,
        ),
        PurposeSpec(
            "stagevideo",
            "Video-opnamen voor de opleiding van stagiairs",
            "De Regenboog is opleidingsschool. Studenten van de pabo filmen soms een les om die "
            "met hun begeleider te bespreken. De opnamen blijven binnen de opleiding en worden na "
            "afloop van de stage verwijderd.",
            "A.",
            channel=LOGIN,
            media="video sound",
            school="de-regenboog",
        ),
    ],
    # 001: "niet toegestaan om foto-, film- en geluidsopnamen van schoolgerelateerde situaties
    # op de sociale media te zetten tenzij betrokkenen hier uitdrukkelijk toestemming voor
    # plaatsing hebben gegeven" (A); the schoolgids refers to the protocol.
    "kopwerk": [
        PurposeSpec(
            "schoolgids",
            "Schoolgids",
            "In de schoolgids staan foto's van leerlingen tijdens de lessen en activiteiten. De "
            "schoolgids is openbaar: hij staat op de website van de school.",
            "A.",
        ),
        PurposeSpec(
            "website",
            "Website van de school",
            "Op de website van de school plaatsen we foto's en filmpjes van activiteiten. De "
            "website is voor iedereen te bekijken; we zetten er geen namen van leerlingen bij.",
            "A.",
            media="photo video",
        ),
        PurposeSpec(
            "nieuwsbrief",
            "Nieuwsbrief",
            "In de nieuwsbrief voor ouders staan soms foto's van wat er op school gebeurt.",
            "A.",
            channel=LOGIN,
        ),
        PurposeSpec(
            "sociale-media",
            "Sociale media van de school",
            "Foto-, film- en geluidsopnamen van leerlingen komen alleen op de sociale media van "
            "de school als je daar uitdrukkelijk toestemming voor geeft (protocol sociale media "
            "van Kopwerk, onderdeel A). Berichten op sociale media zijn openbaar.",
            "A.",
            media="photo video sound",
        ),
    ],
    # 004: the pupil e-mail box needs the parents' agreement first (E-mail 1); the website
    # publishes nothing traceable to a pupil without consent, and the school keeps the names of
    # those who refuse (SCHOOLWEBSITE).
    "meilan": [
        PurposeSpec(
            "schoolgids",
            "Schoolgids",
            "In de schoolgids staan foto's van leerlingen in de klas en bij activiteiten. De "
            "schoolgids is openbaar.",
            "Afspraken gebruikers",
        ),
        PurposeSpec(
            "website",
            "Schoolwebsite",
            "Op de schoolwebsite kunnen foto's, filmpjes en werk van leerlingen worden "
            "geplaatst. We publiceren niets dat tot je kind herleidbaar is zonder jouw "
            "toestemming. Geef je geen toestemming, dan komt je kind op de lijst die de school "
            "bijhoudt, zodat gegevens van je kind niet op de website terechtkomen.",
            "SCHOOLWEBSITE",
            media="photo video",
        ),
        PurposeSpec(
            "nieuwsbrief",
            "Nieuwsbrief",
            "In de nieuwsbrief aan ouders staan soms foto's van activiteiten op school.",
            "Afspraken gebruikers",
            channel=LOGIN,
        ),
        PurposeSpec(
            "sociale-media",
            "Sociale media van de school",
            "De scholen van CBO Meilân laten op Facebook en Instagram zien wat er op school "
            "gebeurt. Foto-, film- en geluidsopnamen van je kind plaatsen we daar alleen met jouw "
            "uitdrukkelijke toestemming. Berichten op sociale media zijn openbaar.",
            "Afspraken gebruikers",
            media="photo video sound",
        ),
        PurposeSpec(
            "e-mailadres",
            "E-mailadres voor leerlingen",
            "Leerlingen krijgen een e-mailadres van de school, dat ze alleen gebruiken voor "
            "berichten die met het onderwijs te maken hebben. Voordat we een mailbox voor je kind "
            "aanmaken, vragen we jouw akkoord. Bij misbruik kan de directie het adres tijdelijk "
            "afsluiten; je hoort dan van ons waarom.",
            "E-mail",
            channel=LOGIN,
            media="",
        ),
    ],
    # 000: "Ouders kunnen door middel van een formulier aangeven wel of geen toestemming te
    # geven voor het gebruik van geluid,- en beeldmateriaal" (C.1); on social media pupils are
    # unrecognisable, and public activities get their own request (profilering).
    "lankforst": [
        PurposeSpec(
            "schoolgids",
            "Schoolgids",
            "In de schoolgids staan foto's van leerlingen in de klas en bij activiteiten. De "
            "schoolgids is openbaar.",
            "C.",
        ),
        PurposeSpec(
            "website",
            "Website",
            "Op de website van de Nutsschool staan foto's en filmpjes van activiteiten, waarop "
            "je kind herkenbaar kan zijn. Op onze sociale media zijn leerlingen altijd "
            "onherkenbaar in beeld; voor publieke activiteiten zoals de Avondvierdaagse of de "
            "musical bij de Lindenberg vragen we apart toestemming.",
            "C.",
            media="photo video",
        ),
        PurposeSpec(
            "nieuwsbrief",
            "Nieuwsbrief",
            "In de nieuwsbrief aan ouders staan soms foto's van activiteiten op school.",
            "C.",
            channel=LOGIN,
        ),
        PurposeSpec(
            "ouderapp",
            "Foto's en filmpjes in de ouderapp",
            "In de ouderapp delen leerkrachten foto's, filmpjes en geluidsopnamen met de ouders "
            "van de eigen groep. Alleen ouders en medewerkers met een account zien ze.",
            "C.",
            channel=LOGIN,
            media="photo video sound",
        ),
        PurposeSpec(
            "drukwerk",
            "Drukwerk en PR",
            "Voor folders, posters en de open dag gebruiken we soms foto's van leerlingen. Die "
            "worden gedrukt en verspreid.",
            "Toepassing social media bij profilering",
        ),
    ],
    # 002 A.5: "De onderwijsinstelling vraagt aantoonbaar digitaal toestemming aan medewerkers,
    # ouders of aan leerlingen ouder dan 16 jaar".
    "amstelveen": [
        PurposeSpec(
            "website",
            "Website en schoolgids",
            "Op de website en in de schoolgids van Amstelveen College staan foto's en filmpjes "
            "van lessen, excursies en activiteiten. Ze zijn voor iedereen te bekijken.",
            "A.",
            media="photo video",
        ),
        PurposeSpec(
            "sociale-media",
            "Sociale media van de school",
            "Amstelveen College heeft accounts op Instagram, TikTok en LinkedIn. Berichten daar "
            "zijn openbaar en kunnen worden gedeeld. Volgens het protocol sociale media (A.5) "
            "vragen we aantoonbaar digitaal toestemming aan medewerkers, aan ouders en aan "
            "leerlingen vanaf 16 jaar.",
            "A.",
            media="photo video sound",
            audience=BOTH,
        ),
        PurposeSpec(
            "jaarboek",
            "Jaarboek",
            "In het jaarboek dat leerlingen aan het eind van het schooljaar krijgen, staan "
            "klassenfoto's en foto's van activiteiten. Het jaarboek wordt niet openbaar gemaakt.",
            "A.",
            channel=LOGIN,
        ),
        PurposeSpec(
            "voorlichting",
            "Voorlichting en open dagen",
            "Voor brochures, de open dagen en voorlichtingsfilmpjes voor leerlingen van groep 8 "
            "en hun ouders maken we foto's en video's in de school.",
            "A.",
            media="photo video",
        ),
        PurposeSpec(
            "smoelenboek",
            "Pasfoto in SOMtoday",
            "In SOMtoday en in het leerling- en ouderportaal staat bij medewerkers een pasfoto, "
            "zodat leerlingen en ouders weten wie hun docent of mentor is.",
            "A.",
            channel=LOGIN,
            audience=STAFF,
        ),
    ],
}

# Fixed choices for the subjects the README's accounts see; (e-mail of who gives it, purpose
# slug, choice) in the order given. Everything else is a seeded random mix (`_plan`).
FIXED = {
    # The two parents disagree on social media; Ilse's other choices are ja, and the trainee
    # video is left open so her "Wacht op jou" shows it. Erik's nee comes first: a ja followed
    # by a nee would read as a withdrawal and create a takedown task.
    ("de-regenboog", "Thijs", "Mulder"): [
        ("erik.mulder@klasse.demo", "sociale-media", False),
        ("ouder@klasse.demo", "sociale-media", True),
        ("ouder@klasse.demo", "schoolgids", True),
        ("ouder@klasse.demo", "website", True),
        ("ouder@klasse.demo", "nieuwsbrief", True),
        ("ouder@klasse.demo", "ouderapp", True),
        ("ouder@klasse.demo", "drukwerk", True),
    ],
    ("de-regenboog", "Lotte", "Mulder"): [
        ("ouder@klasse.demo", "schoolgids", True),
        ("ouder@klasse.demo", "website", True),
        ("ouder@klasse.demo", "nieuwsbrief", True),
        ("ouder@klasse.demo", "ouderapp", True),
        ("erik.mulder@klasse.demo", "sociale-media", False),
        ("ouder@klasse.demo", "sociale-media", False),
    ],
    # A withdrawal for the public website: the director gets a takedown task.
    ("de-regenboog", "Sara", "de Groot"): [
        ("petra.degroot@klasse.demo", "website", True),
        ("petra.degroot@klasse.demo", "schoolgids", True),
        ("petra.degroot@klasse.demo", "ouderapp", True),
        ("petra.degroot@klasse.demo", "website", False),
    ],
    ("lankforst", "Mees", "Janssen"): [
        ("ouder@lankforst.demo", "schoolgids", True),
        ("ouder@lankforst.demo", "website", True),
        ("ouder@lankforst.demo", "nieuwsbrief", True),
        ("ouder@lankforst.demo", "ouderapp", True),
        ("ouder@lankforst.demo", "drukwerk", False),
    ],
    ("lankforst", "Fleur", "Janssen"): [
        ("ouder@lankforst.demo", "schoolgids", True),
        ("ouder@lankforst.demo", "nieuwsbrief", True),
        ("ouder@lankforst.demo", "ouderapp", True),
        ("bart.peeters@lankforst.demo", "ouderapp", True),
    ],
    ("amstelveen", "Sem", "Visser"): [
        ("marco.visser@amstelveen.demo", "sociale-media", False),
        ("ouder@amstelveen.demo", "sociale-media", False),
        ("ouder@amstelveen.demo", "website", True),
        ("ouder@amstelveen.demo", "jaarboek", True),
    ],
    # Her mother answers while she is 15; the choices stay in force after her birthday.
    ("amstelveen", "Lynn", "Brouwer"): [
        ("mr@amstelveen.demo", "website", True),
        ("mr@amstelveen.demo", "sociale-media", False),
        ("mr@amstelveen.demo", "jaarboek", True),
        ("mr@amstelveen.demo", "voorlichting", True),
    ],
    # Noor (16+) decides herself; her mother can no longer.
    ("amstelveen", "Noor", "Visser"): [
        ("leerling@amstelveen.demo", "website", True),
        ("leerling@amstelveen.demo", "sociale-media", True),
        ("leerling@amstelveen.demo", "jaarboek", True),
    ],
}

# The Amstelveen pupil who turns 16 shortly after the demo is loaded: no pupil of demo.json
# does (ages there are whole months), so this loader adds her, born relative to "today".
TURNING_16 = {
    "first_name": "Lynn",
    "last_name": "Brouwer",
    "account": "lynn.brouwer@leerling.amstelveen.demo",
    "guardian": "mr@amstelveen.demo",
    "class_of": "leerling@amstelveen.demo",  # she sits in Noor Visser's class, 5V
    "days_to_16": 5,
}

AVONDVIERDAAGSE = {
    "school": "lankforst",
    "title": "Avondvierdaagse",
    "text": (
        "Binnenkort lopen de groepen 4 en 7 mee met de Avondvierdaagse. Ouders en leerkrachten "
        "lopen mee en maken foto's en filmpjes. Na afloop zetten we een verslag met beelden op "
        "de website en op de sociale media van de school, waarop de kinderen herkenbaar kunnen "
        "zijn. Omdat dit een publieke activiteit is, vragen we hiervoor apart toestemming "
        "(protocol sociale media: toepassing bij profilering)."
    ),
    "groups": ["Groep 4", "Groep 7"],
    "days_to_deadline": 14,
    # (pupil first and last name, e-mail of who answers, choice); the Janssens stay open.
    "answers": [
        ("Hugo", "Verheijen", "jasper.verheijen@lankforst.demo", True),
        ("Dani", "Pinas", "ria.derksen@lankforst.demo", True),
        ("Noor", "Reijnen", "anouk.reijnen@lankforst.demo", False),
    ],
}

# Staff accounts of the README with fixed choices: (e-mail, purpose slug, choice).
FIXED_STAFF = {
    "leerkracht@klasse.demo": [("sociale-media", True)],  # smoelenboek left open
    "directeur@klasse.demo": [("sociale-media", True), ("smoelenboek", True)],
    "leerkracht@amstelveen.demo": [("sociale-media", False)],
    "directeur@amstelveen.demo": [("sociale-media", True), ("smoelenboek", True)],
}

# The seeded mix of choices per pupil: (weight, what is answered). "yes" answers every
# purpose ja, "no_public" says nee to the public channels, "partial" leaves half open.
PROFILES = [
    (40, "yes"),
    (20, "no_public"),
    (10, "no_social"),
    (5, "no"),
    (10, "partial"),
    (15, "open"),
]


@dataclass
class Counts:
    purposes: int = 0
    choices: int = 0
    requests: int = 0
    answers: int = 0


def load(today: date) -> str:
    """Load the demo's consent that is missing; says what it added in one line."""
    counts = Counts()
    # The receipts go out after the commit; `load_demo` keeps the demo's mail in memory.
    with transaction.atomic():
        for stichting in Stichting.objects.filter(slug__in=PURPOSES).order_by("slug"):
            _load_purposes(stichting, counts)
        _add_pupil_turning_16(today)
        _load_choices(today, counts)
        _load_avondvierdaagse(today, counts)
    request_word = "activity request" if counts.requests == 1 else "activity requests"
    return (
        f"{counts.purposes} consent purposes, {counts.choices} consent choices, "
        f"{counts.requests} {request_word}, {counts.answers} activity answers"
    )


# --- purposes ---------------------------------------------------------------------------------


def _adopted_sections(stichting: Stichting) -> list[Section]:
    version = (
        ProtocolVersion.objects.filter(
            protocol__stichting=stichting, status=ProtocolVersion.Status.ADOPTED
        )
        .order_by("pk")
        .first()
    )
    return list(version.sections.order_by("position")) if version else []


def _section(sections: list[Section], heading: str) -> Section | None:
    """The first section whose heading starts with `heading`, if the protocol has one."""
    return next((s for s in sections if s.heading.startswith(heading)), None)


def _load_purposes(stichting: Stichting, counts: Counts) -> None:
    sections = _adopted_sections(stichting)
    schools = {school.slug: school for school in stichting.schools.all()}
    for order, spec in enumerate(PURPOSES[stichting.slug], start=1):
        school = schools.get(spec.school) if spec.school else None
        if spec.school and school is None:
            continue
        exists = Purpose.objects.filter(stichting=stichting, school=school, slug=spec.slug).exists()
        if exists:
            continue
        media = spec.media.split()
        ledger.create_purpose(
            stichting=stichting,
            school=school,
            name=spec.name,
            slug=spec.slug,
            text=spec.text,
            by=None,
            kind=IMAGE if media else OTHER,
            photo="photo" in media,
            video="video" in media,
            sound="sound" in media,
            channel=spec.channel,
            audience=spec.audience,
            section=_section(sections, spec.section),
            order=order * 10,
        )
        counts.purposes += 1


# --- the pupil turning 16 ---------------------------------------------------------------------


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _add_pupil_turning_16(today: date) -> None:
    """Add Lynn Brouwer, who turns 16 a few days after the first load, once.

    A direct model write: no domain function adds one pupil (the import takes a whole file),
    and her date of birth has to be relative to the day the demo is loaded.
    """
    spec = TURNING_16
    classmate = Pupil.objects.filter(user__email=spec["class_of"]).select_related("school").first()
    if classmate is None:
        return
    school = classmate.school
    if Pupil.objects.filter(
        school=school, first_name=spec["first_name"], last_name=spec["last_name"]
    ).exists():
        return
    birth_date = _years_before(today + timedelta(days=spec["days_to_16"]), rules.CONSENT_AGE)
    account = User.objects.filter(email__iexact=spec["account"]).first()
    if account is None:
        account = User(
            email=spec["account"], first_name=spec["first_name"], last_name=spec["last_name"]
        )
        account.set_password("demo")
        account.full_clean()
        account.save()
    # In her fifth year at the school, which she entered at 11 (she skipped a year).
    first_year = int(school_year_of(today)[:4]) - 4
    pupil = Pupil(
        school=school,
        group=classmate.group,
        first_name=spec["first_name"],
        last_name=spec["last_name"],
        birth_date=birth_date,
        start_date=date(first_year, 8, 1),
        user=account,
    )
    pupil.full_clean()
    pupil.save()
    guardian = Guardian(
        user=User.objects.get(email=spec["guardian"]),
        pupil=pupil,
        relation=Guardian.Relation.PARENT,
        has_gezag=True,
    )
    guardian.full_clean()
    guardian.save()


# --- choices ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    subject: Pupil | Staff
    purpose: Purpose
    choice: bool
    by: User  # who gives it, in the portal


def _answers(profile: str, purposes: list[Purpose]) -> list[tuple[Purpose, bool]]:
    """What one profile answers for `purposes` (in their order); unanswered ones are left out."""
    if profile == "open":
        return []
    if profile == "partial":
        return [(purpose, True) for purpose in purposes[: len(purposes) // 2]]
    answers = []
    for purpose in purposes:
        if purpose.kind == OTHER:
            answers.append((purpose, profile != "no"))
        elif profile == "no_public":
            answers.append((purpose, not purpose.is_public))
        elif profile == "no_social":
            answers.append((purpose, purpose.slug != "sociale-media"))
        else:
            answers.append((purpose, profile == "yes"))
    return answers


def _pick(rng: random.Random) -> str:
    weights, profiles = zip(*PROFILES, strict=True)
    return rng.choices(profiles, weights=weights)[0]


def _plan_pupils(school: School, purposes: list[Purpose], today: date, users: dict) -> list:
    """The choices for the pupils of `school`: fixed ones for the README's, else a seeded mix.

    Guardians with gezag answer for pupils under 16, often only one of two; a pupil of 16+ with
    an account answers for themselves. Pupils with nobody in the portal stay unanswered, as
    they would at a school that has just started asking through it.
    """
    rng = random.Random(f"consent-demo:{school.slug}")
    pupils = (
        Pupil.objects.enrolled_on(today)
        .filter(school=school)
        .select_related("user", "group")
        .prefetch_related("guardians__user")
        .order_by("group__name", "last_name", "first_name", "birth_date")
    )
    by_slug = {purpose.slug: purpose for purpose in purposes}
    plan = []
    for pupil in pupils:
        profile = _pick(rng)  # drawn for every pupil, so one fixed pupil shifts nobody else
        fixed = FIXED.get((school.slug, pupil.first_name, pupil.last_name))
        if fixed is not None:
            plan += [
                Choice(pupil, by_slug[slug], choice, users[email])
                for email, slug, choice in fixed
                if slug in by_slug
            ]
            continue
        answers = _answers(profile, purposes)
        if rules.pupil_decides(pupil.birth_date, today):
            deciders = [pupil.user] if pupil.user_id else []
        else:
            with_gezag = [g for g in pupil.guardians.all() if g.has_gezag]
            deciders = [g.user for g in sorted(with_gezag, key=lambda g: g.user.email)]
            # Often only one of two parents fills it in; one nee still counts for both.
            if len(deciders) > 1 and rng.random() < 0.6:
                deciders = deciders[:1]
        plan += [
            Choice(pupil, purpose, choice, decider)
            for decider in deciders
            for purpose, choice in answers
        ]
    return plan


def _plan_staff(school: School, purposes: list[Purpose], today: date) -> list:
    """Staff answer for themselves: fixed for the README's accounts, else a seeded mix."""
    if not purposes:
        return []
    rng = random.Random(f"consent-demo-staff:{school.slug}")
    staff = (
        Staff.objects.filter(Q(end_date__isnull=True) | Q(end_date__gt=today), school=school)
        .select_related("user")
        .order_by("user__email")
    )
    by_slug = {purpose.slug: purpose for purpose in purposes}
    plan = []
    for position in staff:
        profile = _pick(rng)
        fixed = FIXED_STAFF.get(position.user.email)
        if fixed is not None:
            answers = [(by_slug[slug], choice) for slug, choice in fixed if slug in by_slug]
        else:
            answers = _answers(profile, purposes)
        plan += [Choice(position, purpose, choice, position.user) for purpose, choice in answers]
    return plan


def _given(choice: Choice) -> tuple:
    """What identifies a planned choice in the ledger, so a second run adds nothing."""
    subject_field = "staff" if isinstance(choice.subject, Staff) else "pupil"
    return (subject_field, choice.subject.pk, choice.purpose.pk, choice.by.pk)


def _load_choices(today: date, counts: Counts) -> None:
    emails = {email for fixed in FIXED.values() for email, _slug, _choice in fixed}
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    plan = []
    schools = School.objects.filter(stichting__slug__in=PURPOSES).order_by("slug")
    for school in schools:
        purposes = ledger.purposes_at([school.pk])
        staff_purposes = ledger.purposes_at([school.pk], Purpose.Audience.STAFF)
        plan += _plan_pupils(school, purposes, today, users)
        plan += _plan_staff(school, staff_purposes, today)
    # Whatever is in the ledger already was given before (by this loader or in the portal):
    # a choice is only added for a subject, purpose and person with nothing recorded yet.
    recorded = {
        ("pupil" if pupil else "staff", pupil or staff, purpose, given_by)
        for pupil, staff, purpose, given_by in ConsentEvent.objects.filter(
            purpose__stichting__slug__in=PURPOSES
        ).values_list("pupil", "staff", "purpose", "given_by")
    }
    for choice in plan:
        if _given(choice) in recorded:
            continue
        ledger.record_choice(
            subject=choice.subject,
            purpose=choice.purpose,
            choice=choice.choice,
            by=choice.by,
            today=today,
        )
        counts.choices += 1


# --- the activity request ---------------------------------------------------------------------


def _load_avondvierdaagse(today: date, counts: Counts) -> None:
    """Lankforst's open request for the Avondvierdaagse, with a few answers, once.

    The request itself is a model write: the school creates it through a form, and there is no
    domain function to call below it. The answers go through the ledger.
    """
    spec = AVONDVIERDAAGSE
    school = School.objects.filter(slug=spec["school"]).first()
    if school is None:
        return
    request = ActivityRequest.objects.filter(school=school, title=spec["title"]).first()
    if request is None:
        director = Membership.objects.filter(school=school, role=Role.DIRECTOR).first()
        request = ActivityRequest(
            school=school,
            title=spec["title"],
            text=spec["text"],
            deadline=today + timedelta(days=spec["days_to_deadline"]),
            created_by=director.user if director else None,
        )
        request.full_clean()
        request.save()
        # The groups the demo's pupils are in (those of the year it was first loaded).
        groups = ClassGroup.objects.filter(
            school=school, name__in=spec["groups"], pupils__isnull=False
        ).distinct()
        request.groups.set(groups)
        counts.requests += 1
    if today > request.deadline:
        return
    answered = set(ActivityAnswer.objects.filter(request=request).values_list("pupil", "given_by"))
    for first_name, last_name, email, choice in spec["answers"]:
        pupil = Pupil.objects.filter(
            school=school, first_name=first_name, last_name=last_name
        ).first()
        user = User.objects.filter(email=email).first()
        if pupil is None or user is None or (pupil.pk, user.pk) in answered:
            continue
        ledger.record_activity_answer(
            request=request, pupil=pupil, choice=choice, by=user, today=today
        )
        counts.answers += 1
