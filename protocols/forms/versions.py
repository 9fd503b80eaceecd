import re
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

    footnote = forms.CharField(
        label=_("Footnote"),
        max_length=1000,
        required=False,
        help_text=_("Its number goes at the end of the text and the note below it."),
    )

    def clean(self):
        data = super().clean()
        if data.get("footnote", "").strip():
            # Saving with a note typed but not yet added keeps it: nothing typed is lost.
            data["body"] = add_footnote(data.get("body", ""), data["footnote"])
            data["footnote"] = ""
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

_NOTE_NUMBER = re.compile(r"\[\^(\d{1,6})\]")
_NOTE_DEFINITION = re.compile(r"^\[\^[^\]\s]+\]:")
_SWAPPED = ("heading", "audience", "body", "footnote", "DELETE")
_MAX_FORMS = 2000  # Django's absolute maximum for a formset


def add_footnote(body: str, text: str) -> str:
    """`body` with a numbered footnote: the call after the text, the note with the others."""
    number = max((int(n) for n in _NOTE_NUMBER.findall(body)), default=0) + 1
    lines = body.rstrip().splitlines()
    end = len(lines)
    # Notes already at the end stay together below the text.
    while end and (not lines[end - 1].strip() or _NOTE_DEFINITION.match(lines[end - 1])):
        end -= 1
    text_lines, notes = lines[:end], [line for line in lines[end:] if line.strip()]
    if text_lines:
        text_lines[-1] = text_lines[-1].rstrip() + f"[^{number}]"
    else:
        text_lines = [f"[^{number}]"]
    notes.append(f"[^{number}]: " + " ".join(text.split()))
    return "\n".join(text_lines) + "\n\n" + "\n".join(notes)


def _total_forms(data, prefix: str) -> int:
    try:
        return min(int(data.get(f"{prefix}-TOTAL_FORMS", "")), _MAX_FORMS)
    except ValueError:
        return 0


def move_section(data, value: str, *, prefix: str = "form") -> tuple:
    """The posted editor with section `index` swapped with its neighbour; `value` is
    "<index>:up" or "<index>:down". Returns the new data and the section's new index,
    or the data unchanged and None when the move goes nowhere.

    The order numbers are renumbered by position, so saving keeps the order shown.
    """
    index, _sep, direction = value.partition(":")
    total = _total_forms(data, prefix)
    step = {"up": -1, "down": 1}.get(direction)
    if not index.isdigit() or step is None:
        return data, None
    i = int(index)
    j = i + step
    if not (0 <= i < total and 0 <= j < total):
        return data, None
    data = data.copy()
    for name in _SWAPPED:
        a, b = f"{prefix}-{i}-{name}", f"{prefix}-{j}-{name}"
        values_a, values_b = data.getlist(a), data.getlist(b)
        for key, values in ((a, values_b), (b, values_a)):
            if values:
                data.setlist(key, values)
            else:
                data.pop(key, None)
    for k in range(total):
        fields = (f"{prefix}-{k}-{name}" for name in ("heading", "body", "ORDER"))
        if any(data.get(key, "").strip() for key in fields):
            data[f"{prefix}-{k}-ORDER"] = str(k + 1)
    return data, j


def add_posted_footnote(data, value: str, *, prefix: str = "form"):
    """The posted editor with section `value`'s typed footnote added to its text."""
    if not value.isdigit() or int(value) >= _total_forms(data, prefix):
        return data
    body, note = f"{prefix}-{value}-body", f"{prefix}-{value}-footnote"
    if not data.get(note, "").strip():
        return data
    data = data.copy()
    data[body] = add_footnote(data.get(body, ""), data[note])
    data[note] = ""
    return data


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
