"""What the incidents app shows on other apps' pages (see schools/panels.py)."""

from django.template.loader import render_to_string

from incidents import figures


def version_figures(request, version) -> str:
    """Beside an adopted protocol's evaluation date: the incidents since it took effect."""
    if version.status != version.Status.ADOPTED:
        return ""
    return render_to_string(
        "incidents/_version_figures.html",
        {"version": version, "figures": figures.since(version)},
        request=request,
    )
