"""The progress timeline on the chart and the one-page progress summary."""

import datetime as dt

import pytest
from django.utils import timezone

from patients.models import AccessLog
from tests.conftest import client_for
from tests.factories import ScarAssessmentFactory
from tests.treatments.factories import (
    AdverseEventFactory,
    ClinicalPhotoFactory,
    TopicalRegimenFactory,
    TreatmentSessionFactory,
    cross,
    subcision,
)

pytestmark = pytest.mark.django_db


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def history(patient, clinician, *, sessions: int = 2, start=dt.date(2026, 1, 5)):
    """Assessments a month apart, alternating CROSS and CROSS + subcision sessions."""
    for n in range(sessions + 2):
        ScarAssessmentFactory(
            patient=patient,
            assessor=clinician,
            assessed_on=start + dt.timedelta(days=35 * n),
            grid={("left_cheek", "ice_pick"): max(12 - 3 * n, 0), ("left_cheek", "rolling"): 6},
        )
    made = []
    for n in range(sessions):
        procedures = [cross()] if n % 2 == 0 else [cross(), subcision()]
        made.append(
            TreatmentSessionFactory(
                patient=patient,
                clinician=clinician,
                performed_at=at(start + dt.timedelta(days=35 * n)),
                procedures=procedures,
            )
        )
    return made


def outcomes_panel(response):
    return next(p for p in response.context["panels"] if p.name == "outcomes").context


def test_chart_timeline_draws_sessions_by_modality_with_summary_and_link(
    derm_client, dermatologist, patient
):
    _first, combo = history(patient, dermatologist)
    ClinicalPhotoFactory(patient=patient, taken_on=dt.date(2026, 1, 5))
    response = derm_client.get(f"/patients/{patient.pk}/?tab=progress")
    html = response.content.decode()
    panel = outcomes_panel(response)
    timeline = panel["timeline"]
    assert [len(s.marks) for s in timeline.sessions] == [1, 2]
    assert [m.modality for m in timeline.sessions[1].marks] == ["cross", "subcision"]
    assert f'href="/treatments/sessions/{combo.pk}/"' in html
    assert "TCA 100 %" in timeline.sessions[0].summary
    assert 'data-modality="subcision"' in html
    assert 'data-legend-modality="cross"' in html
    assert len(timeline.photos) == 1
    # Ice pick count from the grid: 12, 9, 6, 3.
    ice = timeline.panels[2].lines[0]
    assert [p.value for p in ice.points] == [12, 9, 6, 3]
    assert 'id="timeline-table"' in html
    # Response per modality: CROSS before 5 Jan (12 ice pick) and at 13 Apr (3).
    label, cross_response = panel["responses"][0]
    assert label == "CROSS (TCA)"
    ice_change = next(c for c in cross_response.changes if c.key == "ice_pick")
    assert (ice_change.before, ice_change.after) == (12, 3)


def test_superseded_same_day_assessment_is_not_plotted(derm_client, dermatologist, patient):
    day = dt.date(2026, 1, 5)
    ScarAssessmentFactory(patient=patient, assessor=dermatologist, assessed_on=day, grid={})
    ScarAssessmentFactory(
        patient=patient,
        assessor=dermatologist,
        assessed_on=day,
        grid={("left_cheek", "ice_pick"): 4},
    )
    panel = outcomes_panel(derm_client.get(f"/patients/{patient.pk}/?tab=progress"))
    assert [p.value for p in panel["timeline"].panels[2].lines[0].points] == [4]


def test_front_desk_chart_has_no_timeline(desk_client, patient):
    for tab in ("summary", "progress", "treatments"):
        response = desk_client.get(f"/patients/{patient.pk}/?tab={tab}")
        assert all(p.name != "outcomes" for p in response.context["panels"])
        assert response.context["tab"] == "summary"


# ---------------------------------------------------------------------------------------------
# Progress summary
# ---------------------------------------------------------------------------------------------


def summary_url(patient) -> str:
    return f"/treatments/patients/{patient.pk}/progress-summary/"


def test_summary_anonymous_redirected_to_sign_in(client, patient):
    response = client.get(summary_url(patient))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_summary_front_desk_refused(desk_client, patient):
    assert desk_client.get(summary_url(patient)).status_code == 403


