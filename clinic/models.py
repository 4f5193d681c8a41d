from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


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
        "patients.Patient",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    patient_mrn = models.CharField("MRN", max_length=20, blank=True)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=50, blank=True)
    object_label = models.CharField("Record", max_length=200, blank=True)
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
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


class ArchivableQuerySet(models.QuerySet):
    def current(self):
        """Records that count: not archived as entered in error."""
        return self.filter(archived_at__isnull=True)


class Archivable(models.Model):
    """A clinical record entered in error is archived with a reason, never deleted: it leaves the
    chart, scores and reports, and stays in the database and its history."""

    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    archive_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def archive(self, *, reason: str, by) -> None:
        if not reason.strip():
            raise ValidationError("Give a reason for archiving.")
        self.archived_at = timezone.now()
        self.archived_by = by
        self.archive_reason = reason.strip()
        fields = ["archived_at", "archived_by", "archive_reason"]
        if hasattr(self, "updated_by"):
            self.updated_by = by
            fields.append("updated_by")
        self.save(update_fields=fields)
