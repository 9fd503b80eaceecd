"""The report form for staff, parents and pupils with an account, and the public report page.

The forms only check the shape of what was typed; `workflow.report` applies the rules (the
categories and the rule of this school, nothing in the future, no images in the text).
"""

from django import forms
from django.db.models import Q
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models import Incident, Involvement
from protocols.models import ProtocolVersion, Section
from schools.forms import BoundedIdsMixin, BoundedModelChoiceField
from schools.models import School

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def rule_sections(school: School):
    """The sections of the adopted protocol versions that apply to `school` (and its addenda)."""
    adopted = (
        ProtocolVersion.objects.public()
        .applying_to(school)
        .filter(status=ProtocolVersion.Status.ADOPTED)
    )
    return (
        Section.objects.filter(version__in=adopted)
        .filter(Q(school__isnull=True) | Q(school=school))
        .exclude(body="")
        .select_related("version__protocol")
        .order_by("version__protocol__title", "position")
    )


class CategoryField(BoundedIdsMixin, forms.ModelMultipleChoiceField):
    """Checkboxes; the template shows each category's definition beside it."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class SectionField(BoundedIdsMixin, forms.ModelChoiceField):
    def label_from_instance(self, obj):
        title = obj.version.protocol.title
        return f"{title}: {obj.heading or obj}" if title else str(obj)


def now_local_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class ReportForm(forms.ModelForm):
    """What happened, where, when and which rule was broken; the people come in a formset."""

    to_confidant = forms.BooleanField(
        label=_("Send my report to the confidential counsellor (vertrouwenspersoon) only"),
        required=False,
    )

    class Meta:
        model = Incident
        fields = [
            "occurred_at",
            "place",
            "platform",
            "platform_other",
            "categories",
            "description",
            "account_or_link",
            "seen_at",
            "rule_broken",
            "hide_reporter_name",
        ]
        field_classes = {"categories": CategoryField, "rule_broken": SectionField}
        widgets = {
            "occurred_at": DateTimeInput(),
            "seen_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, school, reporter_kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].initial = now_local_minute
        self.fields["categories"].queryset = school.stichting.incident_categories.filter(
            is_active=True
        )
        self.fields["rule_broken"].queryset = rule_sections(school)
        self.fields["rule_broken"].widget = forms.RadioSelect()
        self.fields["rule_broken"].empty_label = _("I don't know")
        self.fields["platform_other"].required = False
        if reporter_kind == Incident.ReporterKind.STAFF:
            # Staff report under their own name; hiding it is for parents and pupils.
            del self.fields["hide_reporter_name"]

    def clean(self):
        data = super().clean()
        if data.get("platform") == Incident.Platform.OTHER and not data.get("platform_other"):
            self.add_error("platform_other", _("Which platform?"))
        return data


class InvolvementForm(forms.ModelForm):
    """One person involved: a role, a kind, and the pupil, the staff member or a description."""

    class Meta:
        model = Involvement
        fields = ["role", "kind", "pupil", "staff", "description"]
        field_classes = {"pupil": BoundedModelChoiceField, "staff": BoundedModelChoiceField}

    def __init__(self, *args, pupils, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils
        self.fields["pupil"].label_from_instance = lambda p: (
            f"{p.full_name} ({p.group.name})" if p.group else p.full_name
        )
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda s: s.user.get_full_name() or str(s.user)

    def as_person(self) -> dict:
        data = self.cleaned_data
        return {
            "role": data["role"],
            "kind": data["kind"],
            "pupil": data.get("pupil"),
            "staff": data.get("staff"),
            "description": data.get("description", ""),
        }


BaseInvolvementFormSet = formset_factory(InvolvementForm, extra=3, max_num=20, absolute_max=20)


class InvolvementFormSet(BaseInvolvementFormSet):
    def __init__(self, *args, pupils, staff, **kwargs):
        kwargs.setdefault("prefix", "people")
        kwargs["form_kwargs"] = {"pupils": pupils, "staff": staff}
        super().__init__(*args, **kwargs)

    def people(self) -> list[dict]:
        return [form.as_person() for form in self.forms if form.has_changed() and form.cleaned_data]


class PublicReportForm(forms.ModelForm):
    """The public report page: anonymous by default, an optional contact address, no names.

    `website` is a honeypot: hidden from people by CSS, filled in by bots.
    """

    website = forms.CharField(label=_("Leave this field empty"), required=False)

    class Meta:
        model = Incident
        fields = [
            "occurred_at",
            "place",
            "platform",
            "categories",
            "description",
            "account_or_link",
            "seen_at",
            "contact_address",
        ]
        field_classes = {"categories": CategoryField}
        widgets = {
            "occurred_at": DateTimeInput(),
            "seen_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].initial = now_local_minute
        self.fields["categories"].queryset = school.stichting.incident_categories.filter(
            is_active=True
        )
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))
