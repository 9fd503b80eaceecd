"""Forms for the purposes a stichting or school asks consent for.

The explanation is versioned by the ledger: changing it asks explicitly whether the change is
material (everyone is asked again for this purpose) or editorial (earlier answers stand).
"""

from django import forms
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from consent.models import ConsentPolicy, Purpose
from protocols.models import ProtocolVersion, Section
from schools.forms import BoundedModelChoiceField
from schools.models import Role, School, Stichting

FIELDS = ["name", "kind", "photo", "video", "sound", "channel", "audience", "section", "active"]
# What people agreed to: changing it needs a material change of the explanation.
SCOPE = ["kind", "photo", "video", "sound", "channel"]

MATERIAL, EDITORIAL = "material", "editorial"
CHANGE_CHOICES = [
    (MATERIAL, _("Material change: asks everyone again for this purpose")),
    (EDITORIAL, _("Editorial change: spelling or wording, earlier answers stay valid")),
]


def adopted_sections(user):
    """Sections of the adopted protocol versions `user` may read, with their protocol."""
    versions = ProtocolVersion.objects.for_user(user).filter(status=ProtocolVersion.Status.ADOPTED)
    return (
        Section.objects.filter(version__in=versions)
        .select_related("version__protocol", "school")
        .order_by("version__protocol__title", "position")
    )


def _section_label(section) -> str:
    protocol = section.version.protocol
    heading = section.heading or f"§ {section.position}"
    return f"{protocol.title} (v{section.version.number}): {heading}"


def section_fits(section, stichting_id: int, school_id: int | None) -> bool:
    """True when `section` belongs to an adopted protocol of this stichting or school."""
    protocol = section.version.protocol
    return (
        protocol.stichting_id == stichting_id
        and protocol.school_id in (None, school_id)
        and section.school_id in (None, school_id)
    )


class PurposeForm(forms.ModelForm):
    text = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What is shown to whoever decides: what is published, where, who can see it and "
            "for how long."
        ),
    )

    class Meta:
        model = Purpose
        fields = FIELDS
        field_classes = {"section": BoundedModelChoiceField}
        widgets = {"kind": forms.RadioSelect, "channel": forms.RadioSelect}
        help_texts = {
            "photo": _("Media: only for a purpose about images."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["section"].queryset = adopted_sections(user)
        self.fields["section"].label_from_instance = _section_label

    def owner(self) -> tuple[int, int | None]:
        """(stichting id, school id or None) of the purpose."""
        return self.instance.stichting_id, self.instance.school_id

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Purpose.Kind.OTHER:
            # A purpose that is not about images covers no media, whatever was ticked.
            cleaned.update(photo=False, video=False, sound=False)
            self.instance.photo = self.instance.video = self.instance.sound = False
        section = cleaned.get("section")
        stichting_id, school_id = self.owner()
        if section and stichting_id and not section_fits(section, stichting_id, school_id):
            self.add_error("section", _("This section is not part of a protocol adopted here."))
        return cleaned


class PurposeCreateForm(PurposeForm):
    owner_choice = forms.ChoiceField(label=_("Purpose of"))

    field_order = ["owner_choice", *FIELDS, "text"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        board = Stichting.objects.for_user(user, [Role.BOARD]).order_by("name")
        schools = (
            School.objects.for_user(user, [Role.BOARD, Role.DIRECTOR])
            .select_related("stichting")
            .order_by("name")
        )
        self.fields["owner_choice"].choices = [
            (f"stichting-{s.pk}", _("%(name)s: every school") % {"name": s.name}) for s in board
        ] + [(f"school-{s.pk}", s.name) for s in schools]
        self._stichtings = {s.pk: s for s in board}
        self._schools = {s.pk: s for s in schools}

    @property
    def has_owners(self) -> bool:
        return bool(self.fields["owner_choice"].choices)

    def owner(self):
        kind, _sep, pk = self.cleaned_data.get("owner_choice", "").partition("-")
        if kind == "stichting":
            return self._stichtings[int(pk)].pk, None
        if kind == "school":
            school = self._schools[int(pk)]
            return school.stichting_id, school.pk
        return None, None

    def clean(self):
        cleaned = super().clean()
        stichting_id, school_id = self.owner()
        name = cleaned.get("name")
        if stichting_id and name:
            taken = Purpose.objects.for_user(self.user).filter(
                Q(school=school_id) if school_id else Q(school__isnull=True),
                stichting=stichting_id,
                slug=self.slug(),
            )
            if taken.exists():
                self.add_error("name", _("A purpose with this name already exists here."))
        return cleaned

    def slug(self) -> str:
        return slugify(self.cleaned_data.get("name", ""))[:50] or "doel"

    def create_kwargs(self) -> dict:
        """Arguments for `ledger.create_purpose`, apart from `by`."""
        stichting_id, school_id = self.owner()
        fields = {name: self.cleaned_data[name] for name in FIELDS}
        return {
            **fields,
            "stichting": self._schools[school_id].stichting
            if school_id
            else self._stichtings[stichting_id],
            "school": self._schools.get(school_id),
            "slug": self.slug(),
            "text": self.cleaned_data["text"],
        }


class PurposeEditForm(PurposeForm):
    change = forms.ChoiceField(
        label=_("What kind of change is this?"),
        choices=CHANGE_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Only asked when the explanation changes."),
    )

    def __init__(self, *args, current_text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_text = current_text
        self.fields["text"].initial = current_text

    @property
    def text_changed(self) -> bool:
        return self.cleaned_data.get("text", "").strip() != self.current_text.strip()

    @property
    def material(self) -> bool:
        return self.cleaned_data.get("change") == MATERIAL

    def clean(self):
        cleaned = super().clean()
        if "text" not in cleaned:
            return cleaned
        if self.text_changed and not cleaned.get("change"):
            self.add_error(
                "change", _("Say whether the new explanation is a material or an editorial change.")
            )
        scope_changed = [name for name in SCOPE if name in self.changed_data]
        if scope_changed and not (self.text_changed and cleaned.get("change") == MATERIAL):
            self.add_error(
                None,
                _(
                    "Changing the kind, media or channel changes what people agreed to: "
                    "describe it in the explanation and save it as a material change."
                ),
            )
        return cleaned


class PolicyForm(forms.ModelForm):
    """A stichting's consent settings: retention, the yearly review day, asking again at 16."""

    class Meta:
        model = ConsentPolicy
        fields = ["retention_years", "review_month", "review_day", "ask_again_at_16"]
