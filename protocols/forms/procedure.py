"""Forms of the approval procedure. They check the shape of input; `workflow.py` the rules.

Dates are typed as dd-mm-jjjj (the portal's DATE_INPUT_FORMATS also take jjjj-mm-dd), in a
plain text box: a typed date is the same for a keyboard user, a screen reader and a test.
The decision and adoption forms, often filled in on a phone straight after a meeting, use
the browser's date picker instead (`picker=True`): it sends jjjj-mm-dd, and a browser
without one still sends what was typed, which DATE_INPUT_FORMATS reads as dd-mm-jjjj.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protocols import workflow
from protocols.models import (
    ProcedureStep,
    ProposalDocument,
    ProtocolVersion,
    StepBody,
    StepKind,
)
from schools.forms import BoundedModelChoiceField
from schools.models import CouncilMember

DATE_FORMAT = "%d-%m-%Y"
PICKER_FORMAT = "%Y-%m-%d"  # what <input type="date"> takes and sends


def date_field(
    label, *, required=True, help_text=None, initial=None, picker=False
) -> forms.DateField:
    if picker:
        return forms.DateField(
            label=label,
            required=required,
            initial=initial,
            help_text=help_text,
            widget=forms.DateInput(format=PICKER_FORMAT, attrs={"type": "date"}),
        )
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        help_text=help_text or _("As dd-mm-yyyy."),
        widget=forms.DateInput(
            format=DATE_FORMAT,
            attrs={"placeholder": _("dd-mm-yyyy"), "inputmode": "numeric", "autocomplete": "off"},
        ),
    )


class SubmitForm(forms.Form):
    """WMS art. 7a: a proposal states whether it asks advice or consent, and on which basis."""

    change_summary = forms.CharField(
        label=_("What has changed"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The council reads this first; the full changes are on the comparison page."),
    )
    legal_basis = forms.ChoiceField(
        label=_("Submitted for"),
        choices=ProtocolVersion.LegalBasis.choices,
        widget=forms.RadioSelect,
    )
    legal_article = forms.CharField(
        label=_("Legal basis (article)"),
        max_length=200,
        initial=workflow.DEFAULT_ARTICLE,
    )
    is_editorial = forms.BooleanField(
        label=_("Editorial change only"),
        required=False,
        help_text=_("An editorial change does not ask staff to confirm reading again."),
    )


def outcome_choices(kind: str) -> list[tuple[str, str]]:
    """The outcomes a step of `kind` may have, in the order of `ProcedureStep.Outcome`."""
    allowed = workflow.OUTCOMES[kind]
    return [(o.value, o.label) for o in ProcedureStep.Outcome if o in allowed]


class RecordForm(forms.Form):
    """The decision of a step; a consent step with sections takes its outcome from the votes."""

    decided_on = date_field(_("Decided on"), initial=timezone.localdate, picker=True)
    meeting_date = date_field(
        _("Meeting date"),
        required=False,
        help_text=_("Empty if not in a meeting."),
        picker=True,
    )
    outcome = forms.ChoiceField(label=_("Outcome"))
    remarks = forms.CharField(
        label=_("Remarks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For instance the conditions of a conditional advice."),
    )

    minutes = BoundedModelChoiceField(
        label=_("The RvT's minutes"),
        queryset=ProposalDocument.objects.none(),
        help_text=_(
            "The RvT has no accounts in the portal: the board records its approval with its "
            "minutes. Add them to the proposal's documents first."
        ),
    )

    def __init__(self, *args, step: ProcedureStep, **kwargs):
        super().__init__(*args, **kwargs)
        if step.kind == StepKind.CONSENT and step.geledingen:
            del self.fields["outcome"]
        else:
            self.fields["outcome"].choices = [("", "---------")] + outcome_choices(step.kind)
        if step.body == StepBody.SUPERVISORY:
            self.fields["minutes"].queryset = step.version.documents.all()
        else:
            del self.fields["minutes"]


class VoteForm(forms.Form):
    """The vote of one section (geleding); one form per section, prefixed with its name."""

    # The section's size comes from the council's members in the portal; a different number
    # typed here is refused by the workflow, which counts them itself.
    members = forms.IntegerField(
        label=_("Members of the section"),
        min_value=0,
        max_value=999,
        help_text=_("As the portal knows the council's members."),
    )
    present = forms.IntegerField(label=_("Members present"), min_value=0, max_value=999)
    votes_for = forms.IntegerField(label=_("For"), min_value=0, max_value=999)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, max_value=999)
    abstentions = forms.IntegerField(label=_("Abstentions"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args, geleding: str, label: str, **kwargs):
        super().__init__(*args, prefix=geleding, **kwargs)
        self.geleding = geleding
        self.label = label

    def vote(self) -> dict:
        return {"geleding": self.geleding, **self.cleaned_data}


# The forms below are shown inside the version page's procedure panel. Each has its own
# prefix, so that two of them on one page never share an id.


class NotApplicableForm(forms.Form):
    prefix = "nvt"

    reason = forms.CharField(
        label=_("Why this step does not apply"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For instance: not among the decisions the statutes submit to the RvT."),
    )


class ExtendForm(forms.Form):
    prefix = "term"

    due_on = date_field(_("New due date"))


class WithdrawForm(forms.Form):
    prefix = "withdraw"

    reason = forms.CharField(
        label=_("Reason for withdrawing"), widget=forms.Textarea(attrs={"rows": 2})
    )


class LcgForm(forms.Form):
    """WMS art. 32: the board's notice to the council, its request to the LCG, the ruling."""

    prefix = "lcg"

    RULINGS = [
        ("", _("no ruling yet")),
        ("replaces_consent", _("the ruling replaces the consent")),
        ("upholds_refusal", _("the ruling upholds the refusal")),
    ]

    notified_on = date_field(
        _("Council told of going to the LCG WMS on"),
        required=False,
        help_text=_("As dd-mm-yyyy; within three months of the refusal."),
    )
    submitted_on = date_field(
        _("Submitted to the LCG WMS on"),
        required=False,
        help_text=_("As dd-mm-yyyy; within six weeks of telling the council."),
    )
    ruling = forms.ChoiceField(label=_("Ruling of the LCG WMS"), choices=RULINGS, required=False)

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.values()):
            raise forms.ValidationError(_("Fill in at least one date or the ruling."))
        return data


