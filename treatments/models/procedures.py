"""One model per procedure modality on a shared abstract base, each with its parameters in real
units and its ranges enforced by the database (treatments/ranges.py names their sources)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from clinic.lib.display import format_measurement
from treatments import ranges, safety
from treatments.modalities import IntervalKind, Modality
from treatments.models.fillers import FillerProcedure
from treatments.models.limits import _positive, _range
from treatments.models.peels import PeelProcedure
from treatments.models.procedure_base import Procedure, _session_fk


class CrossApplicator(models.TextChoices):
    WOODEN_STICK = "wooden_stick", "Sharpened wooden stick"
    TOOTHPICK = "toothpick", "Toothpick"
    FINE_NEEDLE = "fine_needle", "Fine needle"
    OTHER = "other", "Other"


class CrossProcedure(Procedure):
    MODALITY = Modality.CROSS

    session = _session_fk(Modality.CROSS)
    tca_concentration_percent = models.DecimalField(
        "TCA concentration (%)",
        max_digits=4,
        decimal_places=1,
        help_text="50-100 %; 65-100 % is usual for ice pick scars.",
    )
    applicator = models.CharField(max_length=20, choices=CrossApplicator.choices)
    frost_reached = models.BooleanField("Frost reached", default=False)

    class Meta:
        verbose_name = "CROSS procedure"
        constraints = [
            _range(
                "tca_concentration_percent",
                ranges.CROSS_TCA.low,
                ranges.CROSS_TCA.high,
                "cross_tca_50_to_100",
            )
        ]

    def __str__(self) -> str:
        return f"CROSS TCA {self.tca_concentration_percent} %"

    def planned(self) -> safety.PlannedProcedure:
        return safety.PlannedProcedure(
            modality=self.MODALITY,
            interval_kind=IntervalKind.CROSS,
            tca_percent=self.tca_concentration_percent,
            regions=tuple(self.regions),
        )

    def summary(self) -> str:
        parts = [
            f"TCA {format_measurement(self.tca_concentration_percent)} %",
            self.get_applicator_display(),
        ]
        if self.scars_treated:
            parts.append(f"{self.scars_treated} scars")
        parts.append("frost reached" if self.frost_reached else "no frost")
        return ", ".join(parts)


class LaserType(models.TextChoices):
    FRACTIONAL_CO2 = "fractional_co2", "Fractional CO2 (10,600 nm)"
    FRACTIONAL_ERYAG = "fractional_eryag", "Fractional Er:YAG (2,940 nm)"
    FULLY_ABLATIVE = "fully_ablative", "Fully ablative resurfacing (CO2 / Er:YAG)"
    NON_ABLATIVE_FRACTIONAL = (
        "non_ablative_fractional",
        "Non-ablative fractional (1,540/1,550/1,927 nm)",
    )
    PICOSECOND = "picosecond", "Picosecond (532/755/1,064 nm)"
    OTHER = "other", "Other"


ABLATIVE_LASERS = {LaserType.FRACTIONAL_CO2, LaserType.FRACTIONAL_ERYAG, LaserType.FULLY_ABLATIVE}


def _laser_wavelength_matches_type() -> Q:
    condition = ~Q(laser_type__in=list(ranges.LASER_WAVELENGTHS_NM))
    for laser_type, wavelengths in ranges.LASER_WAVELENGTHS_NM.items():
        condition |= Q(laser_type=laser_type, wavelength_nm__in=list(wavelengths))
    return condition


class Cooling(models.TextChoices):
    NONE = "none", "None"
    CONTACT = "contact", "Contact cooling"
    AIR = "air", "Forced cold air"
    CRYOGEN = "cryogen", "Cryogen spray"


class LaserProcedure(Procedure):
    MODALITY = Modality.LASER

    session = _session_fk(Modality.LASER)
    device_name = models.CharField(max_length=100)
    laser_type = models.CharField(max_length=30, choices=LaserType.choices)
    wavelength_nm = models.PositiveIntegerField("Wavelength (nm)", help_text="e.g. 10600, 1550")
    pulse_energy_mj = models.DecimalField(
        "Pulse energy (mJ)", max_digits=6, decimal_places=1, null=True, blank=True
    )
    fluence_j_cm2 = models.DecimalField(
        "Fluence (J/cm²)", max_digits=6, decimal_places=2, null=True, blank=True
    )
    density_percent = models.DecimalField(
        "Density / coverage (%)", max_digits=4, decimal_places=1, null=True, blank=True
    )
    spot_size_mm = models.DecimalField(
        "Spot size (mm)",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Fractional microbeams are about 0.12 mm.",
    )
    passes = models.PositiveSmallIntegerField(default=1)
    cooling = models.CharField(max_length=20, choices=Cooling.choices, default=Cooling.NONE)
    test_spot_done = models.BooleanField("Test spot done", default=False)

    class Meta:
        verbose_name = "laser procedure"
        constraints = [
            _range("wavelength_nm", 190, 11000, "laser_wavelength_190_to_11000"),
            models.CheckConstraint(
                condition=_laser_wavelength_matches_type(),
                name="laser_wavelength_matches_type",
                violation_error_message="The wavelength does not match the laser type.",
            ),
            _positive("pulse_energy_mj", 1000, "laser_energy_positive", nullable=True),
            _positive("fluence_j_cm2", 500, "laser_fluence_positive", nullable=True),
            _positive("density_percent", 100, "laser_density_above_0_to_100", nullable=True),
            _positive("spot_size_mm", 50, "laser_spot_positive", nullable=True),
            _range("passes", 1, 20, "laser_passes_1_to_20"),
        ]

    def __str__(self) -> str:
        return f"{self.get_laser_type_display()} laser"

    def clean(self) -> None:
        expected = ranges.LASER_WAVELENGTHS_NM.get(self.laser_type)
        if expected and self.wavelength_nm is not None and self.wavelength_nm not in expected:
            raise ValidationError(
                {
                    "wavelength_nm": f"A {self.get_laser_type_display().split(' (')[0].lower()} "
                    f"laser emits {ranges.wavelengths_text(expected)}."
                }
            )

    @property
    def is_ablative(self) -> bool:
        return self.laser_type in ABLATIVE_LASERS

    def interval_kind(self) -> IntervalKind:
        return IntervalKind.LASER_ABLATIVE if self.is_ablative else IntervalKind.LASER_NON_ABLATIVE

    def planned(self) -> safety.PlannedProcedure:
        return safety.PlannedProcedure(
            modality=self.MODALITY,
            interval_kind=self.interval_kind(),
            is_ablative_laser=self.is_ablative,
            is_fully_ablative_laser=self.laser_type == LaserType.FULLY_ABLATIVE,
            laser_density_percent=self.density_percent,
            regions=tuple(self.regions),
        )

    def summary(self) -> str:
        parts = [f"{self.device_name} ({self.get_laser_type_display()})"]
        if self.pulse_energy_mj is not None:
            parts.append(f"{format_measurement(self.pulse_energy_mj)} mJ")
        if self.fluence_j_cm2 is not None:
            parts.append(f"{format_measurement(self.fluence_j_cm2)} J/cm²")
        if self.density_percent is not None:
            parts.append(f"{format_measurement(self.density_percent)} % density")
        parts.append(f"{self.passes} pass{'es' if self.passes != 1 else ''}")
        return ", ".join(parts)


class PunchTechnique(models.TextChoices):
    EXCISION = "excision", "Punch excision"
    ELEVATION = "elevation", "Punch elevation"
    GRAFT = "graft", "Punch graft"


class Closure(models.TextChoices):
    SUTURES = "sutures", "Sutures"
    ADHESIVE_STRIPS = "adhesive_strips", "Adhesive strips"
    TISSUE_GLUE = "tissue_glue", "Tissue glue"
    NONE = "none", "None (second intention)"


class PunchProcedure(Procedure):
    MODALITY = Modality.PUNCH

    session = _session_fk(Modality.PUNCH)
    technique = models.CharField(max_length=20, choices=PunchTechnique.choices)
    punch_diameter_mm = models.DecimalField(
        "Punch diameter (mm)", max_digits=3, decimal_places=1, help_text="1.0-4.0 mm"
    )
    closure = models.CharField(max_length=20, choices=Closure.choices)
    suture_material = models.CharField(max_length=100, blank=True, help_text="e.g. polypropylene")
    suture_size = models.CharField(max_length=10, blank=True, help_text="e.g. 6-0")
    graft_donor_site = models.CharField(max_length=100, blank=True, help_text="e.g. post-auricular")
    suture_removal_due = models.DateField(null=True, blank=True, help_text="Usually 5-7 days.")

    class Meta:
        verbose_name = "punch procedure"
        constraints = [_range("punch_diameter_mm", 1, 4, "punch_diameter_1_to_4_mm")]

    def __str__(self) -> str:
        return f"{self.get_technique_display()} {self.punch_diameter_mm} mm"

    def clean(self) -> None:
        errors = {}
        if self.technique == PunchTechnique.GRAFT and not self.graft_donor_site.strip():
            errors["graft_donor_site"] = "A punch graft needs its donor site."
        if self.closure == Closure.SUTURES and not self.suture_material.strip():
            errors["suture_material"] = "Record the suture material."
        if errors:
            raise ValidationError(errors)

    def planned(self) -> safety.PlannedProcedure:
        return safety.PlannedProcedure(
            modality=self.MODALITY,
            interval_kind=IntervalKind.PUNCH,
            punch_technique=self.technique,
            regions=tuple(self.regions),
        )

    def prior(self, performed_on: dt.date) -> safety.PriorProcedure:
        return safety.PriorProcedure(
            self.MODALITY,
            performed_on,
            IntervalKind.PUNCH,
            punch_technique=self.technique,
            regions=tuple(self.regions),
        )

    def summary(self) -> str:
        parts = [self.get_technique_display(), f"{format_measurement(self.punch_diameter_mm)} mm"]
        if self.scars_treated:
            parts.append(f"{self.scars_treated} scars")
        closure = self.get_closure_display()
        if self.closure == Closure.SUTURES:
            closure += f" {self.suture_size} {self.suture_material}".rstrip()
        parts.append(closure)
        return ", ".join(parts)


class SubcisionInstrument(models.TextChoices):
    NOKOR = "nokor", "Nokor needle"
    NEEDLE = "needle", "Hypodermic needle"
    CANNULA = "cannula", "Blunt cannula"
    WIRE = "wire", "Subcision wire"
    BLADE = "blade", "Blade"


class SubcisionProcedure(Procedure):
    MODALITY = Modality.SUBCISION

    session = _session_fk(Modality.SUBCISION)
    instrument = models.CharField(max_length=20, choices=SubcisionInstrument.choices)
    gauge = models.PositiveSmallIntegerField(
        "Gauge (G)", null=True, blank=True, help_text="18-27 G"
    )

    class Meta:
        verbose_name = "subcision procedure"
        constraints = [_range("gauge", 14, 34, "subcision_gauge_14_to_34", nullable=True)]

    def __str__(self) -> str:
        return f"Subcision ({self.get_instrument_display()})"

    def summary(self) -> str:
        parts = [self.get_instrument_display() + (f" {self.gauge} G" if self.gauge else "")]
        if self.regions:
            parts.append(self.region_labels())
        if self.scars_treated:
            parts.append(f"{self.scars_treated} scars")
        return ", ".join(parts)


PROCEDURE_MODELS: list[type[Procedure]] = [
    CrossProcedure,
    SubcisionProcedure,
    PunchProcedure,
    LaserProcedure,
    PeelProcedure,
    FillerProcedure,
]
PROCEDURE_MODEL_BY_MODALITY = {model.MODALITY: model for model in PROCEDURE_MODELS}
