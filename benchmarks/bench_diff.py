"""Time the word diff on two sections of 8,000 words: edited, unrelated, and without full stops.

Run from the project root:
    .venv/bin/python benchmarks/bench_diff.py
Pure Python, no database. Exits 1 when any case takes longer than the budget.
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from protocols.diff import diff_sections  # noqa: E402

WORDS = 8000
RUNS = 5
BUDGET_SECONDS = 1.0
VOCABULARY = ["de", "het", "een", "en", "van", "leerling", "school", "ouders", "mag", "niet"]


def text(seed: int, *, stops: bool = True) -> str:
    rnd = random.Random(seed)
    return " ".join(
        rnd.choice(VOCABULARY) + ("." if stops and rnd.random() < 0.05 else "")
        for _ in range(WORDS)
    )


def edited(old: str, seed: int) -> str:
    rnd = random.Random(seed)
    words = old.split()
    for _ in range(200):
        at = rnd.randrange(len(words))
        choice = rnd.random()
        if choice < 0.4:
            words[at] = f"nieuw{at}"
        elif choice < 0.7:
            del words[at]
        else:
            words.insert(at, "ingevoegd")
    return " ".join(words)


def main() -> int:
    cases = {
        "200 edits": (text(1), edited(text(1), 2)),
        "unrelated texts": (text(1), text(2)),
        "no full stops, 200 edits": (text(3, stops=False), edited(text(3, stops=False), 4)),
    }
    slowest = 0.0
    for name, (old, new) in cases.items():
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            diff_sections([("Paragraaf", old)], [("Paragraaf", new)])
            times.append(time.perf_counter() - started)
        slowest = max(slowest, max(times))
        print(f"{name:28} min {min(times):.3f} s  median {statistics.median(times):.3f} s")
    return 1 if slowest > BUDGET_SECONDS else 0


if __name__ == "__main__":
    sys.exit(main())
