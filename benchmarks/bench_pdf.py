"""Time the protocol PDF: render the longest seed five times, then serve its stored PDF.

Run from the project root:
    DJANGO_SETTINGS_MODULE=config.test_settings .venv/bin/python benchmarks/bench_pdf.py
Uses a throw-away in-memory SQLite database and media directory; exits 1 when the median render
takes longer than the budget.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
SEEDS = BASE_DIR / "fixtures" / "protocols"
RUNS = 5
BUDGET_SECONDS = 2.0


def main(media_root: str) -> int:
    # Never touch a configured database or media directory.
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ["MEDIA_ROOT"] = media_root
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    from protocols import importer, services
    from protocols.models import ProtocolVersion
    from protocols.pdf import render_version_pdf, stored_pdf
    from schools.models import Stichting

    call_command("migrate", verbosity=0)
    seed = max(SEEDS.glob("*.txt"), key=lambda path: path.stat().st_size)
    stichting = Stichting.objects.create(name="Stichting Benchmark", slug="benchmark")
    result = importer.import_text(seed.read_text(encoding="utf-8"))
    version = services.save_import(result=result, stichting=stichting, source_name=seed.name)

    timings, size = [], 0
    for _ in range(RUNS):
        start = time.perf_counter()
        pdf = render_version_pdf(version)
        timings.append(time.perf_counter() - start)
        size = len(pdf)
    median = statistics.median(timings)
    print(f"seed {seed.name}: {len(result.sections)} sections, {size // 1024} KiB")
    print(f"draft render x{RUNS}: min {min(timings):.3f} s, median {median:.3f} s")

    version.status = ProtocolVersion.Status.ADOPTED  # no workflow here: adopt directly
    version.save(update_fields=["status"])
    start = time.perf_counter()
    stored_pdf(version)
    first = time.perf_counter() - start
    start = time.perf_counter()
    with stored_pdf(version).file.open("rb") as file:
        served = len(file.read())
    second = time.perf_counter() - start
    print(f"stored PDF/A: first call (render + save) {first:.3f} s")
    print(f"stored PDF/A: second call (lookup + read {served // 1024} KiB) {second * 1000:.1f} ms")

    if median > BUDGET_SECONDS:
        print(f"FAIL: median render {median:.3f} s exceeds {BUDGET_SECONDS} s")
        return 1
    print(f"OK: median render within {BUDGET_SECONDS} s")
    return 0


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as media:
        sys.exit(main(media))
