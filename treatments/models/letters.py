"""Letters about a patient's progress, to the referrer or GP."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from clinic.models import Attributed
from patients.models import Patient


class ReferralLetter(Attributed):
    """A letter to the referrer or GP about the patient's progress: prefilled from the record,
    edited by the clinician, saved with its history, printed from its own page."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="referral_letters")
    recipient = models.CharField(
        "To", max_length=200, help_text="Name of the referrer or GP, e.g. Dr J. Smith."
    )
    recipient_address = models.TextField("Address", blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Letter to {self.recipient} about {self.patient_id}"
