"""Figures about incidents without names: per school, per board, since a protocol was adopted.

DOMAIN 39-40: the register is analysed yearly and the Inspectie may see it, but the statistics
are kept apart from the case files and name nobody. Every function here counts with GROUP BY,
so the number of queries is fixed whatever the number of incidents.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from incidents.models import Category, Incident, Involvement, Measure
from protocols.models import ProtocolVersion
from schools.models import School, Stichting


@dataclass(frozen=True)
class Figures:
    """Counts only: (label, count) pairs, in a stable order."""

    total: int
    per_month: list[tuple[date, int]]
    per_category: list[tuple[str, int]]
    per_platform: list[tuple[str, int]]
    per_measure: list[tuple[str, int]]


NONE = Figures(total=0, per_month=[], per_category=[], per_platform=[], per_measure=[])


def _figures(**scope) -> Figures:
    """Three queries, whatever the number of incidents; one when there are none.

    `scope`: lookups on Incident that pick the incidents counted. Each query applies them
    through its own join (no `pk__in` subquery), which is cheaper to build and to run.
    """
    # Months and platforms from one grouping by both, added up here.
    per_month: Counter = Counter()
    per_platform: Counter = Counter()
    for row in (
        Incident.objects.filter(**scope)
        .annotate(month=TruncMonth("occurred_at"))
        .values("month", "platform")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        per_month[month] += row["n"]
        if row["platform"]:
            per_platform[row["platform"]] += row["n"]
    if not per_month:
        return NONE
    # One filter() call: every lookup applies to the same incident of the join.
    categories = (
        Category.objects.filter(**{f"incidents__{lookup}": v for lookup, v in scope.items()})
        .values("name")
        .annotate(n=Count("incidents"))
        .order_by("-n", "name")
    )
    platform_labels = dict(Incident.Platform.choices)
    measure_labels = dict(Measure.Kind.choices)
    measures = (
        Measure.objects.filter(**{f"incident__{lookup}": v for lookup, v in scope.items()})
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by("-n", "kind")
    )
    return Figures(
        total=sum(per_month.values()),  # every incident is in exactly one month
        per_month=sorted(per_month.items()),
        per_category=[(row["name"], row["n"]) for row in categories],
        per_platform=[
            (str(platform_labels[platform]), n)
            for platform, n in sorted(per_platform.items(), key=lambda item: (-item[1], item[0]))
        ],
        per_measure=[(str(measure_labels[row["kind"]]), row["n"]) for row in measures],
    )


def for_school(school: School, *, start: date | None = None, end: date | None = None) -> Figures:
    """Figures of one school, of incidents that happened from `start` up to `end` (included).

    Cases routed to the board (possible misconduct by staff, DOMAIN 31-33) are left out: the
    school's own staff must not learn from a count that such a case exists.
    """
    return _figures(school=school, to_board=False, **_between(start, end))


def for_board(
    stichting: Stichting, *, start: date | None = None, end: date | None = None
) -> Figures:
    """Figures of every school of a stichting together."""
    return _figures(school__stichting=stichting, **_between(start, end))


def since(version: ProtocolVersion) -> Figures:
    """Figures of the schools a protocol version covers, since it took effect (or was adopted).

    Shown beside the protocol's evaluation date, so the evaluation starts from facts.
    """
    start = version.effective_date or version.adopted_on
    if start is None:  # not adopted: nothing to count since
        return NONE
    # Read beside the protocol by its schools' staff and councils: board cases stay out.
    return _figures(
        **version.protocol.schools_lookup("school"), to_board=False, **_between(start, None)
    )


def _between(start: date | None, end: date | None) -> dict:
    lookups = {}
    if start is not None:
        lookups["occurred_at__date__gte"] = start
    if end is not None:
        lookups["occurred_at__date__lte"] = end
    return lookups


# --- the export for the Inspectie -----------------------------------------------------------

INSPECTIE_HEADER = [
    "incident",
    "brin",
    "month",
    "place",
    "platform",
    "categories",
    "pupils_victim",
    "pupils_suspect",
    "staff_suspect",
    "others_involved",
    "measures",
    "status",
    "closed_month",
]

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The cell as text, with a quote before anything a spreadsheet would read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def inspectie_rows(incidents: QuerySet) -> list[list[str]]:
    """One row per incident, without names or free text; four queries for any number.

    Involvement is counted per role and kind only; measures and categories are listed by kind.
    """
    incidents = (
        incidents.select_related("school")
        .prefetch_related("categories")
        .order_by("occurred_at", "pk")
    )
    ids = [incident.pk for incident in incidents]
    people: dict[int, dict[tuple[str, str], int]] = {}
    for row in (
        Involvement.objects.filter(incident__in=ids)
        .values("incident", "role", "kind")
        .annotate(n=Count("pk"))
    ):
        people.setdefault(row["incident"], {})[(row["role"], row["kind"])] = row["n"]
    measures: dict[int, list[str]] = {}
    for row in Measure.objects.filter(incident__in=ids).values("incident", "kind").order_by("kind"):
        measures.setdefault(row["incident"], []).append(row["kind"])
    rows = [INSPECTIE_HEADER]
    for incident in incidents:
        counts = people.get(incident.pk, {})
        others = sum(n for (role, kind), n in counts.items() if kind not in ("pupil", "staff"))
        rows.append(
            [
                safe_cell(value)
                for value in [
                    incident.pk,
                    incident.school.brin,
                    f"{incident.occurred_at:%Y-%m}",
                    incident.place,
                    incident.platform,
                    "; ".join(sorted(c.name for c in incident.categories.all())),
                    counts.get(("victim", "pupil"), 0),
                    counts.get(("suspect", "pupil"), 0),
                    counts.get(("suspect", "staff"), 0),
                    others,
                    "; ".join(measures.get(incident.pk, [])),
                    incident.status,
                    f"{incident.closed_at:%Y-%m}" if incident.closed_at else "",
                ]
            ]
        )
    return rows


def inspectie_csv(incidents: QuerySet) -> str:
    """`inspectie_rows` as CSV text (semicolons, as Dutch spreadsheets expect)."""
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(inspectie_rows(incidents))
    return out.getvalue()
