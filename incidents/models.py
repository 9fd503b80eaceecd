"""Incidents: reports of a broken social-media protocol, their handling and their retention.

Every status change and every write goes through `incidents/workflow.py`; the rules it applies
(routing, the phone ladder, schorsing limits, the duties checklist, retention dates) are pure
functions in `incidents/rules.py`. Who may see an incident is decided in `incidents/access.py`,
which `Incident.objects.for_user` hands the question to.

No `HistoricalRecords` here, on purpose: a history table would keep every description and
name after the retention job has anonymised or deleted the case (DOMAIN D); the chronology
(`Entry`) and the `ReadLog` are the audit trail of a case.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from protocols.models import Section
from schools.files import private_storage  # migration 0001 names it from here
from schools.models import Pupil, School, Staff, Stichting


def url_or_home(name: str, *args) -> str:
    """`reverse(name, args)`, or "/" while the page does not exist (yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return "/"


class Category(models.Model):
    """A kind of incident with the definition shown to the reporter; each stichting has its own."""

    stichting = models.ForeignKey(
        Stichting,
        on_delete=models.CASCADE,
        related_name="incident_categories",
        verbose_name=_("stichting"),
    )
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=100)
    definition = models.TextField(_("definition"), help_text=_("Shown to the person reporting."))
    is_image_abuse = models.BooleanField(
        _("image abuse"),
        default=False,
        help_text=_("Intimate or compromising images: the portal stores no images for these."),
    )
    is_sexual_misconduct = models.BooleanField(
        _("possible sexual misconduct"),
        default=False,
        help_text=_("By a staff member, this goes straight to the board (meldplicht)."),
    )
    is_phone_use = models.BooleanField(
        _("phone use"), default=False, help_text=_("Measures follow the phone ladder.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("incident category")
        verbose_name_plural = _("incident categories")
        ordering = ["stichting", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["stichting", "code"], name="unique_category_code")
        ]

    def __str__(self):
        return self.name


class IncidentQuerySet(models.QuerySet):
    def for_user(self, user):
        """Incidents `user` may read: see `incidents.access.incident_filter`."""
        from incidents import access

        return self.filter(access.incident_filter(user))

    def open(self):
        return self.exclude(status=Incident.Status.CLOSED)


class Incident(models.Model):
    """One report and its case file. `status`, routing and closing are set by the workflow."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_HANDLING = "in_handling", _("In handling")
        WAITING_FOR_CHECKLIST = "waiting_for_checklist", _("Waiting for the checklist")
        CLOSED = "closed", _("Closed")

    class ReporterKind(models.TextChoices):
        STAFF = "staff", _("Staff member")
        PARENT = "parent", _("Parent")
        PUPIL = "pupil", _("Pupil")
        PUBLIC = "public", _("Anonymous (public report page)")

    class Place(models.TextChoices):
        IN_SCHOOL = "in_school", _("In school")
        SCHOOL_ACTIVITY = "school_activity", _("At a school activity")
        ONLINE = "online", _("Online")

    class Platform(models.TextChoices):
        WHATSAPP = "whatsapp", "WhatsApp"
        INSTAGRAM = "instagram", "Instagram"
        TIKTOK = "tiktok", "TikTok"
        SNAPCHAT = "snapchat", "Snapchat"
        YOUTUBE = "youtube", "YouTube"
        X = "x", "X"
        TELEGRAM = "telegram", "Telegram"
        EMAIL = "email", _("E-mail")
        OTHER = "other", _("Other")

    class Routing(models.TextChoices):
        DEFAULT = "default", _("Anti-bullying coordinator and directors")
        UNVERIFIED = "unverified", _("Unverified report: anti-bullying coordinator")
        CONFIDANT = "confidant", _("Confidential counsellor, as the reporter chose")
        BOARD = "board", _("Possible sexual misconduct by a staff member: straight to the board")
        MANUAL = "manual", _("Routed by hand")

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("school")
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_incidents",
        verbose_name=_("reported by"),
        editable=False,
    )
    reporter_kind = models.CharField(
        _("reported by a"), max_length=10, choices=ReporterKind.choices, editable=False
    )
    hide_reporter_name = models.BooleanField(_("hide my name from the handlers"), default=False)
    occurred_at = models.DateTimeField(_("when did it happen"))
    place = models.CharField(_("where"), max_length=20, choices=Place.choices)
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices, blank=True)
    platform_other = models.CharField(_("other platform"), max_length=100, blank=True)
    categories = models.ManyToManyField(
        Category, related_name="incidents", verbose_name=_("categories")
    )
    description = models.TextField(_("what happened"))
    # Image abuse: instead of the images, what was seen where and when.
    account_or_link = models.CharField(_("account or link"), max_length=500, blank=True)
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)
    rule_broken = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("rule of the protocol that was broken"),
    )
    status = models.CharField(
        _("status"), max_length=25, choices=Status.choices, default=Status.NEW, editable=False
    )
    routed_to = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="routed_incidents",
        blank=True,
        verbose_name=_("handled by"),
        editable=False,
    )
    routing_reason = models.CharField(
        _("routing"), max_length=15, choices=Routing.choices, blank=True, editable=False
    )
    to_board = models.BooleanField(_("routed to the board"), default=False, editable=False)
    unverified = models.BooleanField(_("unverified"), default=False, editable=False)
    contact_address = models.EmailField(_("contact address (optional)"), blank=True)
    legal_hold = models.BooleanField(_("legal hold"), default=False, editable=False)
    legal_hold_reason = models.TextField(_("reason for the legal hold"), blank=True, editable=False)
    legal_hold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("legal hold set by"),
        editable=False,
    )
    legal_hold_at = models.DateTimeField(
        _("legal hold set at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
        editable=False,
    )
    evaluation = models.TextField(_("closing evaluation"), blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["school", "status"])]

    def __str__(self):
        return _("Incident %(number)s") % {"number": self.pk}

    def get_absolute_url(self):
        return url_or_home("incidents:incident_detail", self.pk)

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class InvolvementQuerySet(models.QuerySet):
    def timeline_of(self, pupil: Pupil):
        """Every involvement of `pupil`, newest incident first, with what a timeline shows."""
        return (
            self.filter(pupil=pupil)
            .select_related("incident")
            .prefetch_related("incident__categories")
            .order_by("-incident__occurred_at", "pk")
        )


class Involvement(models.Model):
    """Someone involved in an incident, in one role."""

    class Role(models.TextChoices):
        VICTIM = "victim", _("Victim (slachtoffer)")
        SUSPECT = "suspect", _("Suspected perpetrator")
        WITNESS = "witness", _("Witness")
        REPORTER = "reporter", _("Reporter (melder)")

    class Kind(models.TextChoices):
        PUPIL = "pupil", _("Pupil")
        STAFF = "staff", _("Staff member")
        PARENT = "parent", _("Parent")
        OUTSIDER = "outsider", _("Outsider")
        ACCOUNT = "account", _("Unknown or fake account")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="involvements", verbose_name=_("incident")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    kind = models.CharField(_("who"), max_length=10, choices=Kind.choices)
    pupil = models.ForeignKey(
        Pupil,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incident_involvements",
        verbose_name=_("pupil"),
    )
    staff = models.ForeignKey(
        Staff,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incident_involvements",
        verbose_name=_("staff member"),
    )
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("For a parent, an outsider or an account: who, or which account."),
    )

    objects = InvolvementQuerySet.as_manager()

    class Meta:
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        ordering = ["incident", "pk"]

    def __str__(self):
        return f"{self.get_role_display()}: {self.get_kind_display()}"

    def clean(self):
        school_id = self.incident.school_id if self.incident_id else None
        if self.kind == self.Kind.PUPIL and not self.pupil_id:
            raise ValidationError({"pupil": _("Choose the pupil.")})
        if self.kind == self.Kind.STAFF and not self.staff_id:
            raise ValidationError({"staff": _("Choose the staff member.")})
        if self.kind != self.Kind.PUPIL and self.pupil_id:
            raise ValidationError({"pupil": _("Only a pupil is chosen from the pupils.")})
        if self.kind != self.Kind.STAFF and self.staff_id:
            raise ValidationError({"staff": _("Only a staff member is chosen from the staff.")})
        if self.pupil_id and school_id and self.pupil.school_id != school_id:
            raise ValidationError({"pupil": _("This pupil belongs to another school.")})
        if self.staff_id and school_id and self.staff.school_id != school_id:
            raise ValidationError({"staff": _("This staff member works at another school.")})


class Entry(models.Model):
    """One item of the chronology: a note or a conversation."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        PUPIL = "pupil", _("Conversation with the pupil")
        PARENTS = "parents", _("Conversation with the parents")
        MENTOR = "mentor", _("Conversation with the mentor")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="entries", verbose_name=_("incident")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    at = models.DateTimeField(_("when"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("chronology entry")
        verbose_name_plural = _("chronology")
        ordering = ["incident", "at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.at:%Y-%m-%d})"


class Task(models.Model):
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("incident")
    )
    title = models.CharField(_("task"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="incident_tasks",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["incident", models.F("due_on").asc(nulls_last=True), "pk"]

    def __str__(self):
        return self.title


class MeasureQuerySet(models.QuerySet):
    def phones_in_custody(self):
        return self.filter(kind=Measure.Kind.PHONE, returned_at__isnull=True)

    def phones_overdue(self, today):
        """Phones still in custody after the day they were to be returned."""
        return self.phones_in_custody().filter(ends_on__lt=today)


class Measure(models.Model):
    """A measure for a pupil, or the referral of a staff member to the board (DOMAIN 45)."""

    class Audience(models.TextChoices):
        PUPIL = "pupil", _("Pupil")
        STAFF = "staff", _("Staff member")

    class Kind(models.TextChoices):
        TALK = "talk", _("Conversation (gesprek)")
        PHONE = "phone", _("Phone taken into custody")
        NETWORK_EXCLUSION = "network_exclusion", _("Exclusion from the school network")
        WARNING = "warning", _("Warning")
        SUSPENSION = "suspension", _("Suspension (schorsing)")
        EXPULSION = "expulsion", _("Expulsion (verwijdering)")
        BOARD_REFERRAL = "board_referral", _("Referral to the board")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="measures", verbose_name=_("incident")
    )
    audience = models.CharField(_("for a"), max_length=10, choices=Audience.choices)
    kind = models.CharField(_("measure"), max_length=20, choices=Kind.choices)
    pupil = models.ForeignKey(
        Pupil,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incident_measures",
        verbose_name=_("pupil"),
    )
    staff = models.ForeignKey(
        Staff,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incident_measures",
        verbose_name=_("staff member"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    # Telefoon in bewaring (DOMAIN 44): no field for the phone's contents, on purpose.
    ladder_step = models.PositiveSmallIntegerField(
        _("step of the phone ladder"), null=True, blank=True, editable=False
    )
    returned_at = models.DateTimeField(_("phone returned at"), null=True, blank=True)
    returned_to = models.CharField(_("returned to"), max_length=200, blank=True)
    # Schorsing: the letter to the parents (DOMAIN 41).
    letter_reasons = models.TextField(_("reasons (for the letter)"), blank=True)
    letter_objection = models.TextField(_("how to object (for the letter)"), blank=True)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["incident", "starts_on", "pk"]

    def __str__(self):
        return self.get_kind_display()


class ExpulsionStep(models.Model):
    """A dated step of an expulsion (DOMAIN 42); one row per school approached, too."""

    class Step(models.TextChoices):
        TEACHERS_HEARD = "teachers_heard", _("Teachers heard")
        PARENTS_HEARD = "parents_heard", _("Parents heard")
        DECISION_SENT = "decision_sent", _("Written decision with reasons sent")
        INSPECTIE_INFORMED = "inspectie_informed", _("Inspectie informed")
        LEERPLICHT_INFORMED = "leerplicht_informed", _("School-attendance officer informed")
        SCHOOL_APPROACHED = "school_approached", _("Another school approached")
        OTHER_SCHOOL_ACCEPTS = "other_school_accepts", _("Another school accepts the pupil")
        OBJECTION_RECEIVED = "objection_received", _("Objection received")
        OBJECTION_DECIDED = "objection_decided", _("Decision on the objection")

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="expulsion_steps", verbose_name=_("measure")
    )
    step = models.CharField(_("step"), max_length=25, choices=Step.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note or minutes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
        editable=False,
    )

    class Meta:
        verbose_name = _("expulsion step")
        verbose_name_plural = _("expulsion steps")
        ordering = ["measure", "on", "pk"]

    def __str__(self):
        return f"{self.get_step_display()} ({self.on})"


class DutyCheck(models.Model):
    """One legal duty of an incident's checklist; whether it is required follows from the rules."""

    class Duty(models.TextChoices):
        PARENTS_INFORMED = "parents_informed", _("Parents informed")
        CONFIDENTIAL_INSPECTOR = "confidential_inspector", _("Vertrouwensinspecteur consulted")
        ACCUSED_INFORMED = "accused_informed", _("Person accused informed")
        POLICE_REPORT = "police_report", _("Police report (aangifte)")
        INSPECTIE = "inspectie", _("Inspectie notified")
        LEERPLICHT = "leerplicht", _("School-attendance officer (leerplicht) informed")
        VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
        PUPIL_FILE = "pupil_file", _("Note in the pupil file (leerlingendossier)")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="duties", verbose_name=_("incident")
    )
    duty = models.CharField(_("duty"), max_length=25, choices=Duty.choices)
    required = models.BooleanField(_("required"), default=False, editable=False)
    required_because = models.CharField(
        _("required because"), max_length=300, blank=True, editable=False
    )
    state = models.CharField(
        _("state"), max_length=15, choices=State.choices, default=State.OPEN, editable=False
    )
    done_on = models.DateField(_("done on"), null=True, blank=True, editable=False)
    reference = models.CharField(
        _("reference or outcome"), max_length=300, blank=True, editable=False
    )
    reason = models.TextField(_("why not applicable"), blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        editable=False,
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("legal duty")
        verbose_name_plural = _("legal duties")
        ordering = ["incident", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "duty"], name="one_check_per_duty")
        ]

    def __str__(self):
        return self.get_duty_display()


class Takedown(models.Model):
    """A request to take content down, and how it went (image abuse and other posts)."""

    class Route(models.TextChoices):
        PLATFORM = "platform", _("Report form of the platform")
        HELPWANTED = "helpwanted", "Helpwanted.nl"
        TAKE_IT_DOWN = "take_it_down", "Take It Down"
        POLICE = "police", _("Police")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        IN_PROGRESS = "in_progress", _("In progress")
        REMOVED = "removed", _("Removed")
        REFUSED = "refused", _("Refused")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="takedowns", verbose_name=_("incident")
    )
    platform = models.CharField(
        _("platform"), max_length=20, choices=Incident.Platform.choices, blank=True
    )
    route = models.CharField(_("route"), max_length=15, choices=Route.choices)
    reference = models.CharField(_("report reference"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.REQUESTED
    )
    requested_on = models.DateField(_("requested on"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )

    class Meta:
        verbose_name = _("takedown request")
        verbose_name_plural = _("takedown requests")
        ordering = ["incident", "requested_on", "pk"]

    def __str__(self):
        return f"{self.get_route_display()}: {self.get_status_display()}"


def _attachment_path(instance, filename):
    # A random name: an uploaded file's own name may hold a pupil's name.
    return f"incidents/{instance.incident_id}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


class Attachment(models.Model):
    """Evidence (a screenshot, a letter), never an intimate image; checked from its content."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("incident")
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=50, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), editable=False)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["incident", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class ReadLog(models.Model):
    """Who opened which incident when (Normenkader IBP SM.04). Append-only."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="reads", verbose_name=_("incident")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("read by"),
    )
    at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        verbose_name = _("read")
        verbose_name_plural = _("read log")
        ordering = ["incident", "-at", "-pk"]

    def __str__(self):
        return f"{self.user} – {self.at:%Y-%m-%d %H:%M}"


class DeletionLog(models.Model):
    """What the retention job deleted or anonymised, on which rule: counts only, no names."""

    class Action(models.TextChoices):
        ANONYMISED = "anonymised", _("Anonymised")
        DELETED = "deleted", _("Deleted")

    stichting = models.ForeignKey(
        Stichting, on_delete=models.PROTECT, related_name="+", verbose_name=_("stichting")
    )
    day = models.DateField(_("day"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=15, choices=Action.choices)
    what = models.CharField(_("what"), max_length=100)
    rule = models.CharField(_("rule"), max_length=300)
    count = models.PositiveIntegerField(_("count"))
    files = models.PositiveIntegerField(_("files removed"), default=0)

    class Meta:
        verbose_name = _("deletion log entry")
        verbose_name_plural = _("deletion log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.day}: {self.get_action_display()} {self.count} × {self.what}"


# DOMAIN 49: no law sets a period for incident files; the board sets and documents its own.
# These defaults follow the leerlingdossier (47: two years) for the person-level case file and
# keep the figures (counts without names) five years for the yearly analysis (39, 40).
DEFAULT_ANONYMISE_AFTER_MONTHS = 24
DEFAULT_DELETE_AFTER_MONTHS = 60
DEFAULT_RETENTION_REASON = (
    "Geen wettelijke termijn (AVG: niet langer dan nodig). Het dossier met namen blijft twee jaar "
    "na afsluiten bewaard, gelijk aan het leerlingdossier; daarna blijven alleen gegevens zonder "
    "namen over voor de jaarlijkse analyse, tot vijf jaar na afsluiten."
)


class RetentionPolicy(models.Model):
    """How long a stichting keeps closed incidents (DOMAIN 47-51), with the reason why."""

    stichting = models.OneToOneField(
        Stichting,
        on_delete=models.CASCADE,
        related_name="incident_retention",
        verbose_name=_("stichting"),
    )
    anonymise_after_months = models.PositiveSmallIntegerField(
        _("anonymise after (months after closing)"), default=DEFAULT_ANONYMISE_AFTER_MONTHS
    )
    delete_after_months = models.PositiveSmallIntegerField(
        _("delete after (months after closing)"), default=DEFAULT_DELETE_AFTER_MONTHS
    )
    reason = models.TextField(_("reason"), default=DEFAULT_RETENTION_REASON)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(delete_after_months__gte=models.F("anonymise_after_months")),
                name="delete_not_before_anonymise",
            )
        ]

    def __str__(self):
        return str(self.stichting)

    def clean(self):
        if not self.reason.strip():
            raise ValidationError({"reason": _("Give the reason for these periods.")})
        if self.delete_after_months < self.anonymise_after_months:
            raise ValidationError(
                {"delete_after_months": _("Deleting cannot come before anonymising.")}
            )
