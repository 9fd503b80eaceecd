"""Tenancy and people: stichtingen, schools, councils, roles, pupils, guardians and staff.

Who may see what is decided in `schools/access.py`; the `for_user` queryset methods here
delegate to it so that views have one way to fetch.
"""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# A Dutch school year runs from 1 August to 31 July.
SCHOOL_YEAR_START_MONTH = 8


def school_year_of(day: date) -> str:
    """The school year `day` falls in, as "2026-2027"."""
    first = day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1
    return f"{first}-{first + 1}"


class UserManager(BaseUserManager):
    """Users are identified by their e-mail address; there is no separate username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # Logging in must not depend on how someone capitalises their address.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        indexes = [
            models.Index(fields=["last_name", "first_name", "email"], name="user_name_order")
        ]
        constraints = [
            # Login matches e-mail addresses case-insensitively, so uniqueness must too.
            models.UniqueConstraint(Lower("email"), name="unique_email_ignoring_case"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email


class StichtingQuerySet(models.QuerySet):
    def for_user(self, user, roles=None):
        """Stichtingen of the schools where `user` holds one of `roles` (any role when None)."""
        from schools import access

        return self.filter(schools__in=access.school_ids(user, roles)).distinct()


class Stichting(models.Model):
    """The bevoegd gezag (competent authority) that runs one or more schools."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)

    objects = StichtingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stichting")
        verbose_name_plural = _("stichtingen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SchoolQuerySet(models.QuerySet):
    def for_user(self, user, roles=None):
        """Schools where `user` holds one of `roles` (any role when None)."""
        from schools import access

        return self.filter(pk__in=access.school_ids(user, roles))

    def public(self):
        """Schools as anyone may see them, without logging in: a name is public information."""
        return self.all()


class School(models.Model):
    class Sector(models.TextChoices):
        PO = "po", _("Primary education (PO)")
        VO = "vo", _("Secondary education (VO)")
        SO = "so", _("Special education ((V)SO)")

    stichting = models.ForeignKey(
        Stichting, on_delete=models.PROTECT, related_name="schools", verbose_name=_("stichting")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    brin = models.CharField(
        _("BRIN number"),
        max_length=6,
        unique=True,
        validators=[
            RegexValidator(r"^\d{2}[A-Z]{2}(\d{2})?$", _("A BRIN is like 12AB or 12AB00."))
        ],
    )
    sector = models.CharField(_("sector"), max_length=2, choices=Sector.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)

    objects = SchoolQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("schools:school_detail", args=[self.slug])


class Role(models.TextChoices):
    """What a membership lets someone do. Parents and pupils are not roles: see Guardian, Pupil."""

    BOARD = "board", _("Board member (CvB)")
    DIRECTOR = "director", _("Director")
    STAFF = "staff", _("Staff member / teacher")
    CONFIDANT = "confidant", _("Confidential counsellor")
    ANTI_BULLYING = "anti_bullying", _("Anti-bullying coordinator")


class Membership(models.Model):
    """A role for a user at one school, or at every school of a stichting when `school` is empty."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    stichting = models.ForeignKey(
        Stichting, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("stichting")
    )
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        related_name="memberships",
        null=True,
        blank=True,
        verbose_name=_("school"),
        help_text=_("Leave empty for every school of the stichting."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "stichting"],
                condition=Q(school__isnull=True),
                name="unique_stichting_wide_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=Q(school__isnull=False),
                name="unique_school_membership",
            ),
            # The CvB decides for the whole stichting, never for one school.
            models.CheckConstraint(
                condition=~Q(role="board") | Q(school__isnull=True),
                name="board_membership_is_stichting_wide",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.school or self.stichting}"

    def clean(self):
        if self.role == Role.BOARD and self.school_id:
            raise ValidationError({"school": _("A board member acts for the whole stichting.")})
        if self.school_id and self.stichting_id and self.school.stichting_id != self.stichting_id:
            raise ValidationError({"school": _("This school belongs to another stichting.")})


class ClassGroupQuerySet(models.QuerySet):
    def for_user(self, user):
        """Groups whose pupil list `user` may see."""
        from schools import access

        return self.filter(pk__in=access.group_ids(user))


class ClassGroup(models.Model):
    """A group (PO) or class (VO) in one school year."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="groups", verbose_name=_("school")
    )
    name = models.CharField(_("name"), max_length=50)
    school_year = models.CharField(
        _("school year"),
        max_length=9,
        validators=[RegexValidator(r"^\d{4}-\d{4}$", _("Write a school year as 2026-2027."))],
    )

    objects = ClassGroupQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["school_year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "name"], name="unique_group_per_year"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.school_year})"

    def get_absolute_url(self):
        return reverse("schools:group_detail", args=[self.pk])


class PupilQuerySet(models.QuerySet):
    def for_user(self, user):
        """Pupils `user` may see: their school's, their group's, their children or themselves."""
        from schools import access

        return self.filter(access.pupil_filter(user))

    def enrolled_on(self, day: date):
        return self.filter(
            Q(start_date__lte=day), Q(leave_date__isnull=True) | Q(leave_date__gt=day)
        )


class Pupil(models.Model):
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="pupils", verbose_name=_("school")
    )
    # The leerlingnummer of the pupil administration: what an import matches on. Pupils added
    # by hand before the first import have none.
    number = models.CharField(_("pupil number"), max_length=20, blank=True)
    group = models.ForeignKey(
        ClassGroup,
        on_delete=models.SET_NULL,
        related_name="pupils",
        null=True,
        blank=True,
        verbose_name=_("group"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=150)
    birth_date = models.DateField(_("date of birth"))
    start_date = models.DateField(_("start date"))
    leave_date = models.DateField(_("leave date"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="pupil",
        null=True,
        blank=True,
        verbose_name=_("own account"),
        help_text=_("The pupil's own login, used from the age of 16."),
    )

    objects = PupilQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pupil")
        verbose_name_plural = _("pupils")
        ordering = ["last_name", "first_name"]
        # The admin's list pages in this order (with the pk as tie-breaker), at any size.
        indexes = [models.Index(fields=["last_name", "first_name", "id"], name="pupil_name_order")]
        constraints = [
            # A re-import updates the pupil with this number; it must never find two.
            models.UniqueConstraint(
                fields=["school", "number"],
                condition=~Q(number=""),
                name="unique_pupil_number_per_school",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self):
        if self.group_id and self.school_id and self.group.school_id != self.school_id:
            raise ValidationError({"group": _("This group belongs to another school.")})
        if self.leave_date and self.start_date and self.leave_date < self.start_date:
            raise ValidationError({"leave_date": _("A pupil cannot leave before starting.")})
        if self.birth_date and self.start_date and self.birth_date > self.start_date:
            raise ValidationError({"birth_date": _("The date of birth lies after the start date.")})


class Guardian(models.Model):
    """A parent or guardian of a pupil; only those with gezag (custody) give consent."""

    class Relation(models.TextChoices):
        PARENT = "parent", _("Parent")
        GUARDIAN = "guardian", _("Guardian (voogd)")
        CARER = "carer", _("Carer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guardianships",
        verbose_name=_("user"),
    )
    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, related_name="guardians", verbose_name=_("pupil")
    )
    relation = models.CharField(
        _("relation"), max_length=10, choices=Relation.choices, default=Relation.PARENT
    )
    has_gezag = models.BooleanField(
        _("has parental authority (gezag)"),
        help_text=_(
            "Only a legal representative with gezag can give consent for a pupil under 16."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        constraints = [
            models.UniqueConstraint(fields=["user", "pupil"], name="unique_guardian_per_pupil")
        ]

    def __str__(self):
        return f"{self.user} – {self.pupil}"


class StaffQuerySet(models.QuerySet):
    def for_user(self, user):
        """Staff records `user` may see: their own, and those of the schools they manage."""
        from schools import access

        return self.filter(access.staff_filter(user))


class Staff(models.Model):
    """Someone who works at a school; teachers are linked to the groups they teach."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_positions",
        verbose_name=_("user"),
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="staff", verbose_name=_("school")
    )
    function = models.CharField(_("function"), max_length=100)
    groups = models.ManyToManyField(
        ClassGroup, related_name="teachers", blank=True, verbose_name=_("groups")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    objects = StaffQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[groups])

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="unique_staff_per_school")
        ]

    def __str__(self):
        return f"{self.user} – {self.function} ({self.school})"


class CouncilQuerySet(models.QuerySet):
    def for_user(self, user):
        """Councils `user` sits on, and those of the schools `user` directs or governs."""
        from schools import access

        return self.filter(access.council_filter(user))


class Council(models.Model):
    """A participation council: an MR for one school or a GMR for a whole stichting (WMS)."""

    class Kind(models.TextChoices):
        MR = "mr", _("Participation council (MR)")
        GMR = "gmr", _("Joint participation council (GMR)")

    class Majority(models.TextChoices):
        VOTES_CAST = "votes_cast", _("more votes for than against")
        HALF_PRESENT = "half_present", _("more than half of the members present")
        TWO_THIRDS = "two_thirds", _("two thirds of the members present")

    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    stichting = models.ForeignKey(
        Stichting, on_delete=models.CASCADE, related_name="councils", verbose_name=_("stichting")
    )
    # From the council's own reglement (WMS leaves quorum, majority and term to it).
    quorum = models.PositiveSmallIntegerField(
        _("quorum per section"),
        null=True,
        blank=True,
        help_text=_("Members of a section who must be present; empty: more than half of them."),
    )
    majority = models.CharField(
        _("majority rule"), max_length=12, choices=Majority.choices, default=Majority.VOTES_CAST
    )
    term_days = models.PositiveSmallIntegerField(
        _("response term (days)"), default=42, help_text=_("From the reglement; often six weeks.")
    )
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        related_name="councils",
        null=True,
        blank=True,
        verbose_name=_("school"),
    )
    name = models.CharField(_("name"), max_length=200)

    objects = CouncilQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["name"]
        constraints = [
            # An MR belongs to one school; a GMR to the stichting as a whole.
            models.CheckConstraint(
                condition=Q(kind="mr", school__isnull=False) | Q(kind="gmr", school__isnull=True),
                name="mr_has_school_gmr_has_none",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == self.Kind.MR and not self.school_id:
            raise ValidationError({"school": _("An MR belongs to one school.")})
        if self.kind == self.Kind.GMR and self.school_id:
            raise ValidationError({"school": _("A GMR represents all schools of the stichting.")})
        if self.school_id and self.stichting_id and self.school.stichting_id != self.stichting_id:
            raise ValidationError({"school": _("This school belongs to another stichting.")})


class CouncilMember(models.Model):
    class Geleding(models.TextChoices):
        PARENTS = "parents", _("Parents")
        STAFF = "staff", _("Staff")
        PUPILS = "pupils", _("Pupils")

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="members", verbose_name=_("council")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="council_seats",
        verbose_name=_("user"),
    )
    geleding = models.CharField(_("section (geleding)"), max_length=10, choices=Geleding.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="unique_council_member")
        ]

    def __str__(self):
        return f"{self.user} – {self.council} ({self.get_geleding_display()})"


class Notice(models.Model):
    """An e-mail notice that was sent, keyed so that a job run twice sends nothing twice."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"


class SignInEventQuerySet(models.QuerySet):
    def for_user(self, user, school=None):
        """Sign-ins of the staff accounts at the schools (or `school`) `user` directs or governs."""
        from schools import access

        return self.filter(access.sign_in_event_filter(user, school))


class SignInEvent(models.Model):
    """One attempt to sign in: who, when, from which address and how it went (IBP SM.04)."""

    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded", _("signed in")
        FAILED = "failed", _("wrong e-mail address or password")
        LOCKED_OUT = "locked_out", _("refused: too many failed attempts")
        CODE_SUCCEEDED = "code_succeeded", _("two-factor code accepted")
        CODE_FAILED = "code_failed", _("two-factor code refused")

    # Kept when the account is deleted: the log outlives it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sign_in_events",
        verbose_name=_("user"),
    )
    email = models.CharField(_("e-mail address as entered"), max_length=254, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    occurred_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    objects = SignInEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")
        ordering = ["-occurred_at", "-pk"]

    def __str__(self):
        return f"{self.email} {self.get_outcome_display()} {self.occurred_at:%Y-%m-%d %H:%M}"
