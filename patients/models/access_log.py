from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from patients.models.patient import Patient

# ----------------------------------------------------------------------------------------------
# The access trail
# ----------------------------------------------------------------------------------------------


class AccessLog(models.Model):
    """One row each time someone opens, downloads or exports a patient's record.

    Rows are never edited. The username is copied so the trail survives a deleted account.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        DOWNLOAD = "download", "Downloaded"
        EXPORT = "export", "Exported"
        PRINT = "print", "Printed"
        DENIED = "denied", "Refused"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=20, choices=Action.choices)
    patient = models.ForeignKey(
        Patient,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        # accesslog_patient_at_idx starts with the patient: a second index on it alone only
        # cost every page view's INSERT one more index to write.
        db_index=False,
    )
    patient_mrn = models.CharField("MRN", max_length=20, blank=True)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=50, blank=True)
    object_label = models.CharField("Record", max_length=200, blank=True)
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        # Created by the clinic app before the log moved here; the table keeps its name.
        db_table = "clinic_accesslog"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["patient", "-at"], name="accesslog_patient_at_idx")]

    def __str__(self) -> str:
        return (
            f"{self.username} {self.get_action_display().lower()} {self.patient_mrn} at {self.at}"
        )

    def save(self, *args, **kwargs) -> None:
        # Append-only: a row is written once and never changed.
        if self.pk is not None:
            raise ValidationError("Access log rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Access log rows cannot be deleted.")
