import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.treatments.factories import (
    AdverseEventFactory,
    SkinTestFactory,
    TopicalRegimenFactory,
    TreatmentSessionFactory,
    cross,
    subcision,
)
from treatments.models import LaserProcedure, PeelProcedure


def laser() -> LaserProcedure:
    return LaserProcedure(
        device_name="eCO2",
        laser_type="fractional_co2",
        wavelength_nm=10600,
        pulse_energy_mj=Decimal(15),
        density_percent=Decimal(12),
        passes=2,
    )


def peel() -> PeelProcedure:
    return PeelProcedure(agent="glycolic", concentration_percent=Decimal(35), frost_level=0)


# Fresh instances per session: a procedure row belongs to one session.
MIXES = [
    lambda: [cross()],
    lambda: [cross(), subcision()],
    lambda: [laser()],
    lambda: [peel()],
    lambda: [subcision()],
]

# The chart's treatment sections read, whatever the number of sessions:
#  1   every session's modalities (one UNION)      2   the timeline's sessions with clinicians
#  3   referral letters                           4   adverse events of the listed sessions
#  5   topicals                                   6   skin tests
#  7   the scar register's scars (none here, so nothing more)
# and one query per modality the timeline's sessions have (at most six); the treatment section
# lists the newest of the sessions the timeline loaded.
TREATMENT_QUERIES = 7


def chart_queries(client, patient) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/patients/{patient.pk}/").status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def add_sessions(patient, clinician, count: int, start: dt.datetime) -> None:
    for n in range(count):
        session = TreatmentSessionFactory(
            patient=patient,
            clinician=clinician,
            performed_at=start + dt.timedelta(days=21 * n),
            procedures=MIXES[n % len(MIXES)](),
        )
        if n % 4 == 0:
            AdverseEventFactory(session=session)


def treatment_queries(queries: list[str]) -> list[str]:
    return [
        sql
        for sql in queries
        if '"treatments_' in sql.split(" WHERE ")[0] or "FROM treatments_" in sql
        if "clinicalphoto" not in sql
    ]


def test_chart_timeline_query_count_is_flat_from_1_to_30_mixed_sessions(
    derm_client, dermatologist, patient
):
    TopicalRegimenFactory(patient=patient)
    SkinTestFactory(patient=patient)
    add_sessions(patient, dermatologist, 5, timezone.now() - dt.timedelta(days=800))
    with_five = chart_queries(derm_client, patient)
    add_sessions(patient, dermatologist, 25, timezone.now() - dt.timedelta(days=600))
    with_thirty = chart_queries(derm_client, patient)

    # The same four modalities (CROSS, subcision, laser, peel) in both: the same queries.
    assert len(with_thirty) == len(with_five)
    assert len(treatment_queries(with_thirty)) == TREATMENT_QUERIES + 4
    response = derm_client.get(f"/patients/{patient.pk}/")
    panel = next(p for p in response.context["panels"] if p.name == "treatments").context
    assert len(panel["sessions"]) == 10
    everything = derm_client.get(f"/patients/{patient.pk}/?sessions=all&timeline=all")
    panel = next(p for p in everything.context["panels"] if p.name == "treatments").context
    assert len(panel["sessions"]) == 30


def test_chart_reads_only_the_procedure_tables_of_modalities_given(
    derm_client, dermatologist, patient
):
    add_sessions(patient, dermatologist, 1, timezone.now() - dt.timedelta(days=30))
    cross_only = treatment_queries(chart_queries(derm_client, patient))
    assert len(cross_only) == TREATMENT_QUERIES + 1
    assert any("treatments_crossprocedure" in sql.split(" WHERE ")[0] for sql in cross_only)
    assert not any("treatments_laserprocedure" in sql.split(" WHERE ")[0] for sql in cross_only)
