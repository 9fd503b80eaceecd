"""Time consent's coverage page, a group's list and the board's coverage at 3,000 and 30,000 pupils.

Run from the project root, on PostgreSQL (the target) or, without DATABASE_URL, on SQLite:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python benchmarks/bench_consent.py

It builds one stichting of schools with 300 pupils each, two guardians with gezag per pupil
and ten consent events per pupil (two guardians times five of six purposes, so one purpose is
unanswered and some guardians disagree), first 10 schools (3,000 pupils), then 90 more (30,000).
At both sizes it times, warm, the median of RUNS requests through Django's test client: the
coverage page of the first school (as its director) and the list of its first group (as the
group's teacher); and `ledger.coverage` for the whole board. The schools keep their size, so
only the board grows: the pages should not notice it.

Like the test runner it creates a throw-away database (`test_<name>` next to the configured
one on PostgreSQL, in memory on SQLite) and drops it afterwards; the configured database is
never touched. Exits 1 when a target is missed: both pages under 150 ms at 30,000 pupils and
at most 1.5 times as slow as at 3,000. The targets are for PostgreSQL. On SQLite, which Django
never ANALYZEs, the group list's ledger query starts from the purpose-version index and so
reads every event of the board for that purpose: it grows with the board (about 1 ms at 3,000
pupils, 11 ms at 30,000); after an ANALYZE SQLite starts from the pupils and it stays at 0.1 ms.
"""

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
SCHOOL_SIZE = 300
GROUP_SIZE = 25
SMALL, LARGE = 10, 100  # schools: 3,000 and 30,000 pupils
PURPOSES = 6  # each pupil's guardians answer five of them
RUNS = 15
PAGE_BUDGET_MS = 150
RATIO_BUDGET = 1.5
BATCH = 5000


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client in (ALLOWED_HOSTS) and keeps mail in memory


def build_board():
    """The stichting, its purposes, and the director and teacher of the first school."""
    from consent import ledger
    from consent.models import Purpose
    from schools.models import Membership, Role, Stichting, User

    stichting = Stichting.objects.create(name="Stichting Benchmark", slug="benchmark")
    purposes = [
        ledger.create_purpose(
            stichting=stichting,
            name=f"Doel {n}",
            slug=f"doel-{n}",
            text=f"Uitleg bij doel {n}.",
            by=None,
            channel=Purpose.Channel.PUBLIC if n % 2 else Purpose.Channel.AUTHENTICATED,
        )
        for n in range(1, PURPOSES + 1)
    ]
    director = User.objects.create_user("directeur@bench.test", "x")
    teacher = User.objects.create_user("leerkracht@bench.test", "x")
    board = User.objects.create_user("bestuur@bench.test", "x")
    Membership.objects.create(user=board, role=Role.BOARD, stichting=stichting)
    return stichting, purposes, director, teacher


