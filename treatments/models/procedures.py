"""One model per procedure modality on a shared abstract base, each with its parameters in real
units and its ranges enforced by the database (treatments/ranges.py names their sources)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from clinic.lib.display import format_measurement
from patients.models import FacialRegion
from treatments import ranges, safety
from treatments.modalities import IntervalKind, Modality
from treatments.models.limits import _positive, _range, validate_regions


class Procedure(models.Model):
    MODALITY: Modality

    regions = models.JSONField(
        "Regions treated", default=list, blank=True, validators=[validate_regions]
    )
    scars_treated = models.PositiveSmallIntegerField(
        "Number of scars treated", null=True, blank=True
    )
    immediate_endpoint = models.CharField(
        "Immediate response / endpoint", max_length=200, blank=True
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @classmethod
    def related_name(cls) -> str:
        return f"{cls.MODALITY.value}_procedures"

    def region_labels(self) -> str:
        labels = dict(FacialRegion.choices)
        return ", ".join(labels.get(r, r) for r in self.regions)

    def interval_kind(self) -> IntervalKind:
        return IntervalKind(self.MODALITY.value)

    def planned(self) -> safety.PlannedProcedure:
        """The facts the safety rules need about this procedure."""
        return safety.PlannedProcedure(
            modality=self.MODALITY, interval_kind=self.interval_kind(), regions=tuple(self.regions)
        )

    def session_performed_on(self) -> dt.date:
        performed_on: dt.date = self.session.performed_on  # type: ignore[attr-defined]
        return performed_on

    def prior(self, performed_on: dt.date) -> safety.PriorProcedure:
        """This procedure as an earlier one, seen from a later session."""
        return safety.PriorProcedure(
            self.MODALITY, performed_on, self.interval_kind(), regions=tuple(self.regions)
        )

    def summary(self) -> str:
        """Key parameters in one line, for timelines."""
        raise NotImplementedError


def _session_fk(modality: Modality) -> models.ForeignKey:
    # By name: the session module imports this one (for the list of procedure models).
    return models.ForeignKey(
        "treatments.TreatmentSession",
        on_delete=models.PROTECT,
        related_name=f"{modality.value}_procedures",
    )


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
    history = HistoricalRecords()

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
    history = HistoricalRecords()

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
    history = HistoricalRecords()

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
    history = HistoricalRecords()

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
    history = HistoricalRecords()

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


class PeelAgent(models.TextChoices):
    GLYCOLIC = "glycolic", "Glycolic acid"
    LACTIC = "lactic", "Lactic acid"
    SALICYLIC = "salicylic", "Salicylic acid"
    PYRUVIC = "pyruvic", "Pyruvic acid"
    JESSNER = "jessner", "Jessner's solution"
    TCA = "tca", "Trichloroacetic acid (TCA)"
    COMBINATION = "combination", "Combination (e.g. Jessner's + TCA)"


class FrostLevel(models.IntegerChoices):
    NONE = 0, "0: no frost"
    I = 1, "I: patchy frost over redness"  # noqa: E741 - the clinical name
    II = 2, "II: white frost, pink showing through"
    III = 3, "III: solid white, no pink"


def _peel_concentration_fits_agent() -> Q:
    # Jessner's is a fixed formula recorded by coats; every other agent has its own range.
    condition = Q(agent=ranges.JESSNER, concentration_percent__isnull=True, coats__isnull=False)
    for agent, span in ranges.PEEL_CONCENTRATION.items():
        # isnull=False spelt out: a NULL comparison would pass a CHECK.
        within = Q(
            agent=agent,
            concentration_percent__isnull=False,
            concentration_percent__gte=span.low,
            concentration_percent__lte=span.high,
        )
        if agent == "combination":
            within |= Q(agent=agent, concentration_percent__isnull=True)
        condition |= within
    return condition


class PeelProcedure(Procedure):
    MODALITY = Modality.PEEL

    session = _session_fk(Modality.PEEL)
    agent = models.CharField(max_length=20, choices=PeelAgent.choices)
    concentration_percent = models.DecimalField(
        "Concentration (%)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Glycolic 20-70 %, lactic 10-92 %, salicylic 20-30 %, pyruvic 40-70 %, TCA "
        "10-70 %; none for Jessner's (a fixed formula); for Jessner's + TCA, the TCA strength.",
    )
    coats = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Jessner's: 1-3 coats (required)."
    )
    contact_time_minutes = models.DecimalField(
        "Contact time (min)", max_digits=4, decimal_places=1, null=True, blank=True
    )
    frost_level = models.PositiveSmallIntegerField(choices=FrostLevel.choices, default=0)
    neutralised = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "chemical peel"
        constraints = [
            models.CheckConstraint(
                condition=_peel_concentration_fits_agent(),
                name="peel_concentration_fits_agent",
                violation_error_message="The concentration is outside this agent's range.",
            ),
            _range("coats", 1, 10, "peel_coats_1_to_10", nullable=True),
            _range("contact_time_minutes", 0, 60, "peel_contact_0_to_60_min", nullable=True),
            _range("frost_level", 0, 3, "peel_frost_0_to_iii"),
        ]

    def __str__(self) -> str:
        return f"{self.get_agent_display()} peel"

    def clean(self) -> None:
        concentration = self.concentration_percent
        if self.agent == PeelAgent.JESSNER:
            errors = {}
            if concentration is not None:
                errors["concentration_percent"] = (
                    "Jessner's solution is a fixed formula (resorcinol, salicylic and lactic acid "
                    "14 % each): leave the concentration blank and record the coats."
                )
            if self.coats is None:
                errors["coats"] = "Record the number of coats of Jessner's solution."
            if errors:
                raise ValidationError(errors)
            return
        span = ranges.PEEL_CONCENTRATION.get(self.agent)
        if span is None:
            return
        if concentration is None:
            if self.agent != PeelAgent.COMBINATION:
                raise ValidationError(
                    {"concentration_percent": f"Record the {self.get_agent_display()} strength."}
                )
        elif concentration not in span:
            raise ValidationError(
                {
                    "concentration_percent": f"{self.get_agent_display()} peels are "
                    f"{span.text}; enter a value in that range."
                }
            )

    @property
    def depth(self) -> safety.PeelDepth:
        # TCA 30-50 % or a Jessner's + TCA combination reaches the papillary dermis; above 50 %
        # the reticular dermis.
        tca = self.concentration_percent
        if self.agent == PeelAgent.TCA and tca is not None:
            if tca >= ranges.TCA_PEEL_DEEP_FROM:
                return safety.PeelDepth.DEEP
            if tca >= ranges.TCA_PEEL_MEDIUM_FROM:
                return safety.PeelDepth.MEDIUM
        if self.agent == PeelAgent.COMBINATION:
            return safety.PeelDepth.MEDIUM
        return safety.PeelDepth.SUPERFICIAL

    @property
    def is_medium_depth(self) -> bool:
        return self.depth != safety.PeelDepth.SUPERFICIAL

    def interval_kind(self) -> IntervalKind:
        return IntervalKind.PEEL_MEDIUM if self.is_medium_depth else IntervalKind.PEEL_SUPERFICIAL

    def planned(self) -> safety.PlannedProcedure:
        return safety.PlannedProcedure(
            modality=self.MODALITY,
            interval_kind=self.interval_kind(),
            tca_percent=self.concentration_percent if self.agent == PeelAgent.TCA else None,
            peel_agent=self.agent,
            peel_depth=self.depth,
            regions=tuple(self.regions),
        )

    def summary(self) -> str:
        parts = [self.get_agent_display()]
        if self.concentration_percent is not None:
            parts[0] += f" {format_measurement(self.concentration_percent)} %"
        if self.coats:
            parts.append(f"{self.coats} coat{'s' if self.coats != 1 else ''}")
        if self.contact_time_minutes is not None:
            parts.append(f"{format_measurement(self.contact_time_minutes)} min")
        parts.append(f"frost {self.get_frost_level_display().split(':')[0]}")
        if self.neutralised:
            parts.append("neutralised")
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
