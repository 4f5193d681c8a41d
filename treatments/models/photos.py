"""Clinical photographs: files in private storage, served only by permission-checked views."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from clinic.models import Archivable, ArchivableQuerySet
from patients.models import FacialRegion, Patient
from treatments.models.session import TreatmentSession


def photo_storage():
    from django.core.files.storage import storages

    return storages["clinical_photos"]


class PhotoView(models.TextChoices):
    FRONTAL = "frontal", "Frontal"
    LEFT_OBLIQUE = "left_oblique", "Left oblique (45°)"
    RIGHT_OBLIQUE = "right_oblique", "Right oblique (45°)"
    LEFT_LATERAL = "left_lateral", "Left lateral (90°)"
    RIGHT_LATERAL = "right_lateral", "Right lateral (90°)"
    CLOSE_UP = "close_up", "Close-up"


class Lighting(models.TextChoices):
    DIFFUSE = "diffuse", "Diffuse / cross-polarised"
    SIDE_LIT = "side_lit", "Side-lit (tangential)"


_VIEW_LABELS: dict[str, str] = {value: str(label) for value, label in PhotoView.choices}
_REGION_LABELS: dict[str, str] = {value: str(label) for value, label in FacialRegion.choices}
LIGHTING_LABELS: dict[str, str] = {value: str(label) for value, label in Lighting.choices}


def photo_view_label(view: str, close_up_region: str) -> str:
    """ "Frontal", or "Close-up: left cheek". Plain dict lookups: get_FOO_display() rebuilds the
    choices on every call, and a chart or timeline labels dozens of photos."""
    label = _VIEW_LABELS.get(view, view)
    if view == PhotoView.CLOSE_UP and close_up_region:
        label += f": {_REGION_LABELS.get(close_up_region, close_up_region).lower()}"
    return label


class ClinicalPhotoQuerySet(ArchivableQuerySet):
    pass


class ClinicalPhoto(Archivable):
    """A standardised clinical photograph. Files live in private storage under generated names and
    are only ever served by permission-checked views."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="photos")
    taken_on = models.DateField()
    view = models.CharField(max_length=20, choices=PhotoView.choices)
    close_up_region = models.CharField(
        max_length=20, choices=FacialRegion.choices, blank=True, help_text="For close-ups."
    )
    lighting = models.CharField(max_length=20, choices=Lighting.choices, default=Lighting.DIFFUSE)
    session = models.ForeignKey(
        TreatmentSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="photos",
    )
    assessment = models.ForeignKey(
        "patients.ScarAssessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="photos",
    )
    image = models.FileField(storage=photo_storage, max_length=200)
    display = models.FileField(storage=photo_storage, max_length=200)
    thumbnail = models.FileField(storage=photo_storage, max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file_size = models.PositiveIntegerField(help_text="Bytes of the stored full-size image.")
    sha256 = models.CharField("SHA-256 of the upload", max_length=64, db_index=True)
    captured_at = models.DateTimeField(null=True, blank=True, help_text="From the camera.")
    notes = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = ClinicalPhotoQuerySet.as_manager()

    class Meta:
        ordering = ["view", "lighting", "taken_on", "pk"]
        permissions = [
            (
                "export_clinicalphoto",
                "Can export a photo for teaching or publication (with consent)",
            )
        ]
        indexes = [
            models.Index(fields=["patient", "view", "taken_on"], name="photo_patient_view_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(view="close_up") | ~Q(close_up_region=""),
                name="photo_close_up_has_region",
                violation_error_message="A close-up needs its region.",
            ),
            models.CheckConstraint(
                condition=Q(width__gt=0, height__gt=0), name="photo_has_dimensions"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.view_label} photo of {self.patient_id} on {self.taken_on}"

    @property
    def view_label(self) -> str:
        return photo_view_label(self.view, self.close_up_region)

    @property
    def series_key(self) -> tuple[str, str, str]:
        """Photos are comparable only within the same view, region and lighting."""
        return (self.view, self.close_up_region, self.lighting)
