"""Where a page's CPU goes: bench_pages.py's pages, in this process, on a board kept between runs.

bench_pages.py measures through gunicorn and wrk and drops its database; finding the cost of
a page needs the same data many times over. This keeps the board in a database of its own:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_profile \\
        .venv/bin/python benchmarks/profile_pages.py --build 30000   # once, about 5 minutes
    ... benchmarks/profile_pages.py                    # CPU and queries of every page
    ... benchmarks/profile_pages.py --profile "home"   # and cProfile's top functions for it
    ... benchmarks/profile_pages.py --only "decision log" --rounds 5   # the lowest of 5 rounds

CPU per request is this process's time (Python and the database driver, as gunicorn's workers
count it) over --runs requests after one to warm up, with the serving settings of
bench_pages.py; the queries are those of the last request.
"""

import argparse
import cProfile
import os
import pstats
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import bench_pages as bench_pages  # noqa: E402

# The portal's own modules, for the cumulative listing.
OURS = re.escape(str(bench_pages.BASE_DIR)) + r"/(?!\.venv)"


def existing_board() -> SimpleNamespace:
    """The `bench` namespace of bench_pages.py, read back from a built database."""
    from protocols.models import Protocol
    from schools.models import CouncilMember, User

    protocol = Protocol.objects.get(title="Protocol sociale media")
    newest, previous = protocol.versions.order_by("-number")[:2]
    member = CouncilMember.objects.filter(council__kind="gmr").order_by("pk").first()
    return SimpleNamespace(
        board=User.objects.get(email="bestuurder@bench.test"),
        admin=User.objects.get(email="beheer@bench.test"),
        gmr_member=member.user,
        protocol=protocol,
        newest=newest,
        previous=previous,
    )


def use_kept_board(url: str, **settings: str) -> str:
    """Point this process at the board kept beside `url`, with bench_pages.py's serving
    settings (and `settings` over them); returns the database's name."""
    database, bench_url = bench_pages.bench_database(url)
    env = dict(setting.split("=") for setting in bench_pages.SERVING.split())
    env.update(DATABASE_URL=bench_url, SECRET_KEY="profile-" * 8, ALLOWED_HOSTS="testserver")
    # The stored PDFs belong with the database, so they are kept next to it between runs.
    env.update(MEDIA_ROOT=str(Path(tempfile.gettempdir(), f"{database}_media")), **settings)
    os.environ.update(env)
    return database


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", type=int, metavar="PUPILS", help="(re)build a board this big")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", metavar="PAGE", help="profile pages whose name has this")
    parser.add_argument("--only", metavar="PAGE", help="measure only pages whose name has this")
    parser.add_argument(
        "--rounds", type=int, default=1, help="measure this many times, report the lowest"
    )
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--queries", action="store_true", help="print each page's queries")
    parser.add_argument("--width", type=int, default=160, help="characters of each query")
    parser.add_argument(
        "--match", metavar="REGEX", help="cumulative listing of these files (default: ours)"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL to a PostgreSQL server (see the docstring).", file=sys.stderr)
        return 2
    database = use_kept_board(url)
    if args.build:
        bench_pages.run_sql(url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        bench_pages.run_sql(url, f'CREATE DATABASE "{database}"')
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from protocols import pdf
    from schools.models import School

    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG=0 needs its manifest
    if args.build:
        call_command("migrate", verbosity=0)
        bench = bench_pages.build_board(random.Random(20260312))
        bench_pages.build_protocol(bench)
        bench_pages.add_schools(bench, max(1, round(args.build / bench_pages.SCHOOL_SIZE)))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        pdf.stored_pdf(bench.newest, school=School.objects.get(slug="school-000"))
    pages, sessions = bench_pages.pages_and_sessions(existing_board())
    for page, role, path, _ in pages:
        if any(wanted and wanted not in page for wanted in (args.profile, args.only)):
            continue
        client = Client()
        if role:
            client.cookies["sessionid"] = sessions[role]
        assert client.get(path).status_code == 200, path  # warm, and a page, not a redirect
        queries = []

        def count(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            client.get(path)  # (a request resets connection.queries: count them here)
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        rounds = []
        for _ in range(args.rounds):
            started = time.process_time()
            for _ in range(args.runs):
                if profiler:
                    profiler.runcall(client.get, path)
                else:
                    client.get(path)
            rounds.append(time.process_time() - started)
        # Other work on a shared machine only ever adds time: the lowest round is the page's.
        cpu = min(rounds) * 1000 / args.runs
        print(f"{page} ({role or 'anonymous'}): {cpu:.1f} ms CPU, {len(queries)} queries")
        if args.queries:
            print("\n".join(f"  {sql[: args.width]}" for sql in queries))
        if profiler:
            stats = pstats.Stats(profiler)  # CPU time: waiting for PostgreSQL is not in it
            stats.sort_stats("tottime").print_stats(args.top)
            stats.sort_stats("cumulative").print_stats(args.match or OURS, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
