from datetime import datetime

from django import forms
from django.core import signing
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from protocols.models import Section
from schools import access
from schools.models import School

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class SectionForm(forms.Form):
    heading = forms.CharField(label=_("Heading"), max_length=300, required=False)
    audience = forms.ChoiceField(
        label=_("Audience"),
        choices=[("", _("everyone (not specified)"))] + list(Section.Audience.choices),
        required=False,
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "section-body"}),
        help_text=_(
            "Paragraphs are separated by an empty line; start list items with “1.” or “-”; "
            "a footnote is [^1] in the text and “[^1]: text” on its own line."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("body", "").strip() == "" and data.get("heading", "").strip() == "":
            # An empty extra form is simply not a section.
            data["empty"] = True
        return data


class BaseSectionFormSet(forms.BaseFormSet):
    def sections(self) -> list[dict]:
        """The sections in the order the editor chose, without deleted and empty ones."""
        forms_in_order = self.ordered_forms if self.can_order else self.forms
        return [
            {
                "heading": form.cleaned_data["heading"].strip(),
                "audience": form.cleaned_data["audience"],
                "body": form.cleaned_data["body"].strip(),
            }
            for form in forms_in_order
            if form.cleaned_data
            and not form.cleaned_data.get("empty")
            and not (self.can_delete and self._should_delete_form(form))
        ]

    def clean(self):
        super().clean()
        if not any(form.errors for form in self.forms) and not self.sections():
            raise forms.ValidationError(_("A protocol needs at least one section with text."))


SectionFormSet = formset_factory(
    SectionForm, formset=BaseSectionFormSet, extra=1, can_order=True, can_delete=True
)


def _targets(user) -> list[tuple[str, str]]:
    """Where `user` may put a new protocol: board-wide for a stichting, or one school."""
    schools = School.objects.for_user(user, roles=access.EDITING_ROLES).select_related("stichting")
    choices, seen = [], set()
    for school in schools:
        if school.stichting_id not in seen:
            seen.add(school.stichting_id)
            label = _("Board-wide: %(name)s") % {"name": school.stichting.name}
            choices.append((f"stichting:{school.stichting_id}", label))
        choices.append((f"school:{school.pk}", school.name))
    return choices


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Protocol file"),
        help_text=_("A Word document (.docx) or plain text (.txt), at most 5 MB."),
    )
    target = forms.ChoiceField(label=_("Protocol of"))
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the document's own title."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = _targets(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".txt", ".docx")):
            raise forms.ValidationError(_("Only .txt and .docx files can be imported."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class ImportReviewForm(forms.Form):
    """The checked import: where it goes, its title, and the signed procedure records."""

    target = forms.ChoiceField(widget=forms.HiddenInput)
    source_name = forms.CharField(widget=forms.HiddenInput, max_length=255)
    procedure = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = _targets(user)

    def clean_procedure(self):
        # Signed, so the recorded trail comes from the file and not from an edited form.
        try:
            return signing.loads(self.cleaned_data["procedure"] or signing.dumps([]))
        except signing.BadSignature:
            raise forms.ValidationError(
                _("The import was tampered with; upload it again.")
            ) from None


class VersionEditForm(forms.Form):
    """When the editor loaded the draft: its `updated_at` then, signed by the server.

    Signed (and salted with the version), so a client cannot claim to have loaded the draft
    later than it did and save over someone else's changes.
    """

    loaded_at = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, version, **kwargs):
        self.salt = f"protocols.version_edit:{version.pk}"
        kwargs.setdefault(
            "initial", {"loaded_at": signing.dumps(version.updated_at.isoformat(), salt=self.salt)}
        )
        super().__init__(*args, **kwargs)

    def clean_loaded_at(self):
        try:
            return datetime.fromisoformat(
                signing.loads(self.cleaned_data["loaded_at"], salt=self.salt)
            )
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(_("Reload the page and try again.")) from None
