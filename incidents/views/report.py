"""Filing a report: staff, parents and pupils with an account, at one of their schools.

The school is public (its name is); whether this user may report there is the workflow's
question (`access.reporter_kind`), asked here first so that anyone else gets a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents import access, workflow
from incidents.forms.report import InvolvementFormSet, ReportForm
from schools.models import Pupil, School

# Where a victim of image abuse gets help to have images removed (seed 000, the issue).
IMAGE_ROUTES = [
    ("Helpwanted.nl", "https://www.helpwanted.nl/"),
    ("Take It Down", "https://takeitdown.ncmec.org/"),
]


def apply_errors(form, error: ValidationError) -> None:
    """Show a refusal of the workflow at the field it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def incident_report(request, slug):
    """The report form, built to be filled in on a phone in two minutes."""
    school = get_object_or_404(School.objects.public().select_related("stichting"), slug=slug)
    kind = access.reporter_kind(request.user, school)
    if kind is None:
        raise Http404
    today = timezone.localdate()
    form = ReportForm(request.POST or None, school=school, reporter_kind=kind)
    pupils = (
        Pupil.objects.for_user(request.user)
        .filter(school=school)
        .enrolled_on(today)
        .select_related("group")
        .order_by("group__name", "last_name", "first_name")
    )
    staff = (
        school.staff.filter(Q(end_date__isnull=True) | Q(end_date__gt=today))
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    formset = InvolvementFormSet(request.POST or None, pupils=pupils, staff=staff)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            incident = workflow.report(
                school=school,
                by=request.user,
                occurred_at=data["occurred_at"],
                place=data["place"],
                platform=data["platform"],
                platform_other=data["platform_other"],
                categories=list(data["categories"]),
                description=data["description"],
                involved=formset.people(),
                rule_broken=data["rule_broken"],
                hide_reporter_name=data.get("hide_reporter_name", False),
                to_confidant=data["to_confidant"],
                account_or_link=data["account_or_link"],
                seen_at=data["seen_at"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your report has been sent."))
            return redirect(incident)
    chosen = {str(value) for value in form["categories"].value() or []}
    categories = [(c, str(c.pk) in chosen) for c in form.fields["categories"].queryset]
    return render(
        request,
        "incidents/incident_form.html",
        {
            "school": school,
            "form": form,
            "formset": formset,
            "categories": categories,
            "image_categories": [c for c, _chosen in categories if c.is_image_abuse],
            "sections": list(form.fields["rule_broken"].queryset),
            "rule_chosen": str(form["rule_broken"].value() or ""),
            "image_routes": IMAGE_ROUTES,
        },
    )
