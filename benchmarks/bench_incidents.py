"""Time the incident figures (a school's and the board's) at 100 and at 10,000 incidents.

Run from the project root, on PostgreSQL (the target) or, without DATABASE_URL, on SQLite:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python benchmarks/bench_incidents.py

It builds one stichting of ten schools with the default categories, first 100 incidents
spread over the schools and the last two school years (each with two categories, a platform
and a measure), then 9,900 more, and times, warm, the median of RUNS requests through
Django's test client: the figures page of the first school (as its director) and the
board's figures page (as a board member). Like the test runner it works in a throw-away
database and drops it afterwards. Prints the medians, the query counts and the ratio; the
figures count in the database (GROUP BY), so the query count must not change with the data.
Exits 1 when a query count differs between the two sizes or a page takes longer than 500 ms.
"""

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
SCHOOLS = 10
SMALL, LARGE = 100, 10_000
RUNS = 15
PAGE_BUDGET_MS = 500
BATCH = 2000


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


def build():
    from schools.models import Membership, Role, School, Stichting, User

    stichting = Stichting.objects.create(name="Stichting Benchmark", slug="benchmark")
    schools = School.objects.bulk_create(
        School(
            stichting=stichting,
            name=f"School {n}",
            slug=f"school-{n:03d}",
            brin=f"99BM{n:02d}",
            sector=School.Sector.PO,
        )
        for n in range(SCHOOLS)
    )
    director = User.objects.create_user("directeur@bench.test", "x")
    board = User.objects.create_user("bestuur@bench.test", "x")
    Membership.objects.create(
        user=director, role=Role.DIRECTOR, stichting=stichting, school=schools[0]
    )
    Membership.objects.create(user=board, role=Role.BOARD, stichting=stichting)
    return stichting, schools, director, board


def add_incidents(stichting, schools, count: int, rng: random.Random) -> None:
    """`count` incidents with two categories and one measure each, in bulk."""
    from django.utils import timezone

    from incidents import workflow
    from incidents.models import Incident, Measure

    categories = workflow.ensure_default_categories(stichting)
    platforms = [value for value, _label in Incident.Platform.choices]
    places = [value for value, _label in Incident.Place.choices]
    kinds = [Measure.Kind.TALK, Measure.Kind.PHONE, Measure.Kind.NETWORK_EXCLUSION]
    now = timezone.now()
    incidents = Incident.objects.bulk_create(
        (
            Incident(
                school=rng.choice(schools),
                reporter_kind=Incident.ReporterKind.STAFF,
                occurred_at=now - timedelta(days=rng.randint(0, 700)),
                place=rng.choice(places),
                platform=rng.choice(platforms),
                description="Beschrijving.",
            )
            for _ in range(count)
        ),
        batch_size=BATCH,
    )
    through = Incident.categories.through
    through.objects.bulk_create(
        (
            through(incident_id=incident.pk, category_id=category.pk)
            for incident in incidents
            for category in rng.sample(categories, 2)
        ),
        batch_size=BATCH,
    )
    Measure.objects.bulk_create(
        (
            Measure(
                incident=incident,
                audience=Measure.Audience.PUPIL,
                kind=rng.choice(kinds),
                starts_on=date.today(),
            )
            for incident in incidents
        ),
        batch_size=BATCH,
    )


def median_ms(fn) -> float:
    fn()
    fn()
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


def measure(stichting, schools, director, board) -> dict:
    from django.test import Client
    from django.urls import reverse

    as_director, as_board = Client(), Client()
    as_director.force_login(director)
    as_board.force_login(board)
    school_url = reverse("incidents:school_figures", args=[schools[0].slug])
    board_url = reverse("incidents:board_figures", args=[stichting.slug])

    def school_page():
        assert as_director.get(school_url).status_code == 200

    def board_page():
        assert as_board.get(board_url).status_code == 200

    checks = {"figures page, one school": school_page, "figures page, the board": board_page}
    return {name: (median_ms(fn), query_count(fn)) for name, fn in checks.items()}


def analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> int:
    setup_django()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rng = random.Random(20261201)
        stichting, schools, director, board = build()
        add_incidents(stichting, schools, SMALL, rng)
        analyze()
        small = measure(stichting, schools, director, board)
        started = time.perf_counter()
        add_incidents(stichting, schools, LARGE - SMALL, rng)
        analyze()
        took = time.perf_counter() - started
        print(f"{connection.vendor}: built {LARGE:,} incidents ({took:.0f} s)")
        large = measure(stichting, schools, director, board)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print("load average over 1, 5, 15 minutes: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"median of {RUNS} warm runs, ms (queries)   {SMALL:,} incidents   {LARGE:,} incidents")
    failed = []
    for name in small:
        (ms_small, q_small), (ms_large, q_large) = small[name], large[name]
        print(f"{name:<34} {ms_small:>9.1f} ({q_small:>2})   {ms_large:>11.1f} ({q_large:>2})")
        if q_small != q_large:
            failed.append(f"{name}: {q_small} queries at {SMALL}, {q_large} at {LARGE}")
        if ms_large > PAGE_BUDGET_MS:
            failed.append(f"{name}: {ms_large:.0f} ms at {LARGE:,} (budget {PAGE_BUDGET_MS})")
    for failure in failed:
        print(f"FAIL: {failure}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
