"""Range rules of the treatment records, at both layers that enforce them.

1. The database: every CheckConstraint in treatments/models.py refuses a value just outside its
   range (written with QuerySet.update(), so no Python validation runs) and accepts the boundary
   values just inside it.
2. The forms: in test_form_ranges.py.

Runs on SQLite and on PostgreSQL (DATABASE_URL=postgres://...).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from tests.factories import PatientFactory, UserFactory
from tests.treatments.factories import (
    AdverseEventFactory,
    ClinicalPhotoFactory,
    SkinTestFactory,
    TopicalRegimenFactory,
    TreatmentSessionFactory,
    cross,
    subcision,
)
from tests.treatments.scar_factories import place_scar
from treatments.models import (
    AdverseEvent,
    ClinicalPhoto,
    Closure,
    Cooling,
    CrossProcedure,
    FillerMaterial,
    FillerProcedure,
    FrostLevel,
    InjectionDepth,
    InjectionDevice,
    InjectionTechnique,
    LaserProcedure,
    LaserType,
    PeelAgent,
    PeelProcedure,
    PunchProcedure,
    PunchTechnique,
    Scar,
    ScarStatusChange,
    ScarTreatment,
    SkinTest,
    SubcisionProcedure,
    TopicalRegimen,
    TreatmentSession,
)
from treatments.scar_services import scar_links_set

DAY = dt.timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# Valid procedures (realistic values from DOMAIN.md), and one saved row of each model
# ---------------------------------------------------------------------------------------------


def laser(**values) -> LaserProcedure:
    defaults = {
        "device_name": "Lumenis UltraPulse",
        "laser_type": LaserType.FRACTIONAL_CO2,
        "wavelength_nm": 10600,
        "pulse_energy_mj": decimal.Decimal(15),
        "density_percent": decimal.Decimal(15),
        "passes": 1,
        "cooling": Cooling.AIR,
        "regions": ["left_cheek", "right_cheek"],
    }
    return LaserProcedure(**(defaults | values))


def punch(**values) -> PunchProcedure:
    defaults = {
        "technique": PunchTechnique.ELEVATION,
        "punch_diameter_mm": decimal.Decimal("2.0"),
        "closure": Closure.ADHESIVE_STRIPS,
        "scars_treated": 3,
        "regions": ["left_cheek"],
    }
    return PunchProcedure(**(defaults | values))


def filler(**values) -> FillerProcedure:
    defaults = {
        "product": "Restylane",
        "material": FillerMaterial.HYALURONIC_ACID,
        "lot_number": "AB123",
        "expiry_date": timezone.localdate() + dt.timedelta(days=365),
        "volume_ml": decimal.Decimal("0.5"),
        "device": InjectionDevice.NEEDLE,
        "gauge": 30,
        "depth": InjectionDepth.INTRADERMAL,
        "technique": InjectionTechnique.SERIAL_PUNCTURE,
        "regions": ["left_cheek"],
    }
    return FillerProcedure(**(defaults | values))


def peel(**values) -> PeelProcedure:
    defaults = {
        "agent": PeelAgent.GLYCOLIC,
        "concentration_percent": decimal.Decimal(35),
        "contact_time_minutes": decimal.Decimal(3),
        "frost_level": FrostLevel.NONE,
        "neutralised": True,
        "regions": ["forehead", "left_cheek", "right_cheek"],
    }
    return PeelProcedure(**(defaults | values))


PROCEDURE_BUILDERS: dict[type[models.Model], Callable[[], models.Model]] = {
    CrossProcedure: cross,
    SubcisionProcedure: subcision,
    LaserProcedure: laser,
    PunchProcedure: punch,
    FillerProcedure: filler,
    PeelProcedure: peel,
}


def _scar() -> Scar:
    return place_scar(PatientFactory(), UserFactory(), x=0.3, y=0.5)


def _scar_link() -> ScarTreatment:
    scar = _scar()
    session = TreatmentSessionFactory(patient=scar.patient, procedures=[cross()])
    scar_links_set(procedure=session.cross_procedures.get(), scars=[scar])
    return scar.treatments.get()


SCAR_ROWS: dict[type[models.Model], Callable[[], models.Model]] = {
    Scar: _scar,
    ScarStatusChange: lambda: _scar().status_changes.get(),
    ScarTreatment: _scar_link,
}


def saved_row(model: type[models.Model]) -> models.Model:
    """A valid row of `model`, saved the way the app saves it."""
    if model in PROCEDURE_BUILDERS:
        session = TreatmentSessionFactory(procedures=[PROCEDURE_BUILDERS[model]()])
        return model.objects.get(session=session)
    if model in SCAR_ROWS:
        return SCAR_ROWS[model]()
    return {
        TreatmentSession: TreatmentSessionFactory,
        AdverseEvent: AdverseEventFactory,
        TopicalRegimen: TopicalRegimenFactory,
        SkinTest: SkinTestFactory,
        ClinicalPhoto: ClinicalPhotoFactory,
    }[model]()


# ---------------------------------------------------------------------------------------------
# 1. The database
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DbCase:
    model: type[models.Model]
    constraint: str
    field: str
    value: Any  # or a function of the saved row, for dates relative to another column
    label: str = ""
    also: dict[str, Any] | None = None  # other columns the case sets, e.g. the peel's agent

    def value_for(self, row: models.Model) -> Any:
        return self.value(row) if callable(self.value) else self.value

    def values_for(self, row: models.Model) -> dict[str, Any]:
        return (self.also or {}) | {self.field: self.value_for(row)}

    def param(self, *marks) -> Any:
        label = self.label or f"{self.field}={self.value}"
        if self.also:
            label = f"{','.join(f'{k}={v}' for k, v in self.also.items())},{label}"
        return pytest.param(self, id=f"{self.constraint}:{label}", marks=marks)


def D(text: str) -> decimal.Decimal:  # short, so the tables read like literals
    return decimal.Decimal(text)


OTHER = {"laser_type": "other"}
PLLA = {"material": "plla"}
# A wavelength the laser type cannot emit, and each one it can (treatments/ranges.py).
WRONG_WAVELENGTHS = [
    ({"laser_type": "fractional_co2"}, 2940),
    ({"laser_type": "fractional_eryag"}, 10600),
    ({"laser_type": "fully_ablative"}, 1550),
    ({"laser_type": "non_ablative_fractional"}, 1064),
    ({"laser_type": "picosecond"}, 1550),
]
RIGHT_WAVELENGTHS = [
    ({"laser_type": kind}, nm)
    for kind, wavelengths in {
        "fractional_co2": (10600,),
        "fractional_eryag": (2940,),
        "fully_ablative": (10600, 2940),
        "non_ablative_fractional": (1540, 1550, 1927),
        "picosecond": (532, 755, 1064),
        "other": (1320,),
    }.items()
    for nm in wavelengths
]
# Each agent's range ends (treatments/ranges.py), just outside and just inside.
PEEL_OUTSIDE = [
    ({"agent": "glycolic"}, D("19.9")),
    ({"agent": "glycolic"}, D("70.1")),
    ({"agent": "glycolic"}, None),
    ({"agent": "lactic"}, D("9.9")),
    ({"agent": "lactic"}, D("92.1")),
    ({"agent": "salicylic"}, D("19.9")),
    ({"agent": "salicylic"}, D("30.1")),
    ({"agent": "pyruvic"}, D("39.9")),
    ({"agent": "pyruvic"}, D("70.1")),
    ({"agent": "tca"}, D("9.9")),
    ({"agent": "tca"}, D("70.1")),
    ({"agent": "tca"}, None),
    ({"agent": "combination"}, D("9.9")),
    ({"agent": "combination"}, D("50.1")),
    ({"agent": "jessner", "coats": 2}, D("14")),
    ({"agent": "jessner", "coats": None}, None),
]
PEEL_INSIDE = [
    ({"agent": "glycolic"}, D("20")),
    ({"agent": "glycolic"}, D("70")),
    ({"agent": "lactic"}, D("10")),
    ({"agent": "lactic"}, D("92")),
    ({"agent": "salicylic"}, D("20")),
    ({"agent": "salicylic"}, D("30")),
    ({"agent": "pyruvic"}, D("40")),
    ({"agent": "pyruvic"}, D("70")),
    ({"agent": "tca"}, D("10")),
    ({"agent": "tca"}, D("70")),
    ({"agent": "combination"}, D("10")),
    ({"agent": "combination"}, D("50")),
    ({"agent": "combination"}, None),
    ({"agent": "jessner", "coats": 1}, None),
]

REFUSED_BY_DATABASE = [
    DbCase(ClinicalPhoto, "photo_has_dimensions", "width", 0),
    DbCase(ClinicalPhoto, "photo_close_up_has_region", "view", "close_up", "close-up, no region"),
    DbCase(TreatmentSession, "session_consent_confirmed", "consent_confirmed", False),
    DbCase(TreatmentSession, "session_fitzpatrick_i_to_vi", "fitzpatrick_type", 0),
    DbCase(TreatmentSession, "session_fitzpatrick_i_to_vi", "fitzpatrick_type", 7),
    DbCase(CrossProcedure, "cross_tca_50_to_100", "tca_concentration_percent", D("49.9")),
    DbCase(CrossProcedure, "cross_tca_50_to_100", "tca_concentration_percent", D("100.1")),
    DbCase(LaserProcedure, "laser_wavelength_190_to_11000", "wavelength_nm", 189, also=OTHER),
    DbCase(LaserProcedure, "laser_wavelength_190_to_11000", "wavelength_nm", 11001, also=OTHER),
    *(
        DbCase(LaserProcedure, "laser_wavelength_matches_type", "wavelength_nm", nm, also=kind)
        for kind, nm in WRONG_WAVELENGTHS
    ),
    DbCase(FillerProcedure, "filler_reconstitution_1_to_20_ml", "reconstitution_ml", D("0.9")),
    DbCase(FillerProcedure, "filler_reconstitution_1_to_20_ml", "reconstitution_ml", D("20.1")),
    DbCase(FillerProcedure, "filler_plla_has_reconstitution", "reconstitution_ml", None, also=PLLA),
    DbCase(LaserProcedure, "laser_energy_positive", "pulse_energy_mj", D("0")),
    DbCase(LaserProcedure, "laser_energy_positive", "pulse_energy_mj", D("1000.1")),
    DbCase(LaserProcedure, "laser_fluence_positive", "fluence_j_cm2", D("0")),
    DbCase(LaserProcedure, "laser_fluence_positive", "fluence_j_cm2", D("500.01")),
    DbCase(LaserProcedure, "laser_density_above_0_to_100", "density_percent", D("0")),
    DbCase(LaserProcedure, "laser_density_above_0_to_100", "density_percent", D("100.1")),
    DbCase(LaserProcedure, "laser_spot_positive", "spot_size_mm", D("0")),
    DbCase(LaserProcedure, "laser_spot_positive", "spot_size_mm", D("50.1")),
    DbCase(LaserProcedure, "laser_passes_1_to_20", "passes", 0),
    DbCase(LaserProcedure, "laser_passes_1_to_20", "passes", 21),
    DbCase(PunchProcedure, "punch_diameter_1_to_4_mm", "punch_diameter_mm", D("0.9")),
    DbCase(PunchProcedure, "punch_diameter_1_to_4_mm", "punch_diameter_mm", D("4.1")),
    DbCase(SubcisionProcedure, "subcision_gauge_14_to_34", "gauge", 13),
    DbCase(SubcisionProcedure, "subcision_gauge_14_to_34", "gauge", 35),
    DbCase(FillerProcedure, "filler_volume_positive", "volume_ml", D("0")),
    DbCase(FillerProcedure, "filler_volume_positive", "volume_ml", D("20.01")),
    DbCase(FillerProcedure, "filler_product_required", "product", "", label="blank product"),
    DbCase(FillerProcedure, "filler_lot_required", "lot_number", "", label="blank lot"),
    DbCase(FillerProcedure, "filler_gauge_14_to_34", "gauge", 13),
    DbCase(FillerProcedure, "filler_gauge_14_to_34", "gauge", 35),
    *(
        DbCase(PeelProcedure, "peel_concentration_fits_agent", "concentration_percent", v, also=a)
        for a, v in PEEL_OUTSIDE
    ),
    DbCase(PeelProcedure, "peel_coats_1_to_10", "coats", 0),
    DbCase(PeelProcedure, "peel_coats_1_to_10", "coats", 11),
    DbCase(PeelProcedure, "peel_contact_0_to_60_min", "contact_time_minutes", D("-0.1")),
    DbCase(PeelProcedure, "peel_contact_0_to_60_min", "contact_time_minutes", D("60.1")),
    DbCase(PeelProcedure, "peel_contact_0_to_60_min", "contact_time_minutes", D("61")),
    DbCase(PeelProcedure, "peel_frost_0_to_iii", "frost_level", 4),
    DbCase(TopicalRegimen, "topical_strength_0_to_100", "strength_percent", D("0")),
    DbCase(TopicalRegimen, "topical_strength_0_to_100", "strength_percent", D("-0.01")),
    DbCase(
        TopicalRegimen,
        "topical_stopped_after_started",
        "stopped_on",
        lambda row: row.started_on - DAY,
        label="stopped_on=started_on-1d",
    ),
    DbCase(
        SkinTest,
        "skintest_read_after_placed",
        "read_on",
        lambda row: row.tested_on - DAY,
        label="read_on=tested_on-1d",
    ),
    DbCase(SkinTest, "skintest_result_with_reading", "read_on", None, label="result, no reading"),
    DbCase(SkinTest, "skintest_result_with_reading", "result", "", label="reading, no result"),
    DbCase(
        AdverseEvent,
        "adverse_event_resolved_after_onset",
        "resolved_on",
        lambda row: row.onset_on - DAY,
        label="resolved_on=onset_on-1d",
    ),
]

REFUSED_BY_DATABASE += [
    DbCase(Scar, "scar_number_from_1", "number", 0),
    DbCase(Scar, "scar_position_within_view", "x", 1.01),
    DbCase(Scar, "scar_position_within_view", "y", -0.01),
    DbCase(Scar, "scar_width_above_0_to_30_mm", "width_mm", D("0")),
    DbCase(Scar, "scar_width_above_0_to_30_mm", "width_mm", D("30.1")),
    DbCase(Scar, "scar_view_valid", "view", "top"),
    DbCase(Scar, "scar_status_valid", "status", "gone"),
    DbCase(ScarStatusChange, "scarstatus_status_valid", "status", "gone"),
    DbCase(ScarTreatment, "scartreatment_one_procedure", "cross_id", None, label="neither"),
]

ACCEPTED_BY_DATABASE = [
    DbCase(Scar, "scar_number_from_1", "number", 1),
    DbCase(Scar, "scar_position_within_view", "x", 0.0),
    DbCase(Scar, "scar_position_within_view", "x", 1.0),
    DbCase(Scar, "scar_position_within_view", "y", 1.0),
    DbCase(Scar, "scar_width_above_0_to_30_mm", "width_mm", D("0.1")),
    DbCase(Scar, "scar_width_above_0_to_30_mm", "width_mm", D("30")),
    DbCase(Scar, "scar_width_above_0_to_30_mm", "width_mm", None),
    DbCase(Scar, "scar_view_valid", "view", "left"),
    DbCase(Scar, "scar_status_valid", "status", "resolved"),
    DbCase(ScarStatusChange, "scarstatus_status_valid", "status", "improved"),
    DbCase(
        ScarTreatment,
        "scartreatment_one_procedure",
        "cross_id",
        lambda row: row.cross_id,
        label="cross only",
    ),
    DbCase(ClinicalPhoto, "photo_has_dimensions", "width", 1),
    DbCase(ClinicalPhoto, "photo_close_up_has_region", "close_up_region", "nose"),
    DbCase(TreatmentSession, "session_consent_confirmed", "consent_confirmed", True),
    DbCase(TreatmentSession, "session_fitzpatrick_i_to_vi", "fitzpatrick_type", 1),
    DbCase(TreatmentSession, "session_fitzpatrick_i_to_vi", "fitzpatrick_type", 6),
    DbCase(TreatmentSession, "session_fitzpatrick_i_to_vi", "fitzpatrick_type", None),
    DbCase(CrossProcedure, "cross_tca_50_to_100", "tca_concentration_percent", D("50")),
    DbCase(CrossProcedure, "cross_tca_50_to_100", "tca_concentration_percent", D("100")),
    DbCase(LaserProcedure, "laser_wavelength_190_to_11000", "wavelength_nm", 190, also=OTHER),
    DbCase(LaserProcedure, "laser_wavelength_190_to_11000", "wavelength_nm", 11000, also=OTHER),
    *(
        DbCase(LaserProcedure, "laser_wavelength_matches_type", "wavelength_nm", nm, also=kind)
        for kind, nm in RIGHT_WAVELENGTHS
    ),
    DbCase(FillerProcedure, "filler_reconstitution_1_to_20_ml", "reconstitution_ml", D("1")),
    DbCase(FillerProcedure, "filler_reconstitution_1_to_20_ml", "reconstitution_ml", D("20")),
    DbCase(FillerProcedure, "filler_reconstitution_1_to_20_ml", "reconstitution_ml", None),
    DbCase(
        FillerProcedure, "filler_plla_has_reconstitution", "reconstitution_ml", D("8"), also=PLLA
    ),
    DbCase(LaserProcedure, "laser_energy_positive", "pulse_energy_mj", D("0.1")),
    DbCase(LaserProcedure, "laser_energy_positive", "pulse_energy_mj", D("1000")),
    DbCase(LaserProcedure, "laser_energy_positive", "pulse_energy_mj", None),
    DbCase(LaserProcedure, "laser_fluence_positive", "fluence_j_cm2", D("0.01")),
    DbCase(LaserProcedure, "laser_fluence_positive", "fluence_j_cm2", D("500")),
    DbCase(LaserProcedure, "laser_fluence_positive", "fluence_j_cm2", None),
    DbCase(LaserProcedure, "laser_density_above_0_to_100", "density_percent", D("0.1")),
    DbCase(LaserProcedure, "laser_density_above_0_to_100", "density_percent", D("100")),
    DbCase(LaserProcedure, "laser_density_above_0_to_100", "density_percent", None),
    DbCase(LaserProcedure, "laser_spot_positive", "spot_size_mm", D("0.1")),
    DbCase(LaserProcedure, "laser_spot_positive", "spot_size_mm", D("50")),
    DbCase(LaserProcedure, "laser_spot_positive", "spot_size_mm", None),
    DbCase(LaserProcedure, "laser_passes_1_to_20", "passes", 1),
    DbCase(LaserProcedure, "laser_passes_1_to_20", "passes", 20),
    DbCase(PunchProcedure, "punch_diameter_1_to_4_mm", "punch_diameter_mm", D("1.0")),
    DbCase(PunchProcedure, "punch_diameter_1_to_4_mm", "punch_diameter_mm", D("4.0")),
    DbCase(SubcisionProcedure, "subcision_gauge_14_to_34", "gauge", 14),
    DbCase(SubcisionProcedure, "subcision_gauge_14_to_34", "gauge", 34),
    DbCase(SubcisionProcedure, "subcision_gauge_14_to_34", "gauge", None),
    DbCase(FillerProcedure, "filler_volume_positive", "volume_ml", D("0.01")),
    DbCase(FillerProcedure, "filler_volume_positive", "volume_ml", D("20")),
    DbCase(FillerProcedure, "filler_product_required", "product", "Juvederm Volbella"),
    DbCase(FillerProcedure, "filler_lot_required", "lot_number", "X9"),
    DbCase(FillerProcedure, "filler_gauge_14_to_34", "gauge", 14),
    DbCase(FillerProcedure, "filler_gauge_14_to_34", "gauge", 34),
    DbCase(FillerProcedure, "filler_gauge_14_to_34", "gauge", None),
    *(
        DbCase(PeelProcedure, "peel_concentration_fits_agent", "concentration_percent", v, also=a)
        for a, v in PEEL_INSIDE
    ),
    DbCase(PeelProcedure, "peel_coats_1_to_10", "coats", 1),
    DbCase(PeelProcedure, "peel_coats_1_to_10", "coats", 10),
    DbCase(PeelProcedure, "peel_coats_1_to_10", "coats", None),
    DbCase(PeelProcedure, "peel_contact_0_to_60_min", "contact_time_minutes", D("0")),
    DbCase(PeelProcedure, "peel_contact_0_to_60_min", "contact_time_minutes", D("60")),
    DbCase(PeelProcedure, "peel_contact_0_to_60_min", "contact_time_minutes", None),
    DbCase(PeelProcedure, "peel_frost_0_to_iii", "frost_level", 0),
    DbCase(PeelProcedure, "peel_frost_0_to_iii", "frost_level", 3),
    DbCase(TopicalRegimen, "topical_strength_0_to_100", "strength_percent", D("0.01")),
    DbCase(TopicalRegimen, "topical_strength_0_to_100", "strength_percent", D("99.99")),
    DbCase(TopicalRegimen, "topical_stopped_after_started", "stopped_on", None),
    DbCase(
        TopicalRegimen,
        "topical_stopped_after_started",
        "stopped_on",
        lambda row: row.started_on,
        label="stopped_on=started_on",
    ),
    DbCase(
        SkinTest,
        "skintest_read_after_placed",
        "read_on",
        lambda row: row.tested_on,
        label="read_on=tested_on",
    ),
    DbCase(
        SkinTest,
        "skintest_result_with_reading",
        "read_on",
        None,
        also={"result": ""},
        label="placed, not read yet",
    ),
    DbCase(AdverseEvent, "adverse_event_resolved_after_onset", "resolved_on", None),
    DbCase(
        AdverseEvent,
        "adverse_event_resolved_after_onset",
        "resolved_on",
        lambda row: row.onset_on,
        label="resolved_on=onset_on",
    ),
]

# The constraint's own upper bound, 100 %, does not fit the column (numeric(4,2), at most
# 99.99). PostgreSQL refuses the write ("numeric field overflow"); SQLite writes it, and then
# the row can no longer be read (decimal.InvalidOperation when Django quantizes it).
TOPICAL_STRENGTH_100 = DbCase(
    TopicalRegimen, "topical_strength_0_to_100", "strength_percent", D("100")
)


@pytest.mark.django_db
@pytest.mark.parametrize("case", [c.param() for c in REFUSED_BY_DATABASE])
def test_database_refuses_value_outside_the_range(case: DbCase):
    row = saved_row(case.model)
    before = getattr(row, case.field)

    with pytest.raises(IntegrityError, match=case.constraint), transaction.atomic():
        case.model.objects.filter(pk=row.pk).update(**case.values_for(row))

    row.refresh_from_db()
    assert getattr(row, case.field) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case",
    [
        *(c.param() for c in ACCEPTED_BY_DATABASE),
        TOPICAL_STRENGTH_100.param(),
    ],
)
def test_database_accepts_boundary_value(case: DbCase):
    row = saved_row(case.model)
    value = case.value_for(row)

    with transaction.atomic():
        updated = case.model.objects.filter(pk=row.pk).update(**case.values_for(row))

    assert updated == 1
    row.refresh_from_db()
    assert getattr(row, case.field) == value


def test_every_check_constraint_is_tested_on_both_sides():
    declared = {
        constraint.name
        for model in apps.get_app_config("treatments").get_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, models.CheckConstraint)
    }
    assert len(declared) == 36
    assert {c.constraint for c in REFUSED_BY_DATABASE} == declared
    assert {c.constraint for c in ACCEPTED_BY_DATABASE} == declared
