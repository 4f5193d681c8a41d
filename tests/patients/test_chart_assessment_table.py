"""A long-assessed patient's chart: the table shows the baseline and the latest visits (all on
request); the trend charts keep every point."""

import datetime as dt

import pytest

from patients.views import ASSESSMENT_ROWS_SHOWN
from tests.factories import ScarAssessmentFactory

pytestmark = pytest.mark.django_db


def test_the_table_shows_the_baseline_and_the_latest_visits(derm_client, dermatologist, patient):
    count = ASSESSMENT_ROWS_SHOWN + 3
    made = [
        ScarAssessmentFactory(
            patient=patient, assessor=dermatologist,
            assessed_on=dt.date(2024, 1, 1) + dt.timedelta(days=30 * n),
        )
        for n in range(count)
    ]  # fmt: skip
    response = derm_client.get(f"/patients/{patient.pk}/", {"tab": "progress"})
    shown = [row.assessment for row in response.context["progress_shown"]]
    assert shown == [made[0], *made[-(ASSESSMENT_ROWS_SHOWN - 1) :]]
    assert len(response.context["progress"]) == count
    assert len(response.context["trend_panels"][0].dots) == count
    assert "3 more visits: show all" in response.content.decode()

    everything = derm_client.get(
        f"/patients/{patient.pk}/", {"tab": "progress", "assessments": "all"}
    )
    assert len(everything.context["progress_shown"]) == count
    assert "show all" not in everything.content.decode().split("assessments-table")[1]
