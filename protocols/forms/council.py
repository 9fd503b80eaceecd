"""Forms of the council's side of the procedure: questions, answers and reading links."""

from django import forms
from django.utils.translation import gettext_lazy

from schools.forms import BoundedModelChoiceField

READING_LINK_DAYS = 14
MAX_TEXT = 5000


class QuestionForm(forms.Form):
    section = BoundedModelChoiceField(
        label=gettext_lazy("About"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("the proposal as a whole"),
    )
    text = forms.CharField(
        label=gettext_lazy("Your question"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, prefix="question", **kwargs)
        self.fields["section"].queryset = version.sections.all()


class AnswerForm(forms.Form):
    answer = forms.CharField(max_length=MAX_TEXT)


class ReadingLinkForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"), min_value=1, max_value=90, initial=READING_LINK_DAYS
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="link", **kwargs)
