from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class ArchivableQuerySet(models.QuerySet):
    def current(self):
        """Records that count: not archived as entered in error."""
        return self.filter(archived_at__isnull=True)


class Attributed(models.Model):
    """When a record was made and last changed, and by whom; the full trail is its history."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True


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
