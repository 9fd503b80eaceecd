from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.forms.handling import DateInput


class PeriodForm(forms.Form):
    """The period the figures count: incidents that happened from `start` up to `end`."""

    start = forms.DateField(label=_("from"), required=False, widget=DateInput())
    end = forms.DateField(label=_("until"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end lies before the start."))
        return data
