import base64
import binascii
import zlib

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core import signing
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from two_factor.forms import AuthenticationTokenForm, BackupTokenForm

from schools import edexml, pupil_import


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, with the e-mail address as the user name."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        # E-mail addresses are matched case-insensitively, so don't say otherwise.
        "invalid_login": _("This e-mail address and password do not match an account."),
    }


TWO_FACTOR_ERRORS = {
    **AuthenticationTokenForm.otp_error_messages,
    "token_required": _("Enter the code."),
    "invalid_token": _("This code is not right. Check it and try again."),
    "n_failed_attempts": ngettext_lazy(
        "Codes are refused for a moment after %(failure_count)d wrong attempt; try again soon.",
        "Codes are refused for a moment after %(failure_count)d wrong attempts; try again soon.",
        "failure_count",
    ),
    "verification_not_allowed": _("Codes are refused for a moment; try again soon."),
}


class TwoFactorCodeForm(AuthenticationTokenForm):
    """The second step of signing in: the six digits the authenticator app shows now."""

    otp_error_messages = TWO_FACTOR_ERRORS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp_token"].label = _("Code from your authenticator app")
        self.fields["otp_token"].widget.attrs["inputmode"] = "numeric"


class RecoveryCodeForm(BackupTokenForm):
    """The second step with one of the recovery codes instead; each works once."""

    otp_error_messages = TWO_FACTOR_ERRORS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp_token"].label = _("Recovery code")
        self.fields["otp_token"].widget.attrs.update(
            {"autofocus": True, "autocomplete": "one-time-code"}
        )


# The CSV parser refuses more than its own limit; EDEXML (XML, so larger) may be bigger.
UPLOAD_MAX_BYTES = max(pupil_import.MAX_BYTES, edexml.MAX_BYTES)


class PupilImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("EDEXML or CSV file from the pupil administration"),
        help_text=_(
            "The EDEX export (EDEX.XML) of the administration, or a CSV saved from Excel "
            "(semicolons or commas) with the columns leerlingnummer, "
            "voornaam, tussenvoegsel, achternaam, geboortedatum, groep, ouder1_naam, "
            "ouder1_email, ouder1_gezag, ouder2_naam, ouder2_email, ouder2_gezag and, for "
            "pupils of 16 and older, leerling_email."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xml,text/csv,text/plain,text/xml,application/xml"}
        ),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        # Checked before reading, so a huge upload is never loaded into memory; the start
        # tells EDEXML (which may be larger) from CSV.
        start = upload.read(1024)
        upload.seek(0)
        limit = edexml.MAX_BYTES if edexml.is_xml(start) else pupil_import.MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB."),
                params={"size": limit // (1024 * 1024)},
            )
        return upload.read()


# The checked file travels to the final step inside the page, signed, so what is imported is
# exactly what was previewed; it must fit in a POST body (DATA_UPLOAD_MAX_MEMORY_SIZE).
PAYLOAD_MAX_AGE = 60 * 60
PAYLOAD_LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 64 * 1024


def pack_upload(data: bytes, *, salt: str) -> str | None:
    """`data` compressed and signed for a hidden field; None when too large for a POST."""
    packed = base64.urlsafe_b64encode(zlib.compress(data, 6)).decode("ascii")
    token = signing.TimestampSigner(salt=salt).sign(packed)
    return token if len(token) <= PAYLOAD_LIMIT else None


def unpack_upload(token: str, *, salt: str) -> bytes:
    """The bytes `pack_upload` signed; raises ValidationError when altered, expired or too big."""
    try:
        packed = signing.TimestampSigner(salt=salt).unsign(token, max_age=PAYLOAD_MAX_AGE)
        inflater = zlib.decompressobj()
        data = inflater.decompress(base64.urlsafe_b64decode(packed), UPLOAD_MAX_BYTES + 1)
    except (signing.BadSignature, binascii.Error, zlib.error, ValueError) as error:
        raise forms.ValidationError(
            _("The checked file has expired or was changed; upload it again."), code="payload"
        ) from error
    if len(data) > UPLOAD_MAX_BYTES or inflater.unconsumed_tail:
        raise forms.ValidationError(_("The file is too large."), code="payload")
    return data


class PupilImportConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm_left = forms.BooleanField(
        label=_("Mark the pupils under “Left” as left today"),
        help_text=_("Without this, they stay at the school; nothing about them changes."),
        required=False,
    )

    def __init__(self, *args, salt: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.salt = salt

    def clean_payload(self) -> bytes:
        return unpack_upload(self.cleaned_data["payload"], salt=self.salt)


# Primary keys are 64-bit: a longer number can only be junk, and SQLite would raise an
# OverflowError (a server error) when the field looks it up.
MAX_ID_DIGITS = 18


class BoundedIdsMixin:
    """For model choice fields: an absurdly long id is an invalid choice, not a server error."""

    def clean(self, value):
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            text = str(item).strip() if item is not None else ""
            if len(text) > MAX_ID_DIGITS:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text[:20]},
                )
        return super().clean(value)


class BoundedModelChoiceField(BoundedIdsMixin, forms.ModelChoiceField):
    pass


class BoundedModelMultipleChoiceField(BoundedIdsMixin, forms.ModelMultipleChoiceField):
    pass
