"""Figures without names, per school and for the board, and the export for the Inspectie.

Counts come from `incidents.figures` (a fixed number of queries whatever the number of
incidents); the charts are plain SVG bars with the same numbers in the table beside them.
"""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from incidents import figures, rules
from incidents.forms.figures import PeriodForm
from schools.exports import csv_response
from schools.models import Role, School, Stichting

# Who sees a school's figures: its directie and anti-bullying coordinator, and the board.
SCHOOL_FIGURE_ROLES = [Role.DIRECTOR, Role.ANTI_BULLYING, Role.BOARD]

ROW_HEIGHT = 30  # SVG units per bar: a label line above a bar
BAR_WIDTH = 250


def _period(request):
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, initial={"start": rules.school_year_start(today)})
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, (None if form.is_bound else rules.school_year_start(today)), None


def chart(title: str, rows: list[tuple[str, int]]) -> dict:
    """One bar per row, scaled to the largest count; the aria-label says all the numbers."""
    top = max((n for _label, n in rows), default=0)
    bars = [
        {
            "label": label,
            "count": n,
            "y": i * ROW_HEIGHT,
            "width": round(BAR_WIDTH * n / top, 1) if top else 0,
        }
        for i, (label, n) in enumerate(rows)
    ]
    for bar in bars:
        bar["text_x"] = bar["width"] + 4
    summary = "; ".join(f"{label}: {n}" for label, n in rows) or _("none")
    return {
        "title": title,
        "rows": rows,
        "bars": bars,
        "height": max(len(rows), 1) * ROW_HEIGHT,
        "label": f"{title}: {summary}",
    }


def _charts(numbers: figures.Figures) -> list[dict]:
    months = [(date_format(month, "YEAR_MONTH_FORMAT"), n) for month, n in numbers.per_month]
    return [
        chart(_("Incidents per month"), months),
        chart(_("Incidents per category"), numbers.per_category),
        chart(_("Incidents per platform"), numbers.per_platform),
        chart(_("Measures per kind"), numbers.per_measure),
    ]


def _export(incidents, start, end):
    if start:
        incidents = incidents.filter(occurred_at__date__gte=start)
    if end:
        incidents = incidents.filter(occurred_at__date__lte=end)
    rows = figures.inspectie_rows(incidents)
    return rows[1:] if rows else []


def school_figures(request, slug):
    """A school's figures without names; `?download=csv` gives the export for the Inspectie."""
    school = get_object_or_404(
        School.objects.for_user(request.user, roles=SCHOOL_FIGURE_ROLES), slug=slug
    )
    form, start, end = _period(request)
    if request.GET.get("download") == "csv":
        day = timezone.localdate()
        return csv_response(
            f"incidenten-{school.brin}-{day:%Y%m%d}.csv",
            figures.INSPECTIE_HEADER,
            _export(school.incidents.all(), start, end),
        )
    numbers = figures.for_school(school, start=start, end=end)
    return render(
        request,
        "incidents/figures.html",
        {
            "school": school,
            "form": form,
            "numbers": numbers,
            "charts": _charts(numbers),
            "start": start,
            "end": end,
        },
    )


def board_figures(request, slug):
    """The figures of every school of the stichting together, without names."""
    stichting = get_object_or_404(
        Stichting.objects.for_user(request.user, roles=[Role.BOARD]), slug=slug
    )
    form, start, end = _period(request)
    if request.GET.get("download") == "csv":
        day = timezone.localdate()
        rows = []
        for school in stichting.schools.order_by("name"):
            rows += _export(school.incidents.all(), start, end)
        return csv_response(
            f"incidenten-{stichting.slug}-{day:%Y%m%d}.csv", figures.INSPECTIE_HEADER, rows
        )
    numbers = figures.for_board(stichting, start=start, end=end)
    return render(
        request,
        "incidents/figures.html",
        {
            "stichting": stichting,
            "schools": list(stichting.schools.order_by("name")),
            "form": form,
            "numbers": numbers,
            "charts": _charts(numbers),
            "start": start,
            "end": end,
        },
    )
