"""The scar register: each of a patient's scars placed on a face diagram, numbered, followed
visit by visit (status with the date it was recorded) and linked to the CROSS or punch
procedures that treated it. Positions are normalised per view (treatments/facemap.py) and the
facial region is derived from the position when the scar is saved."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Max, Q
from simple_history.models import HistoricalRecords

from clinic.models import Archivable, ArchivableQuerySet, Attributed
from patients.models import FacialRegion, Patient
from treatments import facemap
from treatments.models.procedures import CrossProcedure, PunchProcedure

MAX_WIDTH_MM = 30


class ScarType(models.TextChoices):
    ICE_PICK = "ice_pick", "Ice pick"
    BOXCAR = "boxcar", "Boxcar"
    ROLLING = "rolling", "Rolling"
    HYPERTROPHIC = "hypertrophic", "Hypertrophic"
    KELOID = "keloid", "Keloid"


# The ECCA type each register type is counted as in the assessment grid (patients.scoring). A
# hypertrophic scar is counted as recent (under 2 years); the clinician edits the prefilled grid.
ECCA_TYPE = {
    ScarType.ICE_PICK: "ice_pick",
    ScarType.BOXCAR: "boxcar",
    ScarType.ROLLING: "rolling",
    ScarType.HYPERTROPHIC: "hypertrophic_recent",
    ScarType.KELOID: "keloid_old_hypertrophic",
}


class ScarDepth(models.TextChoices):
    SHALLOW = "shallow", "Shallow"
    MODERATE = "moderate", "Moderate"
    DEEP = "deep", "Deep"


class ScarStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    IMPROVED = "improved", "Improved"
    RESOLVED = "resolved", "Resolved"


class ScarQuerySet(ArchivableQuerySet):
    def of_patient(self, patient: Patient) -> "ScarQuerySet":
        return self.current().filter(patient=patient)

    def for_map(self) -> "ScarQuerySet":
        """What the diagram draws: each scar with its number of treatments, in one query."""
        return self.annotate(treatment_count=Count("treatments", distinct=True)).order_by("number")

    def next_number(self, patient: Patient) -> int:
        """Numbers are per patient and never reused, archived scars included."""
        top = self.filter(patient=patient).aggregate(top=Max("number"))["top"]
        return (top or 0) + 1


class Scar(Archivable, Attributed):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="scars")
    number = models.PositiveSmallIntegerField(editable=False)
    scar_type = models.CharField("Type", max_length=20, choices=ScarType.choices)
    width_mm = models.DecimalField(
        "Estimated width (mm)",
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Ice pick scars are under 2 mm, boxcar about 1.5-4 mm, rolling over 4 mm.",
    )
    depth = models.CharField(max_length=10, choices=ScarDepth.choices, blank=True)
    view = models.CharField(max_length=10, choices=facemap.VIEW_CHOICES)
    x = models.FloatField(help_text="Across the view, 0 (left of the drawing) to 1.")
    y = models.FloatField(help_text="Down the view, 0 (top) to 1.")
    region = models.CharField(max_length=20, choices=FacialRegion.choices, editable=False)
    notes = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=ScarStatus.choices, default=ScarStatus.ACTIVE, editable=False
    )
    status_on = models.DateField("Status recorded on", editable=False)
    # "Candidate for punch excision or elevation" was shown and the dermatologist dismissed it.
    suggestion_dismissed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    objects = ScarQuerySet.as_manager()

    class Meta:
        ordering = ["patient", "number"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "number"], name="scar_number_per_patient"),
            models.CheckConstraint(condition=Q(number__gte=1), name="scar_number_from_1"),
            models.CheckConstraint(
                condition=Q(x__gte=0, x__lte=1, y__gte=0, y__lte=1),
                name="scar_position_within_view",
                violation_error_message="The position must lie on the diagram (0 to 1 each way).",
            ),
            models.CheckConstraint(
                condition=Q(width_mm__isnull=True) | Q(width_mm__gt=0, width_mm__lte=MAX_WIDTH_MM),
                name="scar_width_above_0_to_30_mm",
            ),
            models.CheckConstraint(
                condition=Q(view__in=[v.value for v in facemap.FaceView]), name="scar_view_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ScarStatus.values), name="scar_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Scar {self.number} ({self.get_scar_type_display().lower()})"

    def clean(self) -> None:
        if self.x is not None and self.y is not None and not facemap.in_bounds(self.x, self.y):
            raise ValidationError("The position must lie on the diagram (0 to 1 each way).")

    def place(self) -> None:
        """Derives the region from the view and position (call before saving a move)."""
        self.region = facemap.region_at(self.view, self.x, self.y)

    @property
    def is_ice_pick(self) -> bool:
        return self.scar_type == ScarType.ICE_PICK


class ScarStatusChange(models.Model):
    """A status recorded at a visit; the scar's own status is the latest of these."""

    scar = models.ForeignKey(Scar, on_delete=models.PROTECT, related_name="status_changes")
    status = models.CharField(max_length=10, choices=ScarStatus.choices)
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ScarStatus.values), name="scarstatus_status_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.recorded_on:%d %b %Y}"


class ScarTreatment(models.Model):
    """A scar treated by one CROSS or punch procedure (exactly one of the two)."""

    scar = models.ForeignKey(Scar, on_delete=models.PROTECT, related_name="treatments")
    cross = models.ForeignKey(
        CrossProcedure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scar_links",
    )
    punch = models.ForeignKey(
        PunchProcedure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scar_links",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cross__isnull=False, punch__isnull=True)
                | Q(cross__isnull=True, punch__isnull=False),
                name="scartreatment_one_procedure",
            ),
            models.UniqueConstraint(fields=["scar", "cross"], name="scartreatment_once_per_cross"),
            models.UniqueConstraint(fields=["scar", "punch"], name="scartreatment_once_per_punch"),
        ]

    def __str__(self) -> str:
        return f"{self.scar} treated by {self.procedure}"

    @property
    def procedure(self) -> CrossProcedure | PunchProcedure:
        return self.cross if self.cross_id else self.punch  # type: ignore[return-value]

    @property
    def performed_on(self) -> dt.date:
        return self.procedure.session.performed_on
