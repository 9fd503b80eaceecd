"""The public report page of a school: the link in the schoolgids, for pupils without account.

No login, anonymous, an optional contact address; the report arrives unverified for the
anti-bullying coordinator. What this page answers is the same whatever other reports exist:
no number, no count, no status. A client address files at most `PUBLIC_LIMIT` reports per
school per hour (a fixed window counted in Django's cache), and bots that fill the hidden
honeypot field are thanked without anything being stored.
"""

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from incidents import workflow
from incidents.forms.report import PublicReportForm
from incidents.views.report import IMAGE_ROUTES, apply_errors
from schools.models import School

PUBLIC_LIMIT = 5
PUBLIC_WINDOW_SECONDS = 60 * 60


def _counter_key(request, school) -> str:
    window = int(time.time() // PUBLIC_WINDOW_SECONDS)
    address = request.META.get("REMOTE_ADDR", "")
    return f"incidents:public-report:{school.pk}:{address}:{window}"


def _limit_reached(key: str) -> bool:
    return (cache.get(key) or 0) >= PUBLIC_LIMIT


def _count(key: str) -> None:
    cache.add(key, 0, PUBLIC_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, PUBLIC_WINDOW_SECONDS)


@login_not_required
def public_report(request, slug):
    """Report anonymously, without an account (the page the schoolgids links to)."""
    school = get_object_or_404(School.objects.public().select_related("stichting"), slug=slug)
    form = PublicReportForm(request.POST or None, school=school)
    status = 200
    if request.method == "POST":
        key = _counter_key(request, school)
        if _limit_reached(key):
            messages.error(
                request,
                _(
                    "You have sent several reports from this connection in a short time. "
                    "Nothing has been stored. Try again in an hour, or tell a teacher or "
                    "the confidential counsellor of the school."
                ),
            )
            status = 429
        elif form.is_valid():
            _count(key)
            if form.is_bot:
                messages.success(request, _("Thank you. Your report has been sent."))
                return redirect("incidents:public_report", slug=school.slug)
            data = form.cleaned_data
            try:
                workflow.report(
                    school=school,
                    by=None,
                    occurred_at=data["occurred_at"],
                    place=data["place"],
                    platform=data["platform"],
                    categories=list(data["categories"]),
                    description=data["description"],
                    account_or_link=data["account_or_link"],
                    seen_at=data["seen_at"],
                    contact_address=data["contact_address"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Thank you. Your report has been sent."))
                return redirect("incidents:public_report", slug=school.slug)
    chosen = {str(value) for value in form["categories"].value() or []}
    categories = [(c, str(c.pk) in chosen) for c in form.fields["categories"].queryset]
    return render(
        request,
        "incidents/public_report.html",
        {
            "school": school,
            "form": form,
            "categories": categories,
            "image_categories": [c for c, _chosen in categories if c.is_image_abuse],
            "image_routes": IMAGE_ROUTES,
        },
        status=status,
    )