class AdoptForm(forms.Form):
    prefix = "adopt"

    decided_on = date_field(_("Adopted on"), initial=timezone.localdate, picker=True)
    effective_date = date_field(_("In force from"), picker=True)
    evaluation_date = date_field(
        _("Evaluation date"),
        required=False,
        help_text=_("Empty: two years after it comes into force."),
        picker=True,
    )
    reason = forms.CharField(
        label=_("Reasons for deviating from the advice"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when an advice was conditional."),
    )

    def __init__(self, *args, reason_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


class StepDefinitionForm(forms.Form):
    """One step of a stichting's procedure template."""

    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=StepKind.choices)
    body = forms.ChoiceField(label=_("Body"), choices=StepBody.choices)
    forum = forms.CharField(label=_("Forum"), max_length=100, required=False)
    geledingen = forms.MultipleChoiceField(
        label=_("Sections whose consent is required"),
        choices=CouncilMember.Geleding.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    term_days = forms.IntegerField(
        label=_("Term (days)"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("Empty: the council's own term."),
    )
    may_be_not_applicable = forms.BooleanField(
        label=_("May be marked not applicable"), required=False
    )


class BaseStepDefinitionFormSet(forms.BaseFormSet):
    def steps(self) -> list[dict]:
        """The steps in the chosen order, without deleted and empty forms."""
        return [
            {
                key: form.cleaned_data[key]
                for key in (
                    "name",
                    "kind",
                    "body",
                    "forum",
                    "geledingen",
                    "term_days",
                    "may_be_not_applicable",
                )
            }
            for form in self.ordered_forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]


StepDefinitionFormSet = forms.formset_factory(
    StepDefinitionForm, formset=BaseStepDefinitionFormSet, extra=1, can_order=True, can_delete=True
)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, OpenDocument, Excel, PowerPoint or text; at most 10 MB."),
    )
