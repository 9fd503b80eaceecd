"""Forms of activity requests: the school asks (groups and/or pupils), parents answer."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consent.forms.own import YesNoForm
from consent.models import ActivityRequest
from schools.forms import BoundedModelMultipleChoiceField
from schools.models import ClassGroup, Pupil


class ActivityRequestForm(forms.ModelForm):
    """A new activity request of `school`; only the school's groups and pupils are offered."""

    class Meta:
        model = ActivityRequest
        fields = ["title", "text", "deadline", "groups", "pupils"]
        field_classes = {
            "groups": BoundedModelMultipleChoiceField,
            "pupils": BoundedModelMultipleChoiceField,
        }
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "groups": forms.CheckboxSelectMultiple,
            "pupils": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "text": _("What happens, where and when, and what is photographed or filmed."),
            "pupils": _("Pupils asked besides the groups chosen above."),
        }

    def __init__(self, *args, school, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = self.instance.school = school
        self.user = user
        today = timezone.localdate()
        self.fields["groups"].queryset = (
            ClassGroup.objects.for_user(user).filter(school=school).order_by("-school_year", "name")
        )
        self.fields["pupils"].queryset = (
            Pupil.objects.for_user(user)
            .filter(school=school)
            .enrolled_on(today)
            .select_related("group")
            .order_by("last_name", "first_name")
        )
        self.fields["pupils"].label_from_instance = lambda pupil: (
            f"{pupil.full_name} ({pupil.group.name})" if pupil.group else pupil.full_name
        )

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline lies in the past."))
        return deadline

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("groups") and not cleaned.get("pupils"):
            raise forms.ValidationError(_("Choose at least one group or pupil."))
        return cleaned

    def save(self, commit=True):
        self.instance.created_by = self.user
        return super().save(commit)


class ActivityAnswerForm(YesNoForm):
    """One optional ja/nee per pupil asked."""

    prefix_of_field = "pupil"

    def label_of(self, item) -> str:
        return item.first_name
