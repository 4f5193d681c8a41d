import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from patients.services import assessment_amend
from tests.factories import PhotoConsentFactory, ScarAssessmentFactory

# The chart's progress tab as a dermatologist sees it, scores and trend included (the other tabs
# are counted in test_query_budget.py; what matters here is that this number is the same for 1
# and 40 assessments):
#  1. session
#  2. signed-in user with user and group permissions and the role badge's groups (one query)
#  3. patient          4. access-log insert (the tab shows no photo consents: not read)
#  5. assessments with assessors and ice pick counts (the table, all three trend panels and
#     the progress timeline's scores)
#  6-9. progress timeline: sessions' modalities, sessions (none), photo days, letters
CHART_QUERIES = 9
PROGRESS = "?tab=progress"


@pytest.mark.parametrize("assessments", [1, 40])
def test_chart_query_count_is_flat_from_1_to_40_assessments(
    derm_client, dermatologist, patient, django_assert_num_queries, assessments
):
    PhotoConsentFactory(patient=patient)
    start = dt.date(2023, 1, 1)
    for n in range(assessments):
        ScarAssessmentFactory(
            patient=patient,
            assessor=dermatologist,
            assessed_on=start + dt.timedelta(days=21 * n),
            grid={("left_cheek", "ice_pick"): max(0, 30 - n)},
        )
    with django_assert_num_queries(CHART_QUERIES):
        response = derm_client.get(f"/patients/{patient.pk}/{PROGRESS}")
    assert response.status_code == 200
    assert len(response.context["progress"]) == assessments
    assert len(response.context["trend_panels"][0].dots) == assessments


def test_same_day_assessments_cost_no_extra_query(
    derm_client, dermatologist, patient, django_assert_num_queries
):
    # Superseded assessments are marked by a subquery inside query 6, not by a query of their own.
    PhotoConsentFactory(patient=patient)
    for n in range(6):
        ScarAssessmentFactory(
            patient=patient,
            assessor=dermatologist,
            assessed_on=dt.date(2023, 1, 1) + dt.timedelta(days=21 * (n // 2)),
            grid={("left_cheek", "ice_pick"): 30 - n},
        )
    with django_assert_num_queries(CHART_QUERIES):
        response = derm_client.get(f"/patients/{patient.pk}/{PROGRESS}")
    assert [row.is_superseded for row in response.context["progress"]] == [True, False] * 3
    assert len(response.context["trend_panels"][0].dots) == 3


def test_superseded_assessment_page_costs_what_any_assessment_page_costs(
    derm_client, dermatologist, patient
):
    first = ScarAssessmentFactory(patient=patient, assessor=dermatologist)
    second = ScarAssessmentFactory(patient=patient, assessor=dermatologist)

    def queries_for(assessment) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert derm_client.get(f"/patients/assessments/{assessment.pk}/").status_code == 200
        return len(captured)

    assert queries_for(first) == queries_for(second)


def test_assessment_page_query_count_does_not_grow_with_amendments(
    derm_client, dermatologist, patient
):
    assessment = ScarAssessmentFactory(patient=patient, assessor=dermatologist)
    url = f"/patients/assessments/{assessment.pk}/"

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert derm_client.get(url).status_code == 200
        return len(captured)

    before = queries_for_page()
    for n in range(1, 6):
        assessment.gb_grade = 1 + n % 4
        # Grade 1 with boxcar scars contradicts itself (n = 4): the amendment acknowledges it, so
        # the page also lists an acknowledged warning, still without another query.
        assessment_amend(
            assessment=assessment,
            grid={("nose", "boxcar"): n},
            acknowledged=["grade_macular_with_atrophic_scars"],
            by=dermatologist,
        )
    assert queries_for_page() == before
