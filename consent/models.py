"""Consent for photos, video and sound (DOMAIN B): purposes, their versioned texts, and an
append-only ledger of choices from which the current state is derived (`consent/ledger.py`).

Who may see what is decided in `consent/access.py`, built on `schools/access.py`; views fetch
only through the `for_user` queryset methods here.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consent import access
from schools.models import ClassGroup, Pupil, School, Staff, Stichting


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a row of an append-only ledger."""


class ConsentPolicyQuerySet(models.QuerySet):
    def for_user(self, user):
        """Policies of the stichtingen whose schools `user` directs or governs."""
        return self.filter(access.policy_filter(user))


class ConsentPolicy(models.Model):
    """A stichting's consent settings; created with the defaults the first time it is asked for."""

    stichting = models.OneToOneField(
        Stichting,
        on_delete=models.CASCADE,
        related_name="consent_policy",
        verbose_name=_("stichting"),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("retention after leaving (years)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Consent records of a pupil are deleted this long after they leave."),
    )
    review_month = models.PositiveSmallIntegerField(
        _("month of the yearly review reminder"),
        default=9,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    review_day = models.PositiveSmallIntegerField(
        _("day of the yearly review reminder"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    ask_again_at_16 = models.BooleanField(
        _("ask pupils again when they turn 16"),
        default=False,
        help_text=_("Earlier choices of the parents stay in force until the pupil changes them."),
    )

    objects = ConsentPolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent policy")
        verbose_name_plural = _("consent policies")

    def __str__(self):
        return str(self.stichting)

    def clean(self):
        try:
            date(2001, self.review_month, self.review_day)  # a non-leap year: no 29 February
        except (TypeError, ValueError, OverflowError):
            raise ValidationError(
                {"review_day": _("This day does not exist every year.")}
            ) from None

    def review_on(self, year: int) -> date:
        """The day of the yearly review reminder in `year`."""
        return date(year, self.review_month, self.review_day)


class PurposeQuerySet(models.QuerySet):
    def for_user(self, user, manage=False):
        """Purposes `user` may see, or with `manage=True` change."""
        condition = access.purpose_manage_filter(user) if manage else access.purpose_filter(user)
        return self.filter(condition)

    def for_school(self, school: School, audience: str | None = None):
        """Active purposes that apply at `school`: the board's and the school's own."""
        purposes = self.filter(
            Q(school__isnull=True) | Q(school=school), stichting=school.stichting_id, active=True
        )
        if audience is not None:
            purposes = purposes.filter(audience__in=[audience, Purpose.Audience.BOTH])
        return purposes


class Purpose(models.Model):
    """What consent is asked for: one channel and use, per stichting or added by one school."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("photo, video or sound")
        OTHER = "other", _("other")

    class Channel(models.TextChoices):
        PUBLIC = "public", _("public")
        AUTHENTICATED = "authenticated", _("behind a login")

    class Audience(models.TextChoices):
        PUPILS = "pupils", _("pupils")
        STAFF = "staff", _("staff")
        BOTH = "both", _("pupils and staff")

    stichting = models.ForeignKey(
        Stichting, on_delete=models.PROTECT, related_name="purposes", verbose_name=_("stichting")
    )
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="consent_purposes",
        null=True,
        blank=True,
        verbose_name=_("school"),
        help_text=_("Empty for a purpose of the whole stichting."),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("code"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.IMAGE)
    photo = models.BooleanField(_("photo"), default=True)
    video = models.BooleanField(_("video"), default=False)
    sound = models.BooleanField(_("sound"), default=False)
    channel = models.CharField(
        _("channel"), max_length=15, choices=Channel.choices, default=Channel.AUTHENTICATED
    )
    audience = models.CharField(
        _("asked of"), max_length=10, choices=Audience.choices, default=Audience.PUPILS
    )
    section = models.ForeignKey(
        "protocols.Section",
        on_delete=models.SET_NULL,
        related_name="consent_purposes",
        null=True,
        blank=True,
        verbose_name=_("protocol section"),
        help_text=_("The section of the adopted protocol this purpose rests on."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    objects = PurposeQuerySet.as_manager()

    class Meta:
        verbose_name = _("purpose")
        verbose_name_plural = _("purposes")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["stichting", "slug"],
                condition=Q(school__isnull=True),
                name="unique_board_purpose_code",
            ),
            models.UniqueConstraint(
                fields=["school", "slug"],
                condition=Q(school__isnull=False),
                name="unique_school_purpose_code",
            ),
            # A purpose that is not about images covers no media.
            models.CheckConstraint(
                condition=Q(kind="image") | Q(photo=False, video=False, sound=False),
                name="purpose_media_only_for_images",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.school_id and self.stichting_id and self.school.stichting_id != self.stichting_id:
            raise ValidationError({"school": _("This school belongs to another stichting.")})
        if self.kind == self.Kind.IMAGE and not (self.photo or self.video or self.sound):
            raise ValidationError(_("Choose the media this purpose covers."))
        if self.kind == self.Kind.OTHER and (self.photo or self.video or self.sound):
            raise ValidationError(_("Only a purpose about images covers photo, video or sound."))

    @property
    def is_public(self) -> bool:
        return self.channel == self.Channel.PUBLIC

    @property
    def media(self) -> list[str]:
        """The media this purpose covers, as labels."""
        fields = [("photo", _("photo")), ("video", _("video")), ("sound", _("sound"))]
        return [str(label) for name, label in fields if getattr(self, name)]


class PurposeVersion(models.Model):
    """The explanation shown to whoever decides; a material version asks everyone again."""

    purpose = models.ForeignKey(
        Purpose, on_delete=models.PROTECT, related_name="versions", verbose_name=_("purpose")
    )
    number = models.PositiveIntegerField(_("version number"))
    text = models.TextField(_("explanation"))
    material = models.BooleanField(
        _("asks everyone again"),
        default=True,
        help_text=_("A material change: earlier answers no longer count for this purpose."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("purpose text version")
        verbose_name_plural = _("purpose text versions")
        ordering = ["purpose", "number"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "number"], name="unique_purpose_version"),
        ]

    def __str__(self):
        return f"{self.purpose} v{self.number}"


class AppendOnlyQuerySet(models.QuerySet):
    """Rows are only ever added: `update()` and `delete()` refuse; retention uses `purge()`."""

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} is append-only: update refused.")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} is append-only: delete refused.")

    update.queryset_only = True
    delete.queryset_only = True

    def _purge(self) -> int:
        # Only `ledger.purge_rows` calls this, inside the transaction that lifts the
        # database's guard; anywhere else the trigger refuses the DELETE.
        deleted, _per_model = models.QuerySet.delete(self)
        return deleted


class AppendOnlyModel(models.Model):
    """A row that is written once: saving it again or deleting it raises."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} is append-only: update refused.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} is append-only: delete refused.")


class Capacity(models.TextChoices):
    """In which capacity someone gave a choice."""

    PARENT = "parent", _("parent with gezag")
    GUARDIAN = "guardian", _("guardian (voogd)")
    PUPIL = "pupil", _("pupil of 16 or older")
    STAFF = "staff", _("staff member")


class Channel(models.TextChoices):
    """How a choice reached the ledger."""

    PORTAL = "portal", _("portal")
    PAPER = "paper", _("paper form, entered by the school")
    IMPORT = "import", _("import")


class ConsentEventQuerySet(AppendOnlyQuerySet):
    def for_user(self, user):
        """Events of the pupils and staff members whose consent `user` may see."""
        return self.filter(access.subject_filter(user))


class ConsentEvent(AppendOnlyModel):
    """One choice, as given: never changed; a withdrawal is a new event (DOMAIN 22, 23).

    `given_by` is whose choice it is (a guardian, the pupil, the staff member); when the school
    entered a paper form on their behalf, `entered_by` is the staff member who typed it in.
    """

    pupil = models.ForeignKey(
        Pupil,
        on_delete=models.PROTECT,
        related_name="consent_events",
        null=True,
        blank=True,
        verbose_name=_("pupil"),
    )
    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        related_name="consent_events",
        null=True,
        blank=True,
        verbose_name=_("staff member"),
    )
    purpose = models.ForeignKey(
        Purpose, on_delete=models.PROTECT, related_name="events", verbose_name=_("purpose")
    )
    purpose_version = models.ForeignKey(
        PurposeVersion,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("text shown"),
    )
    choice = models.BooleanField(_("consent given"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consent_choices",
        null=True,
        blank=True,
        verbose_name=_("given by"),
        help_text=_("Empty when an import did not say who gave it."),
    )
    capacity = models.CharField(_("capacity"), max_length=10, choices=Capacity.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consent_entries",
        null=True,
        blank=True,
        verbose_name=_("entered by"),
        help_text=_("The school staff member who entered a paper form or import."),
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.PORTAL
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("given at"), default=timezone.now, editable=False)

    objects = ConsentEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["pupil", "purpose", "created_at"], name="consent_pupil_purpose"),
            models.Index(fields=["staff", "purpose", "created_at"], name="consent_staff_purpose"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(pupil__isnull=False, staff__isnull=True)
                | Q(pupil__isnull=True, staff__isnull=False),
                name="consent_event_one_subject",
            ),
            models.CheckConstraint(
                condition=~Q(channel="paper") | ~Q(note=""),
                name="consent_event_paper_has_note",
            ),
        ]

    def __str__(self):
        return f"{self.subject} – {self.purpose}: {'ja' if self.choice else 'nee'}"

    @property
    def subject(self):
        return self.pupil if self.pupil_id else self.staff