def test_summary_dermatologist_sees_it_and_it_is_logged_as_printed(
    derm_client, dermatologist, patient
):
    first, combo = history(patient, dermatologist)
    AdverseEventFactory(session=first, event_type="pih")
    TopicalRegimenFactory(patient=patient)
    before = ClinicalPhotoFactory(patient=patient, taken_on=dt.date(2026, 1, 5))
    after = ClinicalPhotoFactory(patient=patient, taken_on=dt.date(2026, 4, 13))
    ClinicalPhotoFactory(patient=patient, taken_on=dt.date(2026, 2, 1), view="left_oblique")
    response = derm_client.get(summary_url(patient))
    assert response.status_code == 200
    html = response.content.decode()
    assert patient.mrn in html
    assert response.context["photo_pair"] == (before, after)
    assert f"/treatments/photos/{before.pk}/file/display.jpg" in html
    assert "Hyperpigmentation (PIH)" in html
    assert "Adapalene" in html
    changes = {c.key: c for c in response.context["changes"]}
    assert (changes["ice_pick"].before, changes["ice_pick"].after) == (12, 3)
    assert dict(response.context["by_modality"])["Subcision"] == [combo.performed_on]
    assert response.context["next_due"] == combo.next_session_due
    log = AccessLog.objects.filter(action=AccessLog.Action.PRINT).get()
    assert log.patient == patient
    assert log.user == dermatologist


def test_summary_clinic_admin_sees_it(clinic_admin, patient):
    assert client_for(clinic_admin).get(summary_url(patient)).status_code == 200


def test_summary_with_no_records(derm_client, patient):
    response = derm_client.get(summary_url(patient))
    assert response.status_code == 200
    assert b"No assessment recorded" in response.content


def summary_queries(client, patient, django_assert_max_num_queries, budget):
    with django_assert_max_num_queries(budget):
        assert client.get(summary_url(patient)).status_code == 200


# Session, user, permissions with the role badge (one query); patient; assessments (1); sessions
# (1) and one per modality (6); adverse events; topicals; frontal photos; access-log insert.
SUMMARY_QUERIES = 17


def test_summary_query_count_is_flat(
    derm_client, dermatologist, patient, django_assert_max_num_queries
):
    history(patient, dermatologist, sessions=1)
    summary_queries(derm_client, patient, django_assert_max_num_queries, SUMMARY_QUERIES)
    history(patient, dermatologist, sessions=8, start=dt.date(2025, 1, 1))
    summary_queries(derm_client, patient, django_assert_max_num_queries, SUMMARY_QUERIES)


# ----------------------------------------------------------------------------------------------
# The chart's timeline covers the last year; the whole history on request
# ----------------------------------------------------------------------------------------------


def test_timeline_window_is_the_year_before_the_latest_event():
    from treatments.panels import timeline_window

    days = [dt.date(2023, 1, 1), dt.date(2025, 6, 1)]
    assert timeline_window(days, whole=False) == dt.date(2024, 6, 1)
    assert timeline_window(days, whole=True) is None
    # A history that fits in the year is shown whole.
    assert timeline_window([dt.date(2025, 1, 1), dt.date(2025, 6, 1)], whole=False) is None
    assert timeline_window([], whole=False) is None


def test_chart_timeline_shows_the_last_year_and_the_response_uses_all_history(
    derm_client, dermatologist, patient
):
    # Six sessions 35 days apart from 2024, then two in 2026: the window drops the early ones.
    early = history(patient, dermatologist, sessions=6, start=dt.date(2024, 1, 8))
    late = history(patient, dermatologist, sessions=2, start=dt.date(2026, 1, 5))
    response = derm_client.get(f"/patients/{patient.pk}/?tab=progress")
    panel = outcomes_panel(response)
    html = response.content.decode()
    assert panel["since"] == dt.date(2025, 4, 20)  # a year before the last assessment
    assert len(panel["timeline"].sessions) == len(late)
    assert "data-timeline-window" in html and "?tab=progress&amp;timeline=all#outcomes" in html
    assert f'href="/treatments/sessions/{early[0].pk}/"' not in html
    # The response per modality counts every CROSS session, the early ones included.
    _label, cross_response = panel["responses"][0]
    assert cross_response.sessions == len(early) + len(late)
    assert cross_response.first_day == dt.date(2024, 1, 8)
    # The treatments tab still lists the newest sessions, from before the window too.
    on_tab = derm_client.get(f"/patients/{patient.pk}/?tab=treatments")
    treatments = next(p for p in on_tab.context["panels"] if p.name == "treatments").context
    assert [s.pk for s in treatments["sessions"]] == [s.pk for s in (early + late)[::-1]]

    whole = outcomes_panel(derm_client.get(f"/patients/{patient.pk}/?tab=progress&timeline=all"))
    assert whole["since"] is None and whole["whole"]
    assert len(whole["timeline"].sessions) == len(early) + len(late)