def add_schools(stichting, purposes, first: int, last: int, rng: random.Random) -> None:
    """Schools number `first` to `last` - 1 with their groups, pupils, guardians and events."""
    from django.utils import timezone

    from consent.models import Capacity, ConsentEvent
    from schools.models import ClassGroup, Guardian, Pupil, School, User, school_year_of

    today = timezone.localdate()
    now = timezone.now()
    year = school_year_of(today)
    versions = {p.pk: p.versions.get().pk for p in purposes}
    schools = School.objects.bulk_create(
        School(
            stichting=stichting,
            name=f"School {n}",
            slug=f"school-{n:03d}",
            brin=f"99BM{n:02d}",
            sector=School.Sector.PO,
        )
        for n in range(first, last)
    )
    groups = ClassGroup.objects.bulk_create(
        ClassGroup(school=school, name=f"Groep {g + 1}", school_year=year)
        for school in schools
        for g in range(SCHOOL_SIZE // GROUP_SIZE)
    )
    pupils = []
    for group in groups:
        for _ in range(GROUP_SIZE):
            birth = today - timedelta(days=rng.randint(4 * 365 + 30, 12 * 365))
            pupils.append(
                Pupil(
                    school_id=group.school_id,
                    group=group,
                    first_name=f"Leerling{len(pupils)}",
                    last_name=f"School{group.school_id}",
                    birth_date=birth,
                    start_date=date(birth.year + 4, birth.month, 1) + timedelta(days=31),
                )
            )
    pupils = Pupil.objects.bulk_create(pupils, batch_size=BATCH)
    users = User.objects.bulk_create(
        (
            User(email=f"ouder{pupil.pk}-{n}@bench.test", password="!")
            for pupil in pupils
            for n in (1, 2)
        ),
        batch_size=BATCH,
    )
    Guardian.objects.bulk_create(
        (
            Guardian(user=user, pupil=pupil, has_gezag=True)
            for pupil, pair in zip(pupils, zip(users[::2], users[1::2], strict=True), strict=True)
            for user in pair
        ),
        batch_size=BATCH,
    )

    def events():
        for i, pupil in enumerate(pupils):
            skipped = i % PURPOSES  # one purpose per pupil stays unanswered
            for k, purpose in enumerate(purposes):
                if k == skipped:
                    continue
                first_choice = rng.random() < 0.8
                # Mostly the second guardian agrees; sometimes not (disagreement).
                second_choice = first_choice if rng.random() < 0.9 else not first_choice
                answers = ((users[2 * i], first_choice), (users[2 * i + 1], second_choice))
                for user, choice in answers:
                    yield ConsentEvent(
                        pupil=pupil,
                        purpose=purpose,
                        purpose_version_id=versions[purpose.pk],
                        choice=choice,
                        given_by=user,
                        capacity=Capacity.PARENT,
                        created_at=now - timedelta(seconds=rng.randint(60, 365 * 86400)),
                    )

    # The ledger's guard refuses UPDATE and DELETE only: a bulk INSERT is what a big import does.
    ConsentEvent.objects.bulk_create(events(), batch_size=BATCH)


def analyze() -> None:
    """Let PostgreSQL's planner see the new rows, as autovacuum would soon after an import.

    SQLite is left as Django leaves it, without statistics (see the module docstring).
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def median_ms(fn) -> float:
    fn()
    fn()  # warm: caches, prepared plans, the session
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def query_count(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries.captured_queries)


def measure(stichting, director, teacher) -> dict:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from consent import ledger
    from schools.models import School

    school = School.objects.get(slug="school-000")
    group = school.groups.order_by("pk").first()
    as_director, as_teacher = Client(), Client()
    as_director.force_login(director)
    as_teacher.force_login(teacher)
    coverage_url = reverse("consent:coverage", args=[school.slug])
    group_url = reverse("consent:group_consent", args=[group.pk])

    def coverage_page():
        response = as_director.get(coverage_url)
        assert response.status_code == 200, response.status_code

    def group_page():
        response = as_teacher.get(group_url)
        assert response.status_code == 200, response.status_code

    def board_coverage():
        ledger.coverage(stichting.schools.values("pk"), timezone.localdate())

    checks = {
        "coverage page, one school": coverage_page,
        "group list, one group": group_page,
        "ledger.coverage, whole board": board_coverage,
    }
    return {name: (median_ms(fn), query_count(fn)) for name, fn in checks.items()}


def main() -> int:
    setup_django()
    from django.db import connection

    from schools.models import ClassGroup, Membership, Role, School, Staff

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rng = random.Random(20260301)
        build_start = time.perf_counter()
        stichting, purposes, director, teacher = build_board()
        add_schools(stichting, purposes, 0, SMALL, rng)
        school = School.objects.get(slug="school-000")
        group = ClassGroup.objects.filter(school=school).order_by("pk").first()
        Membership.objects.create(
            user=director, role=Role.DIRECTOR, stichting=stichting, school=school
        )
        Membership.objects.create(user=teacher, role=Role.STAFF, stichting=stichting, school=school)
        position = Staff.objects.create(
            user=teacher, school=school, function="leerkracht", start_date=date(2020, 8, 1)
        )
        position.groups.add(group)
        analyze()
        print(
            f"{connection.vendor}: built {SMALL * SCHOOL_SIZE:,} pupils in "
            f"{time.perf_counter() - build_start:.0f} s"
        )
        small = measure(stichting, director, teacher)

        build_start = time.perf_counter()
        add_schools(stichting, purposes, SMALL, LARGE, rng)
        analyze()
        print(
            f"{connection.vendor}: built {LARGE * SCHOOL_SIZE:,} pupils (10 events each) in "
            f"{time.perf_counter() - build_start:.0f} s more"
        )
        large = measure(stichting, director, teacher)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print()
    # A busy machine moves the medians (other jobs on two cores): say how busy it was.
    print("load average over 1, 5, 15 minutes: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"median of {RUNS} warm runs, ms (queries)   3,000 pupils   30,000 pupils   30k/3k")
    failed = []
    for name in small:
        (ms_small, q_small), (ms_large, q_large) = small[name], large[name]
        ratio = ms_large / ms_small
        print(
            f"{name:<38} {ms_small:>8.1f} ({q_small:>2})  {ms_large:>9.1f} ({q_large:>2})"
            f"   {ratio:>6.2f}"
        )
        if name.startswith("ledger"):
            continue  # the board's total grows with the board: no target
        if ms_large > PAGE_BUDGET_MS:
            failed.append(f"{name}: {ms_large:.0f} ms at 30,000 pupils (budget {PAGE_BUDGET_MS})")
        if ratio > RATIO_BUDGET:
            failed.append(f"{name}: 30k/3k = {ratio:.2f} (budget {RATIO_BUDGET})")
    print()
    for failure in failed:
        print(f"FAIL: {failure}")
    if not failed:
        print(f"OK: both pages under {PAGE_BUDGET_MS} ms at 30,000 and 30k/3k <= {RATIO_BUDGET}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
