"""Filler injections: product, lot, volume, depth and technique (the PMMA-collagen skin test
lives with the other care records)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from clinic.lib.display import format_measurement
from treatments import ranges, safety
from treatments.modalities import IntervalKind, Modality
from treatments.models.limits import _positive, _range
from treatments.models.procedure_base import Procedure, _session_fk


class FillerMaterial(models.TextChoices):
    HYALURONIC_ACID = "hyaluronic_acid", "Hyaluronic acid"
    PLLA = "plla", "Poly-L-lactic acid"
    PMMA_COLLAGEN = safety.PMMA_COLLAGEN, "PMMA-collagen"
    CAHA = "caha", "Calcium hydroxylapatite"
    FAT = "fat", "Autologous fat"
    OTHER = "other", "Other"


class InjectionDevice(models.TextChoices):
    NEEDLE = "needle", "Needle"
    CANNULA = "cannula", "Cannula"


class InjectionDepth(models.TextChoices):
    INTRADERMAL = "intradermal", "Intradermal"
    SUBDERMAL = "subdermal", "Deep dermal / subdermal"
    SUBCUTANEOUS = "subcutaneous", "Subcutaneous"
    SUPRAPERIOSTEAL = "supraperiosteal", "Supraperiosteal"


class InjectionTechnique(models.TextChoices):
    SERIAL_PUNCTURE = "serial_puncture", "Serial puncture"
    LINEAR_THREADING = "linear_threading", "Linear threading"
    FANNING = "fanning", "Fanning"
    BOLUS = "bolus", "Bolus"


class FillerProcedure(Procedure):
    MODALITY = Modality.FILLER

    session = _session_fk(Modality.FILLER)
    product = models.CharField(max_length=100)
    material = models.CharField(max_length=20, choices=FillerMaterial.choices)
    lot_number = models.CharField(max_length=50, help_text="Required for recalls.")
    expiry_date = models.DateField("Lot expiry date")
    volume_ml = models.DecimalField(
        "Volume (mL)",
        max_digits=4,
        decimal_places=2,
        help_text="Volume injected in the regions listed; add one filler row per region to record "
        "volumes separately.",
    )
    reconstitution_ml = models.DecimalField(
        "Reconstitution volume (mL)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Poly-L-lactic acid: sterile water added per vial, usually 8-16 mL.",
    )
    device = models.CharField(max_length=10, choices=InjectionDevice.choices)
    gauge = models.PositiveSmallIntegerField("Gauge (G)", null=True, blank=True)
    depth = models.CharField(max_length=20, choices=InjectionDepth.choices)
    technique = models.CharField(max_length=20, choices=InjectionTechnique.choices)

    class Meta:
        verbose_name = "filler procedure"
        constraints = [
            _positive("volume_ml", 20, "filler_volume_positive"),
            models.CheckConstraint(condition=~Q(product=""), name="filler_product_required"),
            models.CheckConstraint(condition=~Q(lot_number=""), name="filler_lot_required"),
            _range("gauge", 14, 34, "filler_gauge_14_to_34", nullable=True),
            _range(
                "reconstitution_ml",
                *ranges.PLLA_RECONSTITUTION_ML,
                "filler_reconstitution_1_to_20_ml",
                nullable=True,
            ),
            models.CheckConstraint(
                condition=~Q(material="plla") | Q(reconstitution_ml__isnull=False),
                name="filler_plla_has_reconstitution",
                violation_error_message="Record the PLLA reconstitution volume.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} lot {self.lot_number}"

    def clean(self) -> None:
        if self.material == FillerMaterial.PLLA and self.reconstitution_ml is None:
            raise ValidationError(
                {"reconstitution_ml": "Record the volume the PLLA was reconstituted with."}
            )

    def planned(self) -> safety.PlannedProcedure:
        return safety.PlannedProcedure(
            modality=self.MODALITY,
            interval_kind=IntervalKind.FILLER,
            filler_material=self.material,
            filler_product=self.product,
            filler_lot_number=self.lot_number,
            filler_expiry=self.expiry_date,
            regions=tuple(self.regions),
        )

    def summary(self) -> str:
        return (
            f"{self.product} ({self.get_material_display()}), lot {self.lot_number}, "
            f"{format_measurement(self.volume_ml)} mL"
            + (
                f" (reconstituted in {format_measurement(self.reconstitution_ml)} mL)"
                if self.reconstitution_ml is not None
                else ""
            )
            + f", {self.get_device_display().lower()}"
            + (f" {self.gauge} G" if self.gauge else "")
            + f", {self.get_depth_display().lower()}"
        )
