import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clinic.users import users_with_perm
from patients.models import Patient
from scheduling import clock, rules
from scheduling.clock import day_bounds, local


class Room(models.Model):
    name = models.CharField(max_length=100, unique=True)
    active = models.BooleanField(
        default=True, help_text="Inactive rooms keep their past bookings but take no new ones."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Kind(models.TextChoices):
    CONSULTATION = "consultation", "Consultation"
    SCAR_ASSESSMENT = "scar_assessment", "Scar assessment"
    CROSS = "cross", "CROSS"
    LASER = "laser", "Laser"
    PUNCH = "punch", "Punch"
    SUBCISION = "subcision", "Subcision"
    FILLER = "filler", "Filler"
    PEEL = "peel", "Peel"
    FOLLOW_UP = "follow_up", "Follow-up"
    PHOTO_ONLY = "photo_only", "Photos only"


AppointmentStatus = models.TextChoices(
    "AppointmentStatus", [(s.name, (s.value, rules.STATUS_LABELS[s])) for s in rules.Status]
)
_KIND_LABELS = {value: str(label) for value, label in Kind.choices}
_STATUS_LABELS = {value: str(label) for value, label in AppointmentStatus.choices}
ACTIVE_STATUSES = sorted(s.value for s in rules.ACTIVE_STATUSES)
INACTIVE_STATUSES = sorted(s.value for s in set(rules.Status) - rules.ACTIVE_STATUSES)


# What calendar pages and lists show of a visit (see AppointmentQuerySet.for_grid).
GRID_FIELDS = [
    *("status", "starts_at", "ends_at", "kind", "cancellation_reason"),
    *("patient", "patient__first_name", "patient__last_name"),
    *("dermatologist", "dermatologist__first_name", "dermatologist__last_name"),
    *("dermatologist__username", "room", "room__name"),
]


def starts_within(start: dt.datetime, end: dt.datetime) -> Q:
    """Appointments starting in [start, end)."""
    return Q(starts_at__gte=start, starts_at__lt=end)


class AppointmentQuerySet(models.QuerySet):
    def active(self) -> "AppointmentQuerySet":
        """Appointments that hold their slot: not cancelled, not a no-show."""
        return self.filter(status__in=ACTIVE_STATUSES)

    def on_day(self, day: dt.date) -> "AppointmentQuerySet":
        """Starting on `day` in the clinic's TIME_ZONE (a 23- or 25-hour day when clocks change)."""
        return self.filter(starts_within(*day_bounds(day)))

    def between(self, start: dt.datetime, end: dt.datetime) -> "AppointmentQuerySet":
        return self.filter(starts_within(start, end))

    def overlapping(self, start: dt.datetime, end: dt.datetime) -> "AppointmentQuerySet":
        """Sharing any instant with [start, end): touching end to start is not an overlap."""
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def for_calendar(self) -> "AppointmentQuerySet":
        return self.select_related("patient", "dermatologist", "room")

    def for_grid(self) -> "AppointmentQuerySet":
        """for_calendar(), reading only the columns calendar pages and lists show: a busy day
        has hundreds of visits, and whole patient rows carry addresses and clinical history."""
        return self.for_calendar().only(*GRID_FIELDS)


class VisitDisplay:
    """How a visit reads on a page (labels, local times, what may be done now), shared by the
    Appointment model and the calendar's plain-row Visit so the two never disagree."""

    __slots__ = ()

    kind: str
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime

    # Labels by plain dict lookups: get_FOO_display() rebuilds a dict of the choices on every call,
    # and a busy day's calendar asks hundreds of times.
    @property
    def kind_label(self) -> str:
        return _KIND_LABELS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return _STATUS_LABELS.get(self.status, self.status)

    @property
    def is_active(self) -> bool:
        return rules.is_active(self.status)

    @property
    def local_starts_at(self) -> dt.datetime:
        return local(self.starts_at)

    @property
    def local_ends_at(self) -> dt.datetime:
        return local(self.ends_at)

    @property
    def time_range(self) -> str:
        return f"{self.local_starts_at:%H:%M}-{self.local_ends_at:%H:%M}"

    @property
    def available_actions(self) -> frozenset[rules.Action]:
        """What may be done to this visit now (scheduling.rules.available_actions)."""
        return rules.available_actions(
            self.status,
            day=self.local_starts_at.date(),
            today=clock.today(),
            starts_at=self.starts_at,
            now=timezone.now(),
        )


class Appointment(VisitDisplay, models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments")
    dermatologist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    starts_at = models.DateTimeField("Starts at")
    ends_at = models.DateTimeField("Ends at")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(
        max_length=20, choices=AppointmentStatus.choices, default=rules.Status.BOOKED.value
    )
    cancellation_reason = models.CharField(max_length=300, blank=True)
    front_desk_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="For the desk: e.g. needs an interpreter, parking. No clinical details here.",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    booked_at = models.DateTimeField(default=timezone.now, editable=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        permissions = [
            ("cancel_appointment", "Can cancel an appointment"),
            ("check_in_appointment", "Can check a patient in or mark a no-show"),
            (
                "progress_own_appointment",
                "Can move own appointments to in treatment and completed",
            ),
            ("progress_any_appointment", "Can move any appointment to in treatment and completed"),
        ]
        indexes = [
            models.Index(fields=["starts_at"], name="appointment_starts_idx"),
            models.Index(fields=["dermatologist", "starts_at"], name="appointment_derm_starts_idx"),
            models.Index(fields=["patient", "starts_at"], name="appointment_patient_starts_idx"),
            models.Index(fields=["room", "starts_at"], name="appointment_room_starts_idx"),
        ]
        # The no-overlap guarantee on PostgreSQL is an exclusion constraint added by migration
        # 0002 (SQLite has none; the booking service's check inside the transaction holds there).
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="appointment_ends_after_start",
                violation_error_message="The appointment must end after it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(status=rules.Status.CANCELLED.value) | ~Q(cancellation_reason=""),
                name="appointment_cancelled_has_reason",
                violation_error_message="Give a reason for the cancellation.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in rules.Status]),
                name="appointment_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient.full_name}, {self.get_kind_display()}, {self.time_range}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The appointment must end after it starts."})

    @property
    def duration(self) -> dt.timedelta:
        return self.ends_at - self.starts_at

    @property
    def patient_short_name(self) -> str:
        """Initial and surname, for clash messages and feeds that leave the chart."""
        return f"{self.patient.first_name[:1]}. {self.patient.last_name}"

    def allowed_moves(self) -> frozenset[str]:
        return frozenset(s.value for s in rules.TRANSITIONS[rules.Status(self.status)])

    # State changes of this one row. The services lock the row, call these and save.

    def check_in(self, *, at: dt.datetime) -> None:
        rules.check_move(self.status, rules.Status.CHECKED_IN)
        self.status = rules.Status.CHECKED_IN.value
        self.checked_in_at = at

    def cancel(self, *, reason: str) -> None:
        rules.check_move(self.status, rules.Status.CANCELLED)
        self.status = rules.Status.CANCELLED.value
        self.cancellation_reason = reason.strip()

    def mark_no_show(self) -> None:
        rules.check_move(self.status, rules.Status.NO_SHOW)
        self.status = rules.Status.NO_SHOW.value

    def progress(self, *, to: str) -> None:
        if rules.Status(to) not in rules.CLINICAL_PROGRESS:
            raise rules.TransitionNotAllowed("Only in treatment or completed can be set here.")
        rules.check_move(self.status, to)
        self.status = rules.Status(to).value


def dermatologists() -> QuerySet[AbstractBaseUser]:
    """Active users who take appointments: those whose role lets them progress their own visits.

    By permission, never by group name; a superuser is not a column on the calendar unless given
    the permission.
    """
    return users_with_perm("scheduling.progress_own_appointment")


class CalendarFeed(models.Model):
    """A dermatologist's private iCalendar address. Only a hash of its secret is stored: the
    address is shown once, when made; a reset makes a new one and the old one stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user.get_username()}"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def reset_for(cls, user) -> str:
        """Makes (or replaces) the user's feed; returns the new secret, shown once."""
        token = secrets.token_urlsafe(32)
        cls.objects.update_or_create(
            user=user, defaults={"token_hash": cls.hash(token), "created_at": timezone.now()}
        )
        return token


class CalendarChange(models.Model):
    """A row for each write that can change what a calendar page shows, written by the database
    itself (triggers, scheduling migration 0004) so that no path can miss one: the day (UTC) of
    each appointment added, changed or removed, before and after; none for a patient, user or
    room renamed, which can change any day. Only ever added to: a page reads how many rows its
    days have and the highest id (visits.calendar_version), which moves with every committed
    write and never comes back to an earlier value."""

    id = models.BigAutoField(primary_key=True)
    day = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["day", "id"], name="calendar_change_day_idx")]

    def __str__(self) -> str:
        return f"Calendar change {self.pk} ({self.day or 'names'})"
