"""The DLQI on the assessment form and record: answers in words with their scores, item 7 in two
parts, "not relevant", unanswered items scored by the Cardiff rule, bands cited."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from patients.models import ScarAssessment
from patients.scoring import DLQI_COPYRIGHT
from tests.factories import ScarAssessmentFactory

DAY = timezone.localdate() - dt.timedelta(days=5)


def form_data(assessor, **dlqi) -> dict:
    data = {
        "assessed_on": DAY.isoformat(),
        "assessor": assessor.pk,
        "gb_grade": "2",
        "keloid_area_cm2": "0",
        "cell_nose__boxcar": "3",
    }
    data |= {f"dlqi_{n}": "a_little" for n in range(1, 11) if n != 7}
    data |= dlqi
    return {k: v for k, v in data.items() if v is not None}


def post(client, patient, data, status=302):
    response = client.post(f"/patients/{patient.pk}/assessments/new/", data)
    assert response.status_code == status, (
        getattr(response, "context", {}) and response.context["form"].errors
    )
    return response


@pytest.mark.parametrize(
    ("prevented", "problem", "total", "stored_problem"),
    [
        ("yes", None, 12, None),
        ("yes", "a_lot", 12, None),  # the follow-up is only asked after "no": dropped
        ("no", "a_lot", 11, "a_lot"),
        ("no", "a_little", 10, "a_little"),
        ("no", "not_at_all", 9, "not_at_all"),
        ("no", None, 9, None),
        ("not_relevant", None, 9, None),
    ],
)
def test_item_7_through_the_form(
    derm_client, dermatologist, patient, prevented, problem, total, stored_problem
):
    # Nine other items "a little": 9, plus item 7.
    post(derm_client, patient, form_data(dermatologist, dlqi_7=prevented, dlqi_7_problem=problem))
    assessment = ScarAssessment.objects.get()
    assert assessment.dlqi_score == total
    assert (assessment.dlqi_7, assessment.dlqi_7_problem) == (prevented, stored_problem)
    assert assessment.recomputed_scores()["dlqi_score"] == total


def test_not_relevant_is_stored_as_such_and_scores_zero(derm_client, dermatologist, patient):
    data = form_data(dermatologist, dlqi_6="not_relevant", dlqi_9="not_relevant", dlqi_7="no")
    post(derm_client, patient, data)
    assessment = ScarAssessment.objects.get()
    assert (assessment.dlqi_6, assessment.dlqi_9) == ("not_relevant", "not_relevant")
    assert assessment.dlqi_score == 7


def test_not_relevant_is_refused_on_item_1(derm_client, dermatologist, patient):
    response = post(
        derm_client, patient, form_data(dermatologist, dlqi_1="not_relevant"), status=200
    )
    assert "dlqi_1" in response.context["form"].errors
    assert ScarAssessment.objects.count() == 0


def test_one_unanswered_item_is_acknowledged_and_scored_zero(derm_client, dermatologist, patient):
    data = form_data(dermatologist, dlqi_3=None, dlqi_7="no", dlqi_7_problem="a_lot")
    response = post(derm_client, patient, data, status=200)
    [warning] = response.context["warnings"]
    assert warning.code == "dlqi_one_unanswered"
    assert "item 3" in warning.message
    post(derm_client, patient, data | {"acknowledge": "dlqi_one_unanswered"})
    assessment = ScarAssessment.objects.get()
    assert assessment.dlqi_3 is None
    assert assessment.dlqi_score == 10  # 8 x 1 + item 7 (2) + item 3 (0)
    page = derm_client.get(f"/patients/assessments/{assessment.pk}/").content.decode()
    assert "Unanswered: item 3." in page
    assert "One unanswered item scores 0" in page


def test_two_unanswered_items_are_kept_but_not_scored(derm_client, dermatologist, patient):
    data = form_data(dermatologist, dlqi_3=None, dlqi_7=None, acknowledge="dlqi_not_scored")
    post(derm_client, patient, data)
    assessment = ScarAssessment.objects.get()
    assert assessment.dlqi_score is None
    assert assessment.dlqi_recorded
    assert assessment.dlqi_4 == "a_little"
    assert assessment.recomputed_scores()["dlqi_score"] is None
    page = derm_client.get(f"/patients/assessments/{assessment.pk}/").content.decode()
    assert "DLQI not scored" in page
    assert "Unanswered: items 3, 7." in page
    chart = derm_client.get(f"/patients/{patient.pk}/?tab=progress").content.decode()
    assert "not scored" in chart


def test_no_dlqi_at_all_is_not_recorded_and_raises_no_warning(derm_client, dermatologist, patient):
    data = form_data(dermatologist) | {f"dlqi_{n}": "" for n in range(1, 11)}
    post(derm_client, patient, data)
    assessment = ScarAssessment.objects.get()
    assert (assessment.dlqi_score, assessment.dlqi_recorded) == (None, False)
    assert assessment.acknowledged_warnings == []


def test_form_shows_answer_meanings_scores_and_the_full_copyright(derm_client, patient):
    content = derm_client.get(f"/patients/{patient.pk}/assessments/new/").content.decode()
    for heading in ("Very much", "A lot", "A little", "Not at all", "Not relevant"):
        assert heading in content
    assert "Very much (3)" in content
    assert "Yes (3)" in content
    assert "If no: how much of a problem at work or study?" in content
    assert "prevented from working or studying?" in content
    # Items 1 and 2 offer no "not relevant"; items 3-10 (7 on its first part) do.
    assert 'name="dlqi_1" value="not_relevant"' not in content
    assert 'name="dlqi_3" value="not_relevant"' in content
    assert 'name="dlqi_7" value="not_relevant"' in content
    assert "www.dermatology.org.uk, this must not be copied without the permission" in content
    assert DLQI_COPYRIGHT.replace("©", "") in content.replace("©", "")


def test_record_cites_the_band_source(derm_client, dermatologist, patient):
    answers = {f"dlqi_{n}": "a_lot" for n in range(1, 11)} | {"dlqi_7": "yes"}
    assessment = ScarAssessmentFactory(patient=patient, assessor=dermatologist, **answers)
    assert assessment.dlqi_score == 21
    page = derm_client.get(f"/patients/assessments/{assessment.pk}/").content.decode()
    assert "DLQI 21 / 30 (extremely large effect)" in page
    assert "Hongbo Y, Thomas CL, Harrison MA, Salek MS, Finlay AY." in page
    assert "J Invest Dermatol 2005;125:659-64" in page
    assert "Work or study: Yes (3)" in page
    assert "Symptoms (itch, soreness, pain, stinging): A lot (2)" in page
    chart = derm_client.get(f"/patients/{patient.pk}/?tab=progress").content.decode()
    assert "DLQI bands: Hongbo" in chart


@pytest.mark.parametrize(
    "values",
    [
        {"dlqi_1": "not_relevant"},  # items 1 and 2 have no "not relevant"
        {"dlqi_2": "not_relevant"},
        {"dlqi_3": "3"},  # a score is not an answer
        {"dlqi_7": "a_lot"},  # item 7's first part is yes / no / not relevant
        {"dlqi_7_problem": "yes"},
        {"dlqi_7_problem": "very_much"},
    ],
    ids=str,
)
def test_database_refuses_answers_outside_the_vocabulary(dermatologist, patient, values):
    assessment = ScarAssessmentFactory(patient=patient, assessor=dermatologist)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScarAssessment.objects.filter(pk=assessment.pk).update(**values)


def test_database_accepts_a_partly_answered_dlqi(dermatologist, patient):
    # The old "all ten or none" rule is gone: the Cardiff rule decides whether it is scored.
    assessment = ScarAssessmentFactory(patient=patient, assessor=dermatologist)
    ScarAssessment.objects.filter(pk=assessment.pk).update(dlqi_1="a_lot", dlqi_7="no")
    assessment.refresh_from_db()
    assert assessment.dlqi_unanswered() == [2, 3, 4, 5, 6, 8, 9, 10]
