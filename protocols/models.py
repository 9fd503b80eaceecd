"""Protocols and their versions. Status changes go through `protocols/workflow.py` only."""

import hashlib
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.files import private_storage
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
        if self._applies_to_ids:
            return self.applies_to.all()
        return self.stichting.schools.all()

    def covered_among(self, school_ids: list[int]) -> list[int]:
        """Those of `school_ids`, schools of the protocol's stichting, that it applies to."""
        if self.school_id:
            return [pk for pk in school_ids if pk == self.school_id]
        if self._applies_to_ids:
            return [pk for pk in school_ids if pk in self._applies_to_ids]
        return list(school_ids)

    def schools_lookup(self, field: str) -> dict:
        """Lookups on `field` (a foreign key to School) for the schools this protocol applies
        to, as plain conditions rather than a subquery."""
        if self.school_id:
            return {f"{field}_id": self.school_id}
        if self._applies_to_ids:
            return {f"{field}__in": sorted(self._applies_to_ids)}
        return {f"{field}__stichting_id": self.stichting_id}

    @cached_property
    def _applies_to_ids(self) -> frozenset[int]:
        # Asked once per instance: a version page asks `schools_covered` for several panels.
        return frozenset(self.applies_to.values_list("pk", flat=True))


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
        RETURNED = "returned", _("Sent back")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class LegalBasis(models.TextChoices):
        ADVICE = "advice", _("for advice (adviesrecht)")
        CONSENT = "consent", _("for consent (instemmingsrecht)")

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
    # WMS art. 7a: a proposal states expressly whether it asks advice or consent, and why.
    legal_basis = models.CharField(
        _("submitted for"), max_length=10, choices=LegalBasis.choices, blank=True
    )
    legal_article = models.CharField(_("legal basis (article)"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
        editable=False,
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
            # One draft at a time, so two people cannot fork the text unknowingly: also for
            # two saves at once and for the import.
            models.UniqueConstraint(
                fields=["protocol"], condition=Q(status="draft"), name="one_draft_per_protocol"
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
    def in_force_later(self):
        """The in-force date of an adopted version that is not in force yet, else None."""
        if self.status == self.Status.ADOPTED and self.effective_date:
            if self.effective_date > timezone.localdate():
                return self.effective_date
        return None

    @property
    def is_final(self) -> bool:
        return self.status in {self.Status.ADOPTED, self.Status.SUPERSEDED}

    def addenda(self, sections=None) -> list[tuple[School, list["Section"]]]:
        """Each school's own sections of this (board-wide) version, in one query, or none when
        the caller has the version's `sections` (with their school) already."""
        if sections is None:
            sections = self.sections.filter(school__isnull=False).select_related("school")
        found: dict[School, list[Section]] = {}
        for section in sections:
            if section.school_id is not None:
                found.setdefault(section.school, []).append(section)
        return list(found.items())


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
    file = models.FileField(_("file"), upload_to=_pdf_path, storage=private_storage)
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


def _log_pdf_path(instance, filename):
    return f"protocols/{instance.protocol_id}/besluitenlijst-{instance.fingerprint[:16]}.pdf"


class DecisionLogPdf(models.Model):
    """The decision log's PDF as rendered from one state of the log.

    `fingerprint` is the SHA-256 of what it was rendered from (`record.log_state`), so any
    change the log shows (a decision, a vote, an adoption, a corrected date) asks for a new PDF
    and an old one is never handed out. Only the newest is kept per protocol.
    """

    protocol = models.ForeignKey(
        Protocol, on_delete=models.CASCADE, related_name="log_pdfs", verbose_name=_("protocol")
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    file = models.FileField(_("file"), upload_to=_log_pdf_path, storage=private_storage)
    rendered_at = models.DateTimeField(_("rendered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored decision log PDF")
        verbose_name_plural = _("stored decision log PDFs")
        constraints = [
            models.UniqueConstraint(
                fields=["protocol", "fingerprint"], name="one_log_pdf_per_state"
            )
        ]

    def __str__(self):
        return self.file.name


def has_adopted_protocol(**version_filter) -> Exists:
    """Condition on School: an adopted protocol applies to it (its own or a board-wide one).

    `version_filter` narrows the adopted versions, e.g. `evaluation_date__lt=today`.
    """
    adopted = ProtocolVersion.objects.filter(
        status=ProtocolVersion.Status.ADOPTED, **version_filter
    )
    board_wide = adopted.filter(
        protocol__school__isnull=True, protocol__stichting=OuterRef("stichting")
    )
    return (
        Exists(adopted.filter(protocol__school=OuterRef("pk")))
        | Exists(board_wide.filter(protocol__applies_to=OuterRef("pk")))
        | Exists(board_wide.filter(protocol__applies_to__isnull=True))
    )


class StepKind(models.TextChoices):
    ADVICE = "advice", _("advice")
    CONSENT = "consent", _("consent")
    APPROVAL = "approval", _("approval")
    ADOPTION = "adoption", _("adoption")
    NOTICE = "notice", _("for information")


class StepBody(models.TextChoices):
    DIRECTORS = "directors", _("directors' meeting")
    COUNCIL = "council", _("participation council (GMR or MR, by scope)")
    SUPERVISORY = "supervisory", _("supervisory board (RvT)")
    BOARD = "board", _("executive board (CvB)")
    FORUM = "forum", _("other forum")


class StepFields(models.Model):
    """What a procedure step is: shared by the template and the snapshot taken at submission."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=StepKind.choices)
    body = models.CharField(_("body"), max_length=12, choices=StepBody.choices)
    forum = models.CharField(
        _("forum"), max_length=100, blank=True, help_text=_("For another forum: its name.")
    )
    geledingen = models.JSONField(
        _("sections that vote"),
        default=list,
        blank=True,
        help_text=_("For consent by a council: the sections whose consent is required."),
    )
    term_days = models.PositiveSmallIntegerField(
        _("response term (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: the council's own term, or none for the board."),
    )
    may_be_not_applicable = models.BooleanField(_("may be marked not applicable"), default=False)

    class Meta:
        abstract = True

    # The fields a submission copies from the template into the version's own steps.
    COPIED = ("name", "kind", "body", "forum", "geledingen", "term_days", "may_be_not_applicable")


class ProcedureStepDefinition(StepFields):
    """One step of a stichting's approval procedure template, in order."""

    stichting = models.ForeignKey(
        Stichting,
        on_delete=models.CASCADE,
        related_name="procedure_steps",
        verbose_name=_("stichting"),
    )
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")
        ordering = ["stichting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["stichting", "position"], name="unique_step_position")
        ]

    def __str__(self):
        return f"{self.position}. {self.name}"


class ProcedureStep(StepFields):
    """A step of one version's procedure: a snapshot of the template taken at submission."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        OPEN = "open", _("open")
        DECIDED = "decided", _("decided")
        NOT_APPLICABLE = "not_applicable", _("not applicable")
        WITHHELD = "withheld", _("consent withheld")

    class Outcome(models.TextChoices):
        POSITIVE = "positive", _("positive")
        NEGATIVE = "negative", _("negative")
        CONDITIONAL = "conditional", _("conditional")
        GRANTED = "granted", _("granted")
        WITHHELD = "withheld", _("withheld")
        APPROVED = "approved", _("approved")
        NOT_APPROVED = "not_approved", _("not approved")
        ADOPTED = "adopted", _("adopted")
        NOTED = "noted", _("noted")

    version = models.ForeignKey(
        ProtocolVersion, on_delete=models.CASCADE, related_name="steps", verbose_name=_("version")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    council = models.ForeignKey(
        "schools.Council",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="procedure_steps",
        verbose_name=_("council"),
    )
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.WAITING, editable=False
    )
    opened_on = models.DateField(_("sent on"), null=True, blank=True, editable=False)
    due_on = models.DateField(_("due on"), null=True, blank=True, editable=False)
    outcome = models.CharField(
        _("outcome"), max_length=15, choices=Outcome.choices, blank=True, editable=False
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True, editable=False)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True, editable=False)
    remarks = models.TextField(_("remarks"), blank=True, editable=False)
    reason = models.TextField(
        _("reason"),
        blank=True,
        editable=False,
        help_text=_("Why not applicable, or why the board deviates."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        editable=False,
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True, editable=False)

    class RecordedAs(models.TextChoices):
        SUPERVISORY_MEMBER = "supervisory_member", _("by a member of the RvT")
        BOARD_WITH_MINUTES = "board_with_minutes", _("by the board, with the RvT's minutes")

    # The RvT's approval is recorded by one of its members or, where the RvT has no accounts,
    # by the board with the RvT's minutes attached: the record says which.
    recorded_as = models.CharField(
        _("recorded as"), max_length=20, choices=RecordedAs.choices, blank=True, editable=False
    )
    minutes = models.ForeignKey(
        "ProposalDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("minutes"),
        editable=False,
    )
    # WMS art. 32, after consent is withheld: the board tells the council within three months
    # whether it goes to the LCG WMS, and then submits within six weeks of that notice.
    lcg_notified_on = models.DateField(
        _("LCG intention told to council on"), null=True, blank=True, editable=False
    )
    lcg_submitted_on = models.DateField(
        _("submitted to the LCG on"), null=True, blank=True, editable=False
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("procedure step of a version")
        verbose_name_plural = _("procedure steps of versions")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="unique_version_step")
        ]

    def __str__(self):
        return f"{self.version} – {self.name}"

    def term_expired(self, today) -> bool:
        """Silence is never consent: an open step past its due date is shown as such."""
        return self.status == self.Status.OPEN and self.due_on is not None and today > self.due_on

    @property
    def body_label(self) -> str:
        if self.council_id:
            return self.council.name
        # The enum's label, not get_body_display(): that builds a dict of all choices per call,
        # and the decision log asks for hundreds of labels.
        return self.forum or str(StepBody(self.body).label)


class GeledingVote(models.Model):
    """The vote of one section (geleding) of a council on a consent step."""

    step = models.ForeignKey(
        ProcedureStep, on_delete=models.CASCADE, related_name="votes", verbose_name=_("step")
    )
    geleding = models.CharField(_("section"), max_length=10)
    members = models.PositiveSmallIntegerField(_("members of the section"))
    present = models.PositiveSmallIntegerField(_("members present"))
    votes_for = models.PositiveSmallIntegerField(_("for"))
    votes_against = models.PositiveSmallIntegerField(_("against"))
    abstentions = models.PositiveSmallIntegerField(_("abstentions"))
    granted = models.BooleanField(_("consent granted"))

    class Meta:
        verbose_name = _("vote of a section")
        verbose_name_plural = _("votes of sections")
        constraints = [
            models.UniqueConstraint(fields=["step", "geleding"], name="one_vote_per_geleding")
        ]

    def __str__(self):
        return f"{self.step}: {self.geleding}"


class Question(models.Model):
    """A council member's question about a proposal, per section, answered by the director."""

    version = models.ForeignKey(
        ProtocolVersion,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("version"),
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("section"),
    )
    text = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asked by"),
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["asked_at"]

    def __str__(self):
        return self.text[:60]


class ReadingLinkQuerySet(models.QuerySet):
    def public(self):
        """Links that still open their proposal: unexpired, not revoked, and the proposal still
        in procedure (withdrawn or decided, it is no longer the council's to read). The token
        itself is the access check."""
        from django.utils import timezone

        return self.filter(
            expires_at__gt=timezone.now(),
            revoked_at__isnull=True,
            version__status=ProtocolVersion.Status.IN_PROCEDURE,
        )

    def for_token(self, token: str):
        """The link whose token this is; only the token's hash is stored."""
        return self.filter(token_hash=ReadingLink.hash(token))


class ReadingLink(models.Model):
    """A personal, expiring link to read one proposal and its diff, for someone without account."""

    version = models.ForeignKey(
        ProtocolVersion,
        on_delete=models.CASCADE,
        related_name="reading_links",
        verbose_name=_("version"),
    )
    # sha256 of the token: the token itself is only in the e-mail, so a copy of the database
    # opens no proposal.
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
        editable=False,
    )

    objects = ReadingLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("reading link")
        verbose_name_plural = _("reading links")

    def __str__(self):
        return f"{self.name} – {self.version}"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class Acknowledgement(models.Model):
    """A staff member's "gelezen en begrepen" for one exact adopted version."""

    version = models.ForeignKey(
        ProtocolVersion,
        on_delete=models.CASCADE,
        related_name="acknowledgements",
        verbose_name=_("version"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="acknowledgements",
        verbose_name=_("staff member"),
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("read and understood at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "user", "school"], name="one_acknowledgement_per_version"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.version}"


def _document_path(instance, filename):
    return f"proposals/{instance.version_id}/{filename}"


class ProposalDocument(models.Model):
    """A supporting document of a proposal (WMS art. 8: the council is informed in full).

    Stored privately: served only through a view that checks who may see the version.
    """

    version = models.ForeignKey(
        ProtocolVersion,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("version"),
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_document_path, storage=private_storage)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.title
