"""Range rules of the treatment records, at both layers that enforce them.

1. The database: every CheckConstraint in treatments/models.py refuses a value just outside its
   range (written with QuerySet.update(), so no Python validation runs) and accepts the boundary
   values just inside it.
2. The forms: the same values typed into the matching ModelForm make it invalid (the constraint
   is checked by Django's model validation, or by the form field itself), the boundary values
   keep it valid, and the rules in the models' clean() methods are reported on the right field.

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
from django.core.exceptions import NON_FIELD_ERRORS
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
from treatments.forms import (
    AdverseEventForm,
    CrossForm,
    FillerForm,
    LaserForm,
    PeelForm,
    PunchForm,
    SessionForm,
    SkinTestForm,
    SubcisionForm,
    TopicalRegimenForm,
)
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


# ---------------------------------------------------------------------------------------------
# 2. The forms
# ---------------------------------------------------------------------------------------------


def _cross_data(session):
    return {
        "tca_concentration_percent": "100",
        "applicator": "wooden_stick",
        "frost_reached": "on",
        "scars_treated": "12",
        "regions": ["left_cheek", "right_cheek"],
    }


def _laser_data(session):
    return {
        "device_name": "Lumenis UltraPulse",
        "laser_type": "fractional_co2",
        "wavelength_nm": "10600",
        "pulse_energy_mj": "15",
        "fluence_j_cm2": "",
        "density_percent": "15",
        "spot_size_mm": "",
        "passes": "1",
        "cooling": "air",
        "regions": ["left_cheek"],
    }


def _punch_data(session):
    return {
        "technique": "elevation",
        "punch_diameter_mm": "2.0",
        "closure": "adhesive_strips",
        "scars_treated": "3",
        "regions": ["left_cheek"],
    }


def _subcision_data(session):
    return {"instrument": "nokor", "gauge": "18", "regions": ["left_cheek"]}


def _filler_data(session):
    return {
        "product": "Restylane",
        "material": "hyaluronic_acid",
        "lot_number": "AB123",
        "expiry_date": (timezone.localdate() + dt.timedelta(days=365)).isoformat(),
        "volume_ml": "0.5",
        "device": "needle",
        "gauge": "30",
        "depth": "intradermal",
        "technique": "serial_puncture",
        "regions": ["left_cheek"],
    }


def _peel_data(session):
    return {
        "agent": "glycolic",
        "concentration_percent": "35",
        "contact_time_minutes": "3",
        "frost_level": "0",
        "neutralised": "on",
        "regions": ["forehead"],
    }


def _adverse_event_data(session):
    return {
        "event_type": "prolonged_erythema",
        "severity": "mild",
        "onset_on": session.performed_on.isoformat(),
    }


def _topical_data(session):
    return {
        "agent": "adapalene",
        "strength_percent": "0.3",
        "frequency": "nightly",
        "started_on": (timezone.localdate() - dt.timedelta(days=30)).isoformat(),
    }


def _skin_test_data(session):
    return {
        "product": "Bellafill",
        "material": "pmma_collagen",
        "tested_on": (timezone.localdate() - dt.timedelta(days=30)).isoformat(),
        "read_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        "result": "negative",
    }


def _session_data(session):
    performed_at = timezone.localtime() - dt.timedelta(hours=1)
    return {
        "performed_at": performed_at.strftime("%Y-%m-%dT%H:%M"),
        "clinician": str(session.clinician.pk),
        "consent_confirmed": "on",
        "anaesthesia": "topical",
    }


def _procedure_form(form_class, model):
    # In the app these forms are bound inside an inline formset, which sets the session.
    return lambda data, session: form_class(data=data, instance=model(session=session))


# form class -> (valid data for the session, how the view binds the form)
FORM_SETUP: dict[type, tuple[Callable, Callable]] = {
    CrossForm: (_cross_data, _procedure_form(CrossForm, CrossProcedure)),
    LaserForm: (_laser_data, _procedure_form(LaserForm, LaserProcedure)),
    PunchForm: (_punch_data, _procedure_form(PunchForm, PunchProcedure)),
    SubcisionForm: (_subcision_data, _procedure_form(SubcisionForm, SubcisionProcedure)),
    FillerForm: (_filler_data, _procedure_form(FillerForm, FillerProcedure)),
    PeelForm: (_peel_data, _procedure_form(PeelForm, PeelProcedure)),
    AdverseEventForm: (
        _adverse_event_data,
        lambda data, session: AdverseEventForm(data=data, session=session),
    ),
    TopicalRegimenForm: (
        _topical_data,
        lambda data, session: TopicalRegimenForm(data=data, patient=session.patient),
    ),
    SkinTestForm: (
        _skin_test_data,
        lambda data, session: SkinTestForm(data=data, patient=session.patient),
    ),
    SessionForm: (
        _session_data,
        lambda data, session: SessionForm(
            data=data, patient=session.patient, user=session.clinician
        ),
    ),
}


@dataclass(frozen=True)
class FormCase:
    form_class: type
    label: str
    changes: dict[str, Any]  # values may be functions of the saved session
    # For invalid cases: the field the error belongs to, and the text expected in it.
    field: str = ""
    field_message: str = ""  # empty: any message on the field will do
    # A CheckConstraint may instead be reported by Django as a non-field error, naming the
    # constraint (or giving its violation_error_message). None: it must be on the field.
    non_field_message: str | None = None
    marks: tuple = ()

    def param(self) -> Any:
        return pytest.param(self, id=f"{self.form_class.__name__}:{self.label}", marks=self.marks)


def out_of_range(form_class, field_name: str, value: str, constraint: str) -> FormCase:
    return FormCase(
        form_class,
        f"{field_name}={value}",
        {field_name: value},
        field=field_name,
        non_field_message=constraint,
    )


def broken_rule(form_class, label: str, changes: dict, field_name: str, message: str) -> FormCase:
    return FormCase(form_class, label, changes, field=field_name, field_message=message)


def _day_before_session(session):
    return (session.performed_on - DAY).isoformat()


def _session_day(session):
    return session.performed_on.isoformat()


def _day_before_test(session):
    return (timezone.localdate() - dt.timedelta(days=31)).isoformat()


def _test_day(session):
    return (timezone.localdate() - dt.timedelta(days=30)).isoformat()


INVALID_FORMS = [
    out_of_range(CrossForm, "tca_concentration_percent", "49.9", "cross_tca_50_to_100"),
    out_of_range(CrossForm, "tca_concentration_percent", "100.1", "cross_tca_50_to_100"),
    FormCase(
        LaserForm,
        "other laser at 189 nm",
        {"laser_type": "other", "wavelength_nm": "189"},
        field="wavelength_nm",
        non_field_message="laser_wavelength_190_to_11000",
    ),
    FormCase(
        LaserForm,
        "other laser at 11001 nm",
        {"laser_type": "other", "wavelength_nm": "11001"},
        field="wavelength_nm",
        non_field_message="laser_wavelength_190_to_11000",
    ),
    broken_rule(
        LaserForm,
        "fractional CO2 at 2940 nm",
        {"wavelength_nm": "2940"},
        "wavelength_nm",
        "A fractional co2 laser emits 10,600 nm.",
    ),
    broken_rule(
        LaserForm,
        "non-ablative fractional at 1064 nm",
        {"laser_type": "non_ablative_fractional", "wavelength_nm": "1064"},
        "wavelength_nm",
        "emits 1,540, 1,550 or 1,927 nm.",
    ),
    broken_rule(
        LaserForm,
        "picosecond at 1550 nm",
        {"laser_type": "picosecond", "wavelength_nm": "1550"},
        "wavelength_nm",
        "emits 532, 755 or 1,064 nm.",
    ),
    out_of_range(LaserForm, "pulse_energy_mj", "0", "laser_energy_positive"),
    out_of_range(LaserForm, "pulse_energy_mj", "1000.1", "laser_energy_positive"),
    out_of_range(LaserForm, "fluence_j_cm2", "0", "laser_fluence_positive"),
    out_of_range(LaserForm, "fluence_j_cm2", "500.01", "laser_fluence_positive"),
    out_of_range(LaserForm, "density_percent", "0", "laser_density_above_0_to_100"),
    out_of_range(LaserForm, "density_percent", "100.1", "laser_density_above_0_to_100"),
    out_of_range(LaserForm, "spot_size_mm", "0", "laser_spot_positive"),
    out_of_range(LaserForm, "spot_size_mm", "50.1", "laser_spot_positive"),
    out_of_range(LaserForm, "passes", "0", "laser_passes_1_to_20"),
    out_of_range(LaserForm, "passes", "21", "laser_passes_1_to_20"),
    out_of_range(PunchForm, "punch_diameter_mm", "0.9", "punch_diameter_1_to_4_mm"),
    out_of_range(PunchForm, "punch_diameter_mm", "4.1", "punch_diameter_1_to_4_mm"),
    broken_rule(
        PunchForm,
        "graft without donor site",
        {"technique": "graft", "graft_donor_site": "  "},
        "graft_donor_site",
        "A punch graft needs its donor site.",
    ),
    broken_rule(
        PunchForm,
        "sutures without material",
        {"closure": "sutures", "suture_size": "6-0", "suture_material": ""},
        "suture_material",
        "Record the suture material.",
    ),
    out_of_range(SubcisionForm, "gauge", "13", "subcision_gauge_14_to_34"),
    out_of_range(SubcisionForm, "gauge", "35", "subcision_gauge_14_to_34"),
    out_of_range(FillerForm, "volume_ml", "0", "filler_volume_positive"),
    out_of_range(FillerForm, "volume_ml", "20.01", "filler_volume_positive"),
    broken_rule(FillerForm, "blank product", {"product": ""}, "product", "required"),
    broken_rule(FillerForm, "whitespace product", {"product": "   "}, "product", "required"),
    broken_rule(FillerForm, "blank lot", {"lot_number": ""}, "lot_number", "required"),
    out_of_range(FillerForm, "gauge", "13", "filler_gauge_14_to_34"),
    out_of_range(FillerForm, "gauge", "35", "filler_gauge_14_to_34"),
    *(
        broken_rule(
            PeelForm,
            f"{agent} {value} %",
            {"agent": agent, "concentration_percent": value},
            "concentration_percent",
            f"peels are {span}",
        )
        for agent, value, span in [
            ("glycolic", "19.9", "20-70 %"),
            ("glycolic", "70.1", "20-70 %"),
            ("lactic", "9.9", "10-92 %"),
            ("lactic", "92.1", "10-92 %"),
            ("salicylic", "19.9", "20-30 %"),
            ("salicylic", "30.1", "20-30 %"),
            ("pyruvic", "39.9", "40-70 %"),
            ("pyruvic", "70.1", "40-70 %"),
            ("tca", "9.9", "10-70 %"),
            ("tca", "70.1", "10-70 %"),
            ("combination", "50.1", "10-50 %"),
        ]
    ),
    broken_rule(
        PeelForm,
        "Jessner's with a concentration",
        {"agent": "jessner", "concentration_percent": "14", "coats": "2"},
        "concentration_percent",
        "Jessner's solution is a fixed formula",
    ),
    broken_rule(
        PeelForm,
        "Jessner's without coats",
        {"agent": "jessner", "concentration_percent": "", "coats": ""},
        "coats",
        "Record the number of coats",
    ),
    broken_rule(
        FillerForm,
        "PLLA without reconstitution volume",
        {"material": "plla", "reconstitution_ml": ""},
        "reconstitution_ml",
        "reconstituted with",
    ),
    out_of_range(FillerForm, "reconstitution_ml", "0.9", "filler_reconstitution_1_to_20_ml"),
    out_of_range(FillerForm, "reconstitution_ml", "20.1", "filler_reconstitution_1_to_20_ml"),
    out_of_range(PeelForm, "coats", "0", "peel_coats_1_to_10"),
    out_of_range(PeelForm, "coats", "11", "peel_coats_1_to_10"),
    out_of_range(PeelForm, "contact_time_minutes", "-0.1", "peel_contact_0_to_60_min"),
    out_of_range(PeelForm, "contact_time_minutes", "60.1", "peel_contact_0_to_60_min"),
    out_of_range(PeelForm, "contact_time_minutes", "61", "peel_contact_0_to_60_min"),
    broken_rule(PeelForm, "frost_level=4", {"frost_level": "4"}, "frost_level", "valid choice"),
    broken_rule(
        PeelForm,
        "TCA without concentration",
        {"agent": "tca", "concentration_percent": ""},
        "concentration_percent",
        "Record the Trichloroacetic acid (TCA) strength.",
    ),
    FormCase(
        AdverseEventForm,
        "resolved before onset",
        {"resolved_on": _day_before_session},
        field="resolved_on",
        non_field_message="An event cannot resolve before it began.",
    ),
    broken_rule(
        AdverseEventForm,
        "onset before the session",
        {"onset_on": _day_before_session},
        "onset_on",
        "Onset cannot be before the session.",
    ),
    out_of_range(TopicalRegimenForm, "strength_percent", "0", "topical_strength_0_to_100"),
    out_of_range(TopicalRegimenForm, "strength_percent", "-0.01", "topical_strength_0_to_100"),
    FormCase(
        SkinTestForm,
        "read before placed",
        {"read_on": _day_before_test},
        field="read_on",
        non_field_message="A skin test is read after it is placed.",
    ),
    broken_rule(
        SessionForm,
        "consent not confirmed",
        {"consent_confirmed": ""},
        "consent_confirmed",
        "Confirm the patient's consent",
    ),
]

VALID_FORMS = [
    FormCase(CrossForm, "tca=50", {"tca_concentration_percent": "50"}),
    FormCase(CrossForm, "tca=100", {"tca_concentration_percent": "100"}),
    FormCase(LaserForm, "other laser 190 nm", {"laser_type": "other", "wavelength_nm": "190"}),
    FormCase(LaserForm, "other laser 11000 nm", {"laser_type": "other", "wavelength_nm": "11000"}),
    *(
        FormCase(
            LaserForm,
            f"{kind['laser_type']} at {nm} nm",
            {**kind, "wavelength_nm": str(nm)},
        )
        for kind, nm in RIGHT_WAVELENGTHS
    ),
    FormCase(LaserForm, "energy=0.1", {"pulse_energy_mj": "0.1"}),
    FormCase(LaserForm, "energy=1000", {"pulse_energy_mj": "1000"}),
    FormCase(LaserForm, "energy blank", {"pulse_energy_mj": ""}),
    FormCase(LaserForm, "fluence=0.01", {"fluence_j_cm2": "0.01"}),
    FormCase(LaserForm, "fluence=500", {"fluence_j_cm2": "500"}),
    FormCase(LaserForm, "density=0.1", {"density_percent": "0.1"}),
    FormCase(LaserForm, "density=100", {"density_percent": "100"}),
    FormCase(LaserForm, "spot=0.1", {"spot_size_mm": "0.1"}),
    FormCase(LaserForm, "spot=50", {"spot_size_mm": "50"}),
    FormCase(LaserForm, "passes=1", {"passes": "1"}),
    FormCase(LaserForm, "passes=20", {"passes": "20"}),
    FormCase(PunchForm, "diameter=1.0", {"punch_diameter_mm": "1.0"}),
    FormCase(PunchForm, "diameter=4.0", {"punch_diameter_mm": "4.0"}),
    FormCase(
        PunchForm,
        "graft with donor site",
        {"technique": "graft", "graft_donor_site": "post-auricular"},
    ),
    FormCase(
        PunchForm,
        "sutures with material",
        {"closure": "sutures", "suture_size": "6-0", "suture_material": "polypropylene"},
    ),
    FormCase(SubcisionForm, "gauge=14", {"gauge": "14"}),
    FormCase(SubcisionForm, "gauge=34", {"gauge": "34"}),
    FormCase(SubcisionForm, "gauge blank", {"gauge": ""}),
    FormCase(FillerForm, "volume=0.01", {"volume_ml": "0.01"}),
    FormCase(FillerForm, "volume=20", {"volume_ml": "20"}),
    FormCase(FillerForm, "gauge=14", {"gauge": "14"}),
    FormCase(FillerForm, "gauge=34", {"gauge": "34"}),
    *(
        FormCase(
            PeelForm,
            f"{a['agent']} {v} %",
            {
                **{k: "" if x is None else str(x) for k, x in a.items()},
                "concentration_percent": "" if v is None else str(v),
            },
        )
        for a, v in PEEL_INSIDE
    ),
    FormCase(
        FillerForm,
        "PLLA reconstituted in 8 mL",
        {"material": "plla", "reconstitution_ml": "8"},
    ),
    FormCase(FillerForm, "reconstitution=1", {"material": "plla", "reconstitution_ml": "1"}),
    FormCase(FillerForm, "reconstitution=20", {"material": "plla", "reconstitution_ml": "20"}),
    FormCase(PeelForm, "coats=1", {"coats": "1"}),
    FormCase(PeelForm, "coats=10", {"coats": "10"}),
    FormCase(PeelForm, "contact=0", {"contact_time_minutes": "0"}),
    FormCase(PeelForm, "contact=60", {"contact_time_minutes": "60"}),
    FormCase(PeelForm, "frost=0", {"frost_level": "0"}),
    FormCase(PeelForm, "frost=3", {"frost_level": "3"}),
    FormCase(PeelForm, "TCA 35 %", {"agent": "tca", "concentration_percent": "35"}),
    FormCase(AdverseEventForm, "resolved on onset day", {"resolved_on": _session_day}),
    FormCase(AdverseEventForm, "onset on session day", {"onset_on": _session_day}),
    FormCase(TopicalRegimenForm, "strength=0.01", {"strength_percent": "0.01"}),
    FormCase(TopicalRegimenForm, "strength=99.99", {"strength_percent": "99.99"}),
    FormCase(
        TopicalRegimenForm,
        "strength=100",
        {"strength_percent": "100"},
    ),
    FormCase(SkinTestForm, "read on placing day", {"read_on": _test_day}),
    FormCase(SessionForm, "consent confirmed", {"consent_confirmed": "on"}),
]


@pytest.fixture
def session(dermatologist, patient):
    return TreatmentSessionFactory(patient=patient, clinician=dermatologist)


def bound_form(case: FormCase, session):
    data_for, bind = FORM_SETUP[case.form_class]
    changes = {k: v(session) if callable(v) else v for k, v in case.changes.items()}
    return bind(data_for(session) | changes, session)


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", list(FORM_SETUP), ids=lambda c: c.__name__)
def test_form_is_valid_with_the_baseline_data(form_class, session):
    form = bound_form(FormCase(form_class, "baseline", {}), session)
    assert form.is_valid(), form.errors.as_data()


@pytest.mark.django_db
@pytest.mark.parametrize("case", [c.param() for c in INVALID_FORMS])
def test_form_refuses_value_outside_the_range(case: FormCase, session):
    form = bound_form(case, session)

    assert not form.is_valid()
    if case.field in form.errors:
        assert any(case.field_message in m for m in form.errors[case.field]), form.errors
    else:
        assert case.non_field_message is not None, form.errors.as_data()
        non_field = form.errors.get(NON_FIELD_ERRORS, [])
        assert any(case.non_field_message in m for m in non_field), form.errors.as_data()


@pytest.mark.django_db
@pytest.mark.parametrize("case", [c.param() for c in VALID_FORMS])
def test_form_accepts_boundary_value(case: FormCase, session):
    form = bound_form(case, session)

    assert form.is_valid(), form.errors.as_data()
