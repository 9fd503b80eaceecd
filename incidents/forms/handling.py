"""The forms of the case file: each feeds one workflow function, which applies the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.models import DutyCheck, Entry, ExpulsionStep, Measure, Takedown, Task
from schools.forms import BoundedIdsMixin, BoundedModelChoiceField
from schools.models import User


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class UserChoiceField(BoundedIdsMixin, forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class UsersChoiceField(BoundedIdsMixin, forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class EntryForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = ["kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "owner", "due_on"]
        field_classes = {"owner": UserChoiceField}
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class MeasureForm(forms.ModelForm):
    """A measure for a pupil of the case, or the referral of a staff member to the board."""

    class Meta:
        model = Measure
        fields = [
            "kind",
            "pupil",
            "staff",
            "starts_on",
            "ends_on",
            "letter_reasons",
            "letter_objection",
            "note",
        ]
        field_classes = {"pupil": BoundedModelChoiceField, "staff": BoundedModelChoiceField}
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "letter_reasons": forms.Textarea(attrs={"rows": 2}),
            "letter_objection": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "ends_on": _(
                "A phone: left empty, the ladder decides. A suspension: at most five school days."
            ),
            "letter_reasons": _("Only for a suspension: the letter to the parents."),
        }

    def __init__(self, *args, pupils, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda s: s.user.get_full_name() or str(s.user)


class ReturnPhoneForm(forms.Form):
    returned_to = forms.CharField(label=_("returned to"), max_length=200)


class DutyForm(forms.Form):
    duty = forms.ChoiceField(choices=DutyCheck.Duty.choices, widget=forms.HiddenInput)
    state = forms.ChoiceField(label=_("state"), choices=DutyCheck.State.choices)
    done_on = forms.DateField(label=_("done on"), required=False, widget=DateInput())
    reference = forms.CharField(label=_("reference or outcome"), max_length=300, required=False)
    reason = forms.CharField(label=_("why not applicable"), max_length=1000, required=False)


class CloseForm(forms.Form):
    evaluation = forms.CharField(
        label=_("closing evaluation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class LegalHoldForm(forms.Form):
    hold = forms.BooleanField(label=_("legal hold"), required=False)
    reason = forms.CharField(
        label=_("reason for the legal hold"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RouteForm(forms.Form):
    to = UsersChoiceField(label=_("handled by"), queryset=User.objects.none())

    def __init__(self, *args, handlers: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = User.objects.filter(pk__in=[u.pk for u in handlers])


class TakedownForm(forms.ModelForm):
    class Meta:
        model = Takedown
        fields = ["route", "platform", "reference", "requested_on", "note"]
        widgets = {"requested_on": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}


class TakedownUpdateForm(forms.ModelForm):
    class Meta:
        model = Takedown
        fields = ["status", "resolved_on", "reference", "note"]
        widgets = {"resolved_on": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("file"))
    description = forms.CharField(label=_("description"), max_length=300, required=False)


class ExpulsionStepForm(forms.ModelForm):
    class Meta:
        model = ExpulsionStep
        fields = ["step", "on", "note"]
        widgets = {"on": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}
