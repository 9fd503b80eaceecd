"""fixtures/demo.json loads, loads again without changes, and gives what its README promises."""

import json
import re
from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from consent.rules import pupil_decides
from schools.models import (
    ClassGroup,
    Council,
    CouncilMember,
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
from schools.services import load_demo

pytestmark = pytest.mark.django_db

DEMO_FILE = settings.BASE_DIR / "fixtures" / "demo.json"
DEMO_MODELS = [
    User,
    Stichting,
    School,
    Membership,
    ClassGroup,
    Pupil,
    Guardian,
    Staff,
    Council,
    CouncilMember,
]

# The accounts of fixtures/README.md and what each one's home page must show.
ACCOUNTS = [
    (
        "bestuurder@klasse.demo",
        ["Basisschool De Regenboog", "Basisschool Het Kompas", "Basisschool De Vlinder"],
    ),
    ("bestuurder@kopwerk.demo", ["OBS De Zandloper", "OBS Het Wad", "OBS De Tuimelaar"]),
    ("bestuurder@meilan.demo", ["CBS De Fûgelsang", "CBS It Harspit", "CBS De Wiekslach"]),
    ("directeur@klasse.demo", ["Ellen Verbeek", "Basisschool De Regenboog"]),
    ("directeur@kopwerk.demo", ["Jeroen Zwart", "OBS De Zandloper"]),
    ("directeur@meilan.demo", ["Geartsje Bosma", "CBS De Fûgelsang"]),
    ("directeur@lankforst.demo", ["Mark Hermsen", "Nutsschool Lankforst"]),
    ("directeur@amstelveen.demo", ["Ruud Hoogendoorn", "Amstelveen College"]),
    ("leerkracht@klasse.demo", ["Sanne Kuiper", "Basisschool De Regenboog", "Groep 6"]),
    ("leerkracht@lankforst.demo", ["Lisa Gerritsen", "Nutsschool Lankforst", "Groep 4"]),
    ("leerkracht@amstelveen.demo", ["Bas Koning", "Amstelveen College", "3H", "5V"]),
    ("gmr@klasse.demo", ["Ahmed Benali", "GMR Stichting Klasse", "Yasmina Benali"]),
    ("gmr@meilan.demo", ["Wytske Terpstra", "GMR CBO Meilân", "Groep 5/6"]),
    ("mr@lankforst.demo", ["Joost Arts", "MR Nutsschool Lankforst", "Julia Arts"]),
    ("mr@amstelveen.demo", ["Monique Brouwer", "MR Amstelveen College", "Daan Brouwer"]),
    ("ouder@klasse.demo", ["Ilse Mulder", "Lotte Mulder", "Thijs Mulder"]),
    ("ouder@lankforst.demo", ["Karin Janssen", "Mees Janssen", "Fleur Janssen"]),
    ("ouder@amstelveen.demo", ["Ingrid Visser", "Sem Visser", "Noor Visser"]),
    ("leerling@amstelveen.demo", ["Noor Visser · Amstelveen College · 5V"]),
]


@pytest.fixture
def demo_data():
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for a class of tests, each in its own savepoint; rolled back after.

    Loading takes seconds, so the read-only tests share one load instead of repeating it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo(
            json.loads(DEMO_FILE.read_text(encoding="utf-8")), today=timezone.localdate()
        )
        transaction.set_rollback(True)


def row_counts() -> dict[str, int]:
    """Rows per model of the schools app, history and many-to-many tables included."""
    models = apps.get_app_config("schools").get_models(include_auto_created=True)
    return {model._meta.label: model.objects.count() for model in models}


@pytest.mark.usefixtures("demo")
class TestLoadedDemo:
    def test_load_demo_counts_every_row_it_creates(self, demo):
        assert demo.created == sum(model.objects.count() for model in DEMO_MODELS)

    def test_load_demo_twice_changes_nothing(self, demo_data):
        before = row_counts()

        again = load_demo(demo_data, today=timezone.localdate())

        assert (row_counts(), again.created) == (before, 0)

    def test_load_demo_in_a_later_school_year_adds_only_its_groups(self, demo, demo_data):
        pupils = Pupil.objects.count()

        load_demo(demo_data, today=date(2031, 9, 1))

        new_groups = ClassGroup.objects.filter(school_year="2031-2032").count()
        assert (Pupil.objects.count(), new_groups) == (pupils, demo.groups)

    def test_load_demo_command_reports_no_new_records_when_loaded(self):
        call_command("load_demo", stdout=StringIO())  # adds the protocols
        out = StringIO()

        call_command("load_demo", stdout=out)

        assert re.fullmatch(
            r"0 demo e-mail\(s\) kept in memory, not sent\.\n"
            r"Demo data: 5 organisations, \d+ schools, \d+ groups, \d+ pupils, \d+ accounts "
            r"\(0 new records\), 0 protocols imported(, [^.]*)?\.\n",
            out.getvalue(),
        )

    @pytest.mark.parametrize("email, expected", ACCOUNTS)
    def test_demo_account_logs_in_and_sees_their_home(self, client, email, expected):
        response = client.post(reverse("login"), {"username": email, "password": "demo"})
        assert response.url == reverse("schools:home")

        response = client.get(reverse("schools:home"))

        for text in expected:
            assertContains(response, text)

    def test_demo_director_sees_only_their_school(self, client):
        client.post(reverse("login"), {"username": "directeur@klasse.demo", "password": "demo"})

        response = client.get(reverse("schools:home"))

        schools = [school.slug for school, roles in response.context["reach"].schools]
        assert schools == ["de-regenboog"]

    @pytest.mark.parametrize("email", [e for e, _ in ACCOUNTS if e.startswith("bestuurder@")])
    def test_demo_board_members_are_stichting_wide(self, email):
        membership = Membership.objects.get(user__email=email)
        assert (membership.role, membership.school) == (Role.BOARD, None)

    @pytest.mark.parametrize("email", [e for e, _ in ACCOUNTS if e.startswith("directeur@")])
    def test_demo_directors_direct_the_school_they_work_at(self, email):
        membership = Membership.objects.get(user__email=email)
        staff = Staff.objects.get(user__email=email)
        assert (membership.role, membership.school, staff.function) == (
            Role.DIRECTOR,
            staff.school,
            "directeur",
        )

    @pytest.mark.parametrize("email", [e for e, _ in ACCOUNTS if e.startswith("leerkracht@")])
    def test_demo_teachers_teach_a_group_of_their_school(self, email):
        membership = Membership.objects.get(user__email=email)
        staff = Staff.objects.get(user__email=email)
        taught_at = {group.school for group in staff.groups.all()}
        assert (membership.role, membership.school, taught_at) == (
            Role.STAFF,
            staff.school,
            {staff.school},
        )

    @pytest.mark.parametrize(
        "email, kind, slug",
        [
            ("gmr@klasse.demo", Council.Kind.GMR, "klasse"),
            ("gmr@meilan.demo", Council.Kind.GMR, "meilan"),
            ("mr@lankforst.demo", Council.Kind.MR, "lankforst"),
            ("mr@amstelveen.demo", Council.Kind.MR, "amstelveen"),
        ],
    )
    def test_demo_council_accounts_sit_on_their_council(self, email, kind, slug):
        council = CouncilMember.objects.get(user__email=email).council
        assert (council.kind, council.stichting.slug) == (kind, slug)

    @pytest.mark.parametrize(
        "email", ["ouder@klasse.demo", "ouder@lankforst.demo", "ouder@amstelveen.demo"]
    )
    def test_demo_parents_have_gezag_over_two_children(self, email):
        guardianships = Guardian.objects.filter(user__email=email)
        assert [guardian.has_gezag for guardian in guardianships] == [True, True]

    def test_demo_amstelveen_parent_has_a_child_under_16_and_one_of_16_or_more(self):
        today = timezone.localdate()
        children = Pupil.objects.filter(guardians__user__email="ouder@amstelveen.demo")
        assert sorted(pupil_decides(child.birth_date, today) for child in children) == [False, True]

    def test_demo_pupil_account_is_16_or_more(self):
        pupil = Pupil.objects.get(user__email="leerling@amstelveen.demo")
        assert (pupil.school.slug, pupil_decides(pupil.birth_date, timezone.localdate())) == (
            "amstelveen",
            True,
        )

    def test_demo_has_a_pupil_with_two_guardians_with_gezag(self):
        with_gezag = Count("guardians", filter=Q(guardians__has_gezag=True))
        assert Pupil.objects.annotate(n=with_gezag).filter(n=2).exists()

    def test_demo_has_a_guardian_without_gezag(self):
        assert Guardian.objects.filter(has_gezag=False).exists()

    def test_demo_has_the_five_organisations(self):
        slugs = set(Stichting.objects.values_list("slug", flat=True))
        assert slugs == {"klasse", "kopwerk", "meilan", "lankforst", "amstelveen"}

    @pytest.mark.parametrize("slug", ["lankforst", "amstelveen"])
    def test_demo_one_school_organisation_shares_its_slug_with_its_school(self, slug):
        schools = School.objects.filter(stichting__slug=slug).values_list("slug", flat=True)
        assert list(schools) == [slug]

    def test_demo_every_school_has_two_groups_this_year_and_an_mr(self):
        this_year = Q(groups__school_year=school_year_of(timezone.localdate()))
        schools = School.objects.annotate(
            n_groups=Count("groups", filter=this_year, distinct=True),
            n_mr=Count("councils", filter=Q(councils__kind=Council.Kind.MR), distinct=True),
        )
        assert {(school.n_groups >= 2, school.n_mr) for school in schools} == {(True, 1)}


# Loaded on a leap day and on the last day of a year, the documented ages still hold.
@pytest.mark.parametrize("day", [date(2028, 2, 29), date(2030, 12, 31)])
def test_demo_ages_hold_whichever_day_it_is_loaded(demo_data, day):
    load_demo(demo_data, today=day)

    children = Pupil.objects.filter(guardians__user__email="ouder@amstelveen.demo")
    pupil = Pupil.objects.get(user__email="leerling@amstelveen.demo")

    assert (
        sorted(pupil_decides(child.birth_date, day) for child in children),
        pupil_decides(pupil.birth_date, day),
    ) == ([False, True], True)


def _school(data, slug):
    return next(s for org in data["organisations"] for s in org["schools"] if s["slug"] == slug)


def _staff(data, slug, email):
    return next(staff for staff in _school(data, slug)["staff"] if staff["person"] == email)


def _pupil(data, slug, first_name):
    pupils = [pupil for group in _school(data, slug)["groups"] for pupil in group["pupils"]]
    return next(pupil for pupil in pupils if pupil["first_name"] == first_name)


def _mr_member(data, slug, email):
    members = _school(data, slug)["mr"]["members"]
    return next(member for member in members if member["person"] == email)


BAD_DATA = [
    pytest.param(
        lambda data: _staff(data, "de-regenboog", "leerkracht@klasse.demo")["groups"].append(
            "Groep 9"
        ),
        "School de-regenboog: staff member leerkracht@klasse.demo: unknown group Groep 9.",
        id="unknown-group",
    ),
    pytest.param(
        lambda data: _pupil(data, "amstelveen", "Noor")["guardians"][0].update(
            person="nobody@amstelveen.demo"
        ),
        "School amstelveen: pupil Noor Visser: unknown person nobody@amstelveen.demo.",
        id="unknown-guardian",
    ),
    pytest.param(
        lambda data: _mr_member(data, "amstelveen", "mr@amstelveen.demo").update(geleding="staff"),
        "Council MR Amstelveen College: mr@amstelveen.demo sits for the staff",
        id="member-outside-geleding",
    ),
    # full_clean() catches this after the other four organisations were written: all roll back.
    pytest.param(
        lambda data: _school(data, "amstelveen").update(brin="71ac"),
        "Demo school amstelveen: brin:",
        id="invalid-brin",
    ),
]


@pytest.mark.parametrize("spoil, message", BAD_DATA)
def test_load_demo_rejects_bad_data_naming_the_item_and_writes_nothing(demo_data, spoil, message):
    spoil(demo_data)

    with pytest.raises(ValidationError, match=re.escape(message)):
        load_demo(demo_data, today=timezone.localdate())

    assert set(row_counts().values()) == {0}


def test_load_demo_counts_the_demos_e_mails_instead_of_printing_them(transactional_db, mailoutbox):
    # Transactional: the notices go out at each commit, inside the command, as in `make run`.
    out = StringIO()

    call_command("load_demo", stdout=out)

    first_line = out.getvalue().splitlines()[0]
    assert re.fullmatch(r"[1-9]\d* demo e-mail\(s\) kept in memory, not sent\.", first_line)
    assert ("Subject:" in out.getvalue(), mailoutbox) == (False, [])
