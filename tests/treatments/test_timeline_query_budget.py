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

# The treatment section of the chart reads, whatever the number of sessions:
#  1   sessions with their clinicians      2-7 one query per modality (6)
#  8   adverse events                      9   topicals
# 10   skin tests
# The progress timeline (outcomes panel) adds, whatever the number of sessions:
# 11   sessions with their clinicians (oldest first)   12-17 one query per modality (6)
# 18   referral letters
# The scar register section adds 19: the scars (none here, so nothing more).
TREATMENT_QUERIES = 19


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


def test_chart_timeline_query_count_is_flat_from_1_to_30_mixed_sessions(
    derm_client, dermatologist, patient
):
    TopicalRegimenFactory(patient=patient)
    SkinTestFactory(patient=patient)
    add_sessions(patient, dermatologist, 1, timezone.now() - dt.timedelta(days=800))
    with_one = chart_queries(derm_client, patient)
    add_sessions(patient, dermatologist, 29, timezone.now() - dt.timedelta(days=700))
    with_thirty = chart_queries(derm_client, patient)

    assert len(with_thirty) == len(with_one)
    treatment_queries = [
        sql
        for sql in with_thirty
        if '"treatments_' in sql.split(" WHERE ")[0] and "clinicalphoto" not in sql
    ]
    assert len(treatment_queries) == TREATMENT_QUERIES
    response = derm_client.get(f"/patients/{patient.pk}/")
    panel = next(p for p in response.context["panels"] if p.name == "treatments").context
    assert len(panel["sessions"]) == 30
