"""Protocols and their versions. Status changes go through `protocols/workflow.py` only."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.models import School, Stichting


class ProtocolQuerySet(models.QuerySet):
    def for_user(self, user, *, edit: bool = False):
        """Protocols of the schools and stichtingen `user` works for or sits on a council of.

        With `edit`, only those whose drafts `user` may write.
        """
        from schools import access

        return self.filter(
            access.protocol_edit_filter(user) if edit else access.protocol_filter(user)
        )

    def applying_to(self, school: School):
        """Protocols that apply to `school`: its own, and board-wide ones that cover it."""
        return self.filter(
            Q(school=school)
            | Q(school__isnull=True, stichting=school.stichting_id, applies_to=school)
            | Q(school__isnull=True, stichting=school.stichting_id, applies_to__isnull=True)
        ).distinct()


class Protocol(models.Model):
    """A policy text of a stichting (board-wide) or of one school; its text lives in versions."""

    stichting = models.ForeignKey(
        Stichting, on_delete=models.PROTECT, related_name="protocols", verbose_name=_("stichting")
    )
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="own_protocols",
        null=True,
        blank=True,
        verbose_name=_("school"),
        help_text=_("Empty for a board-wide protocol."),
    )
    applies_to = models.ManyToManyField(
        School,
        related_name="board_protocols",
        blank=True,
        verbose_name=_("applies to"),
        help_text=_("For a board-wide protocol: the schools it covers; empty for all."),
    )
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProtocolQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[applies_to])

    class Meta:
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.school_id and self.stichting_id and self.school.stichting_id != self.stichting_id:
            raise ValidationError({"school": _("This school belongs to another stichting.")})

    @property
    def is_board_wide(self) -> bool:
        return self.school_id is None

    def schools_covered(self):
        """The schools this protocol applies to."""
        if self.school_id:
            return School.objects.filter(pk=self.school_id)
        if self.applies_to.exists():
            return self.applies_to.all()
        return self.stichting.schools.all()


class ProtocolVersionQuerySet(models.QuerySet):
    def for_user(self, user, *, edit: bool = False):
        """Versions of the protocols `user` may work with (see `Protocol.objects.for_user`)."""
        return self.filter(protocol__in=Protocol.objects.for_user(user, edit=edit))

    def public(self):
        """Versions anyone may read without logging in: adopted ones, current or superseded."""
        return self.filter(
            status__in=[ProtocolVersion.Status.ADOPTED, ProtocolVersion.Status.SUPERSEDED]
        )

    def applying_to(self, school: School):
        """Versions of the protocols that apply to `school`."""
        return self.filter(protocol__in=Protocol.objects.applying_to(school))


class ProtocolVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_PROCEDURE = "in_procedure", _("In procedure")
        ADOPTED = "adopted", _("Adopted")
        SUPERSEDED = "superseded", _("Superseded")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    protocol = models.ForeignKey(
        Protocol, on_delete=models.CASCADE, related_name="versions", verbose_name=_("protocol")
    )
    number = models.PositiveIntegerField(_("version number"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("based on"),
    )
    change_summary = models.TextField(_("what has changed"), blank=True)
    is_editorial = models.BooleanField(
        _("editorial change only"),
        default=False,
        help_text=_("An editorial change does not ask staff to confirm reading again."),
    )
    source_name = models.CharField(_("imported from"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Bumped on every edit, so a form loaded before someone else's save can notice it.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True, editable=False)
    effective_date = models.DateField(_("in force from"), null=True, blank=True, editable=False)
    evaluation_date = models.DateField(_("evaluation date"), null=True, blank=True, editable=False)

    objects = ProtocolVersionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("protocol version")
        verbose_name_plural = _("protocol versions")
        ordering = ["protocol", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "number"], name="unique_version_number"),
            # One adopted version per protocol: adoption supersedes the previous one first.
            models.UniqueConstraint(
                fields=["protocol"], condition=Q(status="adopted"), name="one_adopted_version"
            ),
        ]

    def __str__(self):
        return f"{self.protocol} – {_('version')} {self.number}"

    def get_absolute_url(self):
        return reverse("protocols:version_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_final(self) -> bool:
        return self.status in {self.Status.ADOPTED, self.Status.SUPERSEDED}


class Section(models.Model):
    """One heading with its body, in a small safe Markdown subset."""

    class Audience(models.TextChoices):
        ALL = "all", _("all users")
        PUPILS = "pupils", _("pupils")
        PARENTS = "parents", _("parents")
        STAFF = "staff", _("staff")

    version = models.ForeignKey(
        ProtocolVersion,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("version"),
    )
    position = models.PositiveIntegerField(_("position"))
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, blank=True)
    body = models.TextField(_("text"), blank=True)
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="protocol_addenda",
        verbose_name=_("addendum of school"),
        help_text=_("A school's own section added to a board-wide protocol."),
    )

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="unique_section_position")
        ]

    def __str__(self):
        return self.heading or f"§ {self.position}"


class ProcedureRecord(models.Model):
    """A step of the approval trail as the source text records it (imported history)."""

    version = models.ForeignKey(
        ProtocolVersion,
        on_delete=models.CASCADE,
        related_name="procedure_records",
        verbose_name=_("version"),
    )
    position = models.PositiveIntegerField(_("position"))
    step = models.CharField(_("step"), max_length=100)
    outcome = models.CharField(_("outcome"), max_length=100, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    text = models.TextField(_("as written in the source"))

    class Meta:
        verbose_name = _("procedure record")
        verbose_name_plural = _("procedure records")
        ordering = ["position"]

    def __str__(self):
        return self.text


def _pdf_path(instance, filename):
    school = instance.school.slug if instance.school_id else "bestuur"
    return f"protocols/{instance.version.protocol_id}/v{instance.version.number}-{school}.pdf"


class StoredPdf(models.Model):
    """The PDF of an adopted version, rendered once (per school for a board-wide model)."""

    version = models.ForeignKey(
        ProtocolVersion, on_delete=models.CASCADE, related_name="pdfs", verbose_name=_("version")
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("school")
    )
    file = models.FileField(_("file"), upload_to=_pdf_path)
    rendered_at = models.DateTimeField(_("rendered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored PDF")
        verbose_name_plural = _("stored PDFs")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "school"],
                condition=Q(school__isnull=False),
                name="one_pdf_per_version_and_school",
            ),
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(school__isnull=True),
                name="one_board_pdf_per_version",
            ),
        ]

    def __str__(self):
        return self.file.name


def has_adopted_protocol() -> Exists:
    """Condition on School: an adopted protocol applies to it (its own or a board-wide one)."""
    adopted = ProtocolVersion.objects.filter(status=ProtocolVersion.Status.ADOPTED)
    board_wide = adopted.filter(
        protocol__school__isnull=True, protocol__stichting=OuterRef("stichting")
    )
    return (
        Exists(adopted.filter(protocol__school=OuterRef("pk")))
        | Exists(board_wide.filter(protocol__applies_to=OuterRef("pk")))
        | Exists(board_wide.filter(protocol__applies_to__isnull=True))
    )
