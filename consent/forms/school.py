"""Forms of the school's side of consent: the publication check."""

from django import forms
from django.utils.translation import gettext_lazy as _

from schools.forms import BoundedIdsMixin, BoundedModelChoiceField

# More pupils in one picture than this is a class photo: check it per group.
MAX_PUPILS_IN_CHECK = 200


class PupilChoiceField(BoundedIdsMixin, forms.ModelMultipleChoiceField):
    def label_from_instance(self, pupil):
        group = f" ({pupil.group.name})" if pupil.group_id else ""
        return f"{pupil.full_name}{group}"


class PublishCheckForm(forms.Form):
    """Mag ik dit publiceren? Where, and who is recognisable in the picture."""

    purpose = BoundedModelChoiceField(
        label=_("Where do you want to publish it?"), queryset=None, empty_label=None
    )
    pupils = PupilChoiceField(
        label=_("Who is recognisable in the picture?"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick the pupils who are recognisable in the picture.")},
    )
    unrecognisable = PupilChoiceField(
        label=_("Made unrecognisable (blurred, from behind, cut out)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, purposes, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].queryset = purposes
        self.fields["pupils"].queryset = pupils
        self.fields["unrecognisable"].queryset = pupils

    def clean_pupils(self):
        pupils = self.cleaned_data["pupils"]
        if len(pupils) > MAX_PUPILS_IN_CHECK:
            raise forms.ValidationError(
                _("Check at most %(max)d pupils at once; for a class photo use the group list.")
                % {"max": MAX_PUPILS_IN_CHECK}
            )
        return pupils


class PaperFormForm(forms.Form):
    """Who signed the paper form, and where the paper is kept (required: rule 22)."""

    signed_by = forms.TypedChoiceField(label=_("Signed by"), coerce=int)
    note = forms.CharField(
        label=_("Where is the paper form kept?"),
        max_length=500,
        help_text=_("For example: scanned into the pupil file on 14 September 2026."),
    )

    def __init__(self, *args, signers, **kwargs):
        super().__init__(*args, **kwargs)
        self.signers = {user.pk: user for user in signers}
        self.fields["signed_by"].choices = [
            (pk, user.get_full_name() or user.email) for pk, user in self.signers.items()
        ]

    def clean_signed_by(self):
        return self.signers[self.cleaned_data["signed_by"]]
