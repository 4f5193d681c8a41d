"""The treatment session, and the safety warnings acknowledged before it was saved."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clinic.models import Archivable, ArchivableQuerySet, Attributed
from patients.models import FitzpatrickType, Patient
from treatments import safety
from treatments.modalities import Modality
from treatments.models.procedure_base import Procedure
from treatments.models.procedures import PROCEDURE_MODELS


class Anaesthesia(models.TextChoices):
    NONE = "none", "None"
    TOPICAL = "topical", "Topical"
    LOCAL_INFILTRATION = "local_infiltration", "Local infiltration"
    NERVE_BLOCK = "nerve_block", "Nerve block"


class TreatmentSessionQuerySet(ArchivableQuerySet):
    def with_procedures(self) -> "TreatmentSessionQuerySet":
        """One query per modality, however many sessions: for timelines and detail pages."""
        return self.select_related("clinician").prefetch_related(
            *(model.related_name() for model in PROCEDURE_MODELS), "adverse_events"
        )


class TreatmentSession(Archivable, Attributed):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="sessions")
    performed_at = models.DateTimeField("Date and time")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    appointment = models.ForeignKey(
        "scheduling.Appointment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="treatment_sessions",
        help_text="The visit this session took place in, if it was booked.",
    )
    consent_confirmed = models.BooleanField(
        "Treatment consent confirmed", default=False, help_text="Signed consent for today's work."
    )
    anaesthesia = models.CharField(
        max_length=20, choices=Anaesthesia.choices, default=Anaesthesia.TOPICAL
    )
    anaesthesia_agent = models.CharField(
        "Anaesthetic agent", max_length=200, blank=True, help_text="e.g. EMLA 45 min; lidocaine 1 %"
    )
    fitzpatrick_type = models.PositiveSmallIntegerField(
        "Fitzpatrick type at the time",
        choices=FitzpatrickType.choices,
        null=True,
        blank=True,
        editable=False,
    )
    photos_taken = models.BooleanField(default=False)
    antiviral_prophylaxis = models.BooleanField(
        "Antiviral prophylaxis given",
        default=False,
        help_text="e.g. valaciclovir from the day before, for a patient with cold sores having "
        "ablative laser or a medium or deep peel.",
    )
    aftercare_given = models.TextField(
        blank=True, help_text="Advice and products given, e.g. bland emollient, SPF 50, no picking."
    )
    notes = models.TextField(blank=True)
    next_session_due = models.DateField(
        null=True,
        blank=True,
        help_text="Leave blank to use the usual interval of today's procedures.",
    )

    history = HistoricalRecords()
    objects = TreatmentSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-performed_at", "-pk"]
        permissions = [("export_fhir", "Can export a patient's treatment record as FHIR")]
        indexes = [
            models.Index(fields=["patient", "-performed_at"], name="session_patient_at_idx"),
            # The admin's list, newest first, reads its page from here instead of sorting all.
            models.Index(fields=["-performed_at", "-id"], name="session_performed_idx"),
            # The outcomes report filtered by dermatologist and dates reads only their sessions.
            models.Index(fields=["clinician", "performed_at"], name="session_clinician_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_confirmed=True),
                name="session_consent_confirmed",
                violation_error_message="Confirm the patient's consent for today's treatment.",
            ),
            models.CheckConstraint(
                condition=Q(fitzpatrick_type__isnull=True)
                | Q(fitzpatrick_type__gte=1, fitzpatrick_type__lte=6),
                name="session_fitzpatrick_i_to_vi",
            ),
        ]

    def __str__(self) -> str:
        return f"Session for {self.patient.full_name} on {self.performed_at:%Y-%m-%d}"

    def clean(self) -> None:
        if self.performed_at and self.performed_at > timezone.now() + dt.timedelta(minutes=5):
            raise ValidationError({"performed_at": "A session cannot be logged in the future."})
        if self.appointment_id and self.appointment.patient_id != self.patient_id:
            raise ValidationError({"appointment": "That appointment is another patient's."})

    @property
    def performed_on(self) -> dt.date:
        return timezone.localtime(self.performed_at).date()

    @property
    def was_amended(self) -> bool:
        return (self.updated_at - self.created_at).total_seconds() > 1

    def procedures(self) -> list["Procedure"]:
        """All procedures of every modality, in the order they were logged (uses prefetches)."""
        # Prefetched rows are read from the cache directly: a related manager and a queryset
        # per modality cost more than the rows, for a chart listing dozens of sessions.
        prefetched = self.__dict__.get("_prefetched_objects_cache", {})
        found: list[Procedure] = []
        for model in PROCEDURE_MODELS:
            name = model.related_name()
            rows = prefetched.get(name)
            found.extend(rows if rows is not None else getattr(self, name).all())
        return sorted(found, key=lambda p: p.created_at)

    def modalities(self) -> list[Modality]:
        return list(dict.fromkeys(p.MODALITY for p in self.procedures()))


class SessionWarning(models.Model):
    """A safety warning shown before the session was saved, and who acknowledged it."""

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="acknowledged_warnings"
    )
    code = models.CharField(max_length=50)
    severity = models.CharField(
        max_length=10, choices=[(s.value, s.value) for s in safety.Severity]
    )
    message = models.TextField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "pk"]

    def __str__(self) -> str:
        return f"{self.code} acknowledged by {self.acknowledged_by}"
