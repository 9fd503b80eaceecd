"""Purposes: the board manages its stichting's, a director their school's own additions.

A purpose's explanation is versioned by the ledger (`ledger.change_purpose_text`); the edit
page asks whether a new text is a material change (everyone is asked again) or editorial.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from consent import ledger
from consent.forms.purposes import PolicyForm, PurposeCreateForm, PurposeEditForm
from consent.models import Purpose
from schools import access
from schools.models import Role, School, Stichting


def _manages_any(user) -> bool:
    return School.objects.for_user(user, access.MANAGING_ROLES).exists()


def purpose_list(request):
    """The purposes this user manages, with their text versions; the others they see, read-only."""
    if not _manages_any(request.user):
        raise Http404("Manages no school.")
    related = ("stichting", "school", "section__version__protocol")
    managed = list(
        Purpose.objects.for_user(request.user, manage=True)
        .select_related(*related)
        .prefetch_related("versions")
        .order_by("stichting__name", "school__name", "order", "name")
    )
    others = (
        Purpose.objects.for_user(request.user)
        .exclude(pk__in=[p.pk for p in managed])
        .select_related(*related)
        .order_by("stichting__name", "school__name", "order", "name")
    )
    return render(
        request, "consent/purpose_list.html", {"purposes": managed, "others": list(others)}
    )


def purpose_create(request):
    form = PurposeCreateForm(request.POST or None, user=request.user)
    if not form.has_owners:
        raise Http404("Manages no school.")
    if form.is_valid():
        try:
            purpose = ledger.create_purpose(by=request.user, **form.create_kwargs())
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Purpose “%(name)s” added.") % {"name": purpose.name})
            return redirect("consent:purpose_list")
    return render(request, "consent/purpose_form.html", {"form": form})


def purpose_edit(request, pk):
    """Change a purpose; a new explanation becomes a material or editorial text version."""
    purpose = get_object_or_404(
        Purpose.objects.for_user(request.user, manage=True)
        .select_related("stichting", "school")
        .prefetch_related("versions__created_by"),
        pk=pk,
    )
    versions = list(purpose.versions.all())
    current = versions[-1].text if versions else ""
    form = PurposeEditForm(
        request.POST or None, instance=purpose, user=request.user, current_text=current
    )
    if form.is_valid():
        try:
            with transaction.atomic():
                form.save()
                if form.text_changed:
                    ledger.change_purpose_text(
                        purpose,
                        text=form.cleaned_data["text"],
                        material=form.material,
                        by=request.user,
                    )
        except ValidationError as error:
            form.add_error("text", error.messages)
        else:
            messages.success(request, _("Purpose “%(name)s” saved.") % {"name": purpose.name})
            return redirect("consent:purpose_list")
    context = {"form": form, "purpose": purpose, "versions": versions[::-1]}
    return render(request, "consent/purpose_form.html", context)


def policy_edit(request, slug):
    """The board sets its stichting's consent settings: retention, review day, asking at 16."""
    stichting = get_object_or_404(
        Stichting.objects.for_user(request.user, roles=[Role.BOARD]), slug=slug
    )
    policy = ledger.policy_for(stichting)
    form = PolicyForm(request.POST or None, instance=policy)
    if form.is_valid():
        form.save()
        messages.success(request, _("The consent settings have been saved."))
        return redirect("consent:policy_edit", slug=stichting.slug)
    return render(request, "consent/policy_form.html", {"stichting": stichting, "form": form})
