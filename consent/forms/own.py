"""The ja/nee form of one person's (or one child's) consent, one choice per purpose.

No choice is ever preselected unless it is the user's own earlier answer (DOMAIN 19): a
purpose left open stays unanswered, and only what differs from the user's own latest
answer is handed to the ledger.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

YES, NO = "ja", "nee"
CHOICES = [(YES, _("Yes")), (NO, _("No"))]


class YesNoForm(forms.Form):
    """One optional ja/nee per item; `answers` is `{item pk: bool}`, the user's own so far."""

    prefix_of_field = "item"

    def __init__(self, *args, items, answers: dict[int, bool], **kwargs):
        initial = {self.field_name(pk): YES if choice else NO for pk, choice in answers.items()}
        super().__init__(*args, initial=initial, **kwargs)
        self.items = list(items)
        self.answers = answers
        for item in self.items:
            self.fields[self.field_name(item.pk)] = forms.ChoiceField(
                label=self.label_of(item), choices=CHOICES, required=False, widget=forms.RadioSelect
            )

    def field_name(self, pk: int) -> str:
        return f"{self.prefix_of_field}_{pk}"

    def label_of(self, item) -> str:
        return str(item)

    def bound_field(self, item):
        return self[self.field_name(item.pk)]

    def changes(self) -> list[tuple[object, bool]]:
        """(item, choice) for each item answered now differently from before."""
        changed = []
        for item in self.items:
            value = self.cleaned_data.get(self.field_name(item.pk))
            if value not in (YES, NO):
                continue  # left open: stays unanswered, never an implied yes
            choice = value == YES
            if self.answers.get(item.pk) != choice:
                changed.append((item, choice))
        return changed


class ChoicesForm(YesNoForm):
    """One optional ja/nee per purpose."""

    prefix_of_field = "purpose"

    def label_of(self, item) -> str:
        return item.name
