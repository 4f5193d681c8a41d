import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from patients.models.patient import Patient


class ConsentUse(models.TextChoices):
    CLINICAL = "clinical", "Clinical record"
    TEACHING = "teaching", "Teaching"
    PUBLICATION = "publication", "Publication"


class PhotoConsentQuerySet(models.QuerySet):
    def in_force(self, use: str, *, on: dt.date | None = None) -> "PhotoConsentQuerySet":
        """Consents for `use` given by the day `on` (today by default) and not withdrawn."""
        day = on or timezone.localdate()
        return self.filter(use=use, given_on__lte=day, withdrawn_on__isnull=True)


class PhotoConsent(models.Model):
    """Consent to photographs for one use. A withdrawal is recorded on the row, never erased;
    consent given again later is a new row."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="photo_consents")
    use = models.CharField(max_length=20, choices=ConsentUse.choices)
    given_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)
    notes = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = PhotoConsentQuerySet.as_manager()

    class Meta:
        ordering = ["use", "-given_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "use"],
                condition=Q(withdrawn_on__isnull=True),
                name="photoconsent_one_current_per_use",
                violation_error_message="This patient already has consent in force for this use.",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="photoconsent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        state = f"withdrawn {self.withdrawn_on}" if self.withdrawn_on else "in force"
        return f"{self.get_use_display()} consent from {self.given_on} ({state})"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_on is None