class ActivityRequestQuerySet(models.QuerySet):
    def for_user(self, user):
        """Requests of `user`'s schools, and those asked of a pupil `user` answers for."""
        return self.filter(pk__in=self.model.objects.filter(access.activity_request_filter(user)))

    def open_on(self, day: date):
        return self.filter(deadline__gte=day)


class ActivityRequest(models.Model):
    """Consent for one event (a musical, the Avondvierdaagse, a trip), asked per pupil."""

    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="activity_requests",
        verbose_name=_("school"),
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("explanation"))
    deadline = models.DateField(
        _("answer by"), help_text=_("After this day, no answer counts as no.")
    )
    groups = models.ManyToManyField(
        ClassGroup, related_name="activity_requests", blank=True, verbose_name=_("groups")
    )
    pupils = models.ManyToManyField(
        Pupil, related_name="activity_requests", blank=True, verbose_name=_("pupils")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("created by"),
    )

    objects = ActivityRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity request")
        verbose_name_plural = _("activity requests")
        ordering = ["-deadline", "title"]

    def __str__(self):
        return self.title

    def asked_pupils(self):
        """The pupils asked: those named and those in the chosen groups."""
        return Pupil.objects.filter(
            Q(pk__in=self.pupils.values("pk")) | Q(group__in=self.groups.values("pk")),
            school=self.school_id,
        )


