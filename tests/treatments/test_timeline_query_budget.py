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

# What each tab of the chart reads of the treatment tables, whatever the number of sessions:
# - progress: every session's modalities (one UNION), the timeline's sessions with clinicians,
#   referral letters, and one query per modality the timeline's sessions have (at most six);
# - treatments: the newest sessions with clinicians and each one's modalities (a subquery), one
#   query per modality those sessions have (at most six), adverse events of the listed sessions,
#   topicals, skin tests;
# - summary: the latest session with its modalities and the total (plain SQL), and the adverse
#   events of that session and any still ongoing.
PROGRESS_QUERIES = 3
TREATMENTS_QUERIES = 4  # and one per modality the listed sessions have
SUMMARY_QUERIES = 2


def chart_queries(client, patient, tab: str = "progress") -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/patients/{patient.pk}/?tab={tab}").status_code == 200
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
    tabs = ("summary", "progress", "treatments")
    add_sessions(patient, dermatologist, 5, timezone.now() - dt.timedelta(days=800))
    with_five = {tab: chart_queries(derm_client, patient, tab) for tab in tabs}
    add_sessions(patient, dermatologist, 25, timezone.now() - dt.timedelta(days=600))
    with_thirty = {tab: chart_queries(derm_client, patient, tab) for tab in tabs}

    # The same four modalities (CROSS, subcision, laser, peel) in both: the same queries.
    assert {tab: len(q) for tab, q in with_thirty.items()} == {
        tab: len(q) for tab, q in with_five.items()
    }
    assert len(treatment_queries(with_thirty["progress"])) == PROGRESS_QUERIES + 4
    assert len(treatment_queries(with_thirty["treatments"])) == TREATMENTS_QUERIES + 4
    assert len(treatment_queries(with_thirty["summary"])) == SUMMARY_QUERIES
    response = derm_client.get(f"/patients/{patient.pk}/?tab=treatments")
    panel = next(p for p in response.context["panels"] if p.name == "treatments").context
    assert len(panel["sessions"]) == 10
    everything = derm_client.get(f"/patients/{patient.pk}/?tab=treatments&sessions=all")
    panel = next(p for p in everything.context["panels"] if p.name == "treatments").context
    assert len(panel["sessions"]) == 30
    summary = derm_client.get(f"/patients/{patient.pk}/")
    latest = next(p for p in summary.context["panels"] if p.name == "latest_session").context
    assert latest["total"] == 30
    assert latest["latest"].pk == panel["sessions"][0].pk


def test_chart_reads_only_the_procedure_tables_of_modalities_given(
    derm_client, dermatologist, patient
):
    add_sessions(patient, dermatologist, 1, timezone.now() - dt.timedelta(days=30))
    cross_only = treatment_queries(chart_queries(derm_client, patient, "progress"))
    assert len(cross_only) == PROGRESS_QUERIES + 1
    assert any("treatments_crossprocedure" in sql.split(" WHERE ")[0] for sql in cross_only)
    assert not any("treatments_laserprocedure" in sql.split(" WHERE ")[0] for sql in cross_only)


def test_the_treatments_tab_reads_only_the_procedure_tables_its_sessions_use(
    derm_client, dermatologist, patient
):
    add_sessions(patient, dermatologist, 1, timezone.now() - dt.timedelta(days=30))
    cross_only = treatment_queries(chart_queries(derm_client, patient, "treatments"))
    assert len(cross_only) == TREATMENTS_QUERIES + 1
    assert any("treatments_crossprocedure" in sql.split(" WHERE ")[0] for sql in cross_only)
    assert not any("treatments_laserprocedure" in sql.split(" WHERE ")[0] for sql in cross_only)
    response = derm_client.get(f"/patients/{patient.pk}/?tab=treatments")
    panel = next(p for p in response.context["panels"] if p.name == "treatments").context
    assert [m.value for m in panel["sessions"][0].modalities()] == ["cross"]