class ActivityAnswerQuerySet(AppendOnlyQuerySet):
    def for_user(self, user):
        """Answers about pupils `user` may see, on requests `user` may see."""
        return self.filter(
            request__in=ActivityRequest.objects.for_user(user),
            pupil__in=access.visible_pupils(user),
        )


class ActivityAnswer(AppendOnlyModel):
    """One answer to an activity request for one pupil: append-only like a consent event."""

    request = models.ForeignKey(
        ActivityRequest, on_delete=models.PROTECT, related_name="answers", verbose_name=_("request")
    )
    pupil = models.ForeignKey(
        Pupil, on_delete=models.PROTECT, related_name="activity_answers", verbose_name=_("pupil")
    )
    choice = models.BooleanField(_("consent given"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="activity_answers",
        null=True,
        blank=True,
        verbose_name=_("given by"),
    )
    capacity = models.CharField(_("capacity"), max_length=10, choices=Capacity.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="activity_entries",
        null=True,
        blank=True,
        verbose_name=_("entered by"),
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.PORTAL
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("given at"), default=timezone.now, editable=False)

    objects = ActivityAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity answer")
        verbose_name_plural = _("activity answers")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["request", "pupil", "created_at"], name="consent_activity_pupil"),
            models.Index(fields=["pupil", "created_at"], name="consent_activity_by_pupil"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel="paper") | ~Q(note=""),
                name="activity_answer_paper_has_note",
            ),
        ]

    def __str__(self):
        return f"{self.pupil} – {self.request}: {'ja' if self.choice else 'nee'}"


class TakedownTaskQuerySet(models.QuerySet):
    def for_user(self, user):
        """Tasks of the schools `user` directs or governs."""
        return self.filter(access.managed_school_filter(user))

    def open(self):
        return self.filter(done_at__isnull=True)


class TakedownTask(models.Model):
    """After a withdrawal for a public channel: take existing publications down (DOMAIN 23)."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="takedown_tasks", verbose_name=_("school")
    )
    pupil = models.ForeignKey(
        Pupil,
        on_delete=models.PROTECT,
        related_name="takedown_tasks",
        null=True,
        blank=True,
        verbose_name=_("pupil"),
    )
    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        related_name="takedown_tasks",
        null=True,
        blank=True,
        verbose_name=_("staff member"),
    )
    purpose = models.ForeignKey(
        Purpose, on_delete=models.PROTECT, related_name="takedown_tasks", verbose_name=_("purpose")
    )
    event = models.OneToOneField(
        ConsentEvent,
        on_delete=models.CASCADE,
        related_name="takedown_task",
        verbose_name=_("withdrawal"),
    )
    what = models.TextField(_("what to take down"), blank=True)
    where = models.TextField(_("where"), blank=True)
    due_on = models.DateField(_("take down by"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("done by"),
    )

    objects = TakedownTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("takedown task")
        verbose_name_plural = _("takedown tasks")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pupil__isnull=False, staff__isnull=True)
                | Q(pupil__isnull=True, staff__isnull=False),
                name="takedown_task_one_subject",
            ),
        ]

    def __str__(self):
        return f"{self.purpose} – {self.pupil or self.staff}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class DeletionLogQuerySet(models.QuerySet):
    def for_user(self, user):
        """Deletions in the stichtingen whose schools `user` directs or governs."""
        return self.filter(access.policy_filter(user))


class DeletionLog(models.Model):
    """What retention deleted, when and under which rule; never whose (DOMAIN 51)."""

    class Rule(models.TextChoices):
        PUPIL_LEFT = "pupil_left", _("pupil left longer ago than the retention period")
        STAFF_LEFT = "staff_left", _("staff member left longer ago than the retention period")

    stichting = models.ForeignKey(
        Stichting, on_delete=models.PROTECT, related_name="+", verbose_name=_("stichting")
    )
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    record = models.CharField(_("records"), max_length=50)
    count = models.PositiveIntegerField(_("number deleted"))
    deleted_at = models.DateTimeField(_("deleted at"), default=timezone.now, editable=False)

    objects = DeletionLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("deletion log entry")
        verbose_name_plural = _("deletion log")
        ordering = ["-deleted_at"]

    def __str__(self):
        return f"{self.deleted_at:%Y-%m-%d} {self.record}: {self.count} ({self.rule})"
