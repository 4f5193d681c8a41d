"""Contradiction warnings on the assessment form: shown, ticked, stored, shown on the record."""

import datetime as dt

import pytest
from django.utils import timezone

from patients.models import ScarAssessment
from patients.services import AssessmentWarningsNotAcknowledged, assessment_amend
from tests.factories import ScarAssessmentFactory

TODAY = timezone.localdate()
DAY = TODAY - dt.timedelta(days=30)


def form_data(assessor, **overrides) -> dict:
    data = {
        "assessed_on": DAY.isoformat(),
        "assessor": assessor.pk,
        "gb_grade": "1",  # macular...
        "keloid_area_cm2": "0",
        "cell_left_cheek__ice_pick": "3",  # ...with ice pick scars: a contradiction
    }
    data.update(overrides)
    return data


def new_url(patient) -> str:
    return f"/patients/{patient.pk}/assessments/new/"


def test_anonymous_posting_an_assessment_is_sent_to_sign_in(client, patient, dermatologist):
    response = client.post(new_url(patient), form_data(dermatologist))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert ScarAssessment.objects.count() == 0


def test_front_desk_cannot_post_an_assessment(desk_client, patient, dermatologist):
    response = desk_client.post(
        new_url(patient), form_data(dermatologist, acknowledge="grade_macular_with_atrophic_scars")
    )
    assert response.status_code == 403
    assert ScarAssessment.objects.count() == 0


def test_contradiction_is_shown_and_nothing_saved_until_ticked(derm_client, dermatologist, patient):
    response = derm_client.post(new_url(patient), form_data(dermatologist))
    assert response.status_code == 200
    assert [w.code for w in response.context["warnings"]] == ["grade_macular_with_atrophic_scars"]
    content = response.content.decode()
    assert 'id="assessment-warnings"' in content
    assert 'name="acknowledge" value="grade_macular_with_atrophic_scars"' in content
    assert "I have checked this: Goodman &amp; Baron grade 1 (macular)" in content
    # The entries stay on the page, so ticking the box is all that is left to do.
    assert 'value="3"' in content
    assert ScarAssessment.objects.count() == 0


def test_ticked_warning_saves_and_is_stored_with_who_and_when(derm_client, dermatologist, patient):
    data = form_data(dermatologist, acknowledge="grade_macular_with_atrophic_scars")
    response = derm_client.post(new_url(patient), data)
    assert response.status_code == 302
    assessment = ScarAssessment.objects.get()
    [entry] = assessment.acknowledged_warnings
    assert entry["code"] == "grade_macular_with_atrophic_scars"
    assert entry["by"] == dermatologist.username
    assert dt.datetime.fromisoformat(entry["at"]).date() == timezone.localdate()
    assert "grade 1 (macular)" in entry["message"]
    page = derm_client.get(f"/patients/assessments/{assessment.pk}/").content.decode()
    assert 'id="acknowledged-warnings"' in page
    assert "Checked before saving" in page
    assert f"Acknowledged by {dermatologist.username} on" in page


def test_a_warning_ticked_for_another_rule_does_not_count(derm_client, dermatologist, patient):
    data = form_data(dermatologist, acknowledge="grade_severe_without_scars")
    response = derm_client.post(new_url(patient), data)
    assert response.status_code == 200
    assert ScarAssessment.objects.count() == 0


def test_every_warning_must_be_ticked(derm_client, dermatologist, patient):
    # Grade 1 with ice pick scars and a keloid area with no keloid counted: two warnings.
    data = form_data(
        dermatologist, keloid_area_cm2="2", acknowledge="keloid_area_without_keloid_count"
    )
    response = derm_client.post(new_url(patient), data)
    assert [w.code for w in response.context["warnings"]] == ["grade_macular_with_atrophic_scars"]
    assert ScarAssessment.objects.count() == 0
    data["acknowledge"] = ["keloid_area_without_keloid_count", "grade_macular_with_atrophic_scars"]
    assert derm_client.post(new_url(patient), data).status_code == 302
    codes = [e["code"] for e in ScarAssessment.objects.get().acknowledged_warnings]
    assert codes == ["grade_macular_with_atrophic_scars", "keloid_area_without_keloid_count"]


def test_consistent_assessment_saves_with_no_warnings(derm_client, dermatologist, patient):
    response = derm_client.post(new_url(patient), form_data(dermatologist, gb_grade="3"))
    assert response.status_code == 302
    assert ScarAssessment.objects.get().acknowledged_warnings == []


def test_amendment_needs_ticks_only_for_new_warnings(dermatologist, clinic_admin, patient):
    assessment = ScarAssessmentFactory(
        patient=patient, assessor=dermatologist, gb_grade=1, grid={("nose", "boxcar"): 2}
    )
    [first] = assessment.acknowledged_warnings
    # The same contradiction, amended: no second tick, and the first acknowledgement is kept.
    assessment.notes = "Rechecked."
    assessment_amend(assessment=assessment, grid={("nose", "boxcar"): 3}, by=clinic_admin)
    assessment.refresh_from_db()
    [kept] = assessment.acknowledged_warnings
    assert (kept["by"], kept["at"]) == (first["by"], first["at"])
    assert "3 ice pick, boxcar or rolling" in kept["message"]
    # A new contradiction needs its own tick...
    assessment.keloid_area_cm2 = 4
    with pytest.raises(AssessmentWarningsNotAcknowledged) as raised:
        assessment_amend(assessment=assessment, grid={("nose", "boxcar"): 3}, by=clinic_admin)
    assert [w.code for w in raised.value.warnings] == ["keloid_area_without_keloid_count"]
    assessment_amend(
        assessment=assessment,
        grid={("nose", "boxcar"): 3},
        acknowledged=["keloid_area_without_keloid_count"],
        by=clinic_admin,
    )
    assessment.refresh_from_db()
    assert [(e["code"], e["by"]) for e in assessment.acknowledged_warnings] == [
        ("grade_macular_with_atrophic_scars", dermatologist.username),
        ("keloid_area_without_keloid_count", clinic_admin.username),
    ]
    # ...and a warning that no longer applies leaves the list (its history keeps it).
    assessment.gb_grade = 3
    assessment.keloid_area_cm2 = 0
    assessment_amend(assessment=assessment, grid={("nose", "boxcar"): 3}, by=clinic_admin)
    assessment.refresh_from_db()
    assert assessment.acknowledged_warnings == []
    assert assessment.history.count() == 4


def test_amend_page_shows_warnings_and_saves_when_ticked(derm_client, dermatologist, patient):
    assessment = ScarAssessmentFactory(patient=patient, assessor=dermatologist, gb_grade=3)
    url = f"/patients/assessments/{assessment.pk}/amend/"
    data = form_data(dermatologist, gb_grade="4", cell_left_cheek__ice_pick="")
    response = derm_client.post(url, data)
    assert [w.code for w in response.context["warnings"]] == ["grade_severe_without_scars"]
    assessment.refresh_from_db()
    assert assessment.gb_grade == 3
    data["acknowledge"] = "grade_severe_without_scars"
    assert derm_client.post(url, data).status_code == 302
    assessment.refresh_from_db()
    assert assessment.gb_grade == 4


def test_history_shows_acknowledged_warnings_in_words(derm_client, dermatologist, patient):
    assessment = ScarAssessmentFactory(patient=patient, assessor=dermatologist, gb_grade=3)
    assessment.gb_grade = 4
    assessment_amend(
        assessment=assessment,
        grid={},
        acknowledged=["grade_severe_without_scars"],
        by=dermatologist,
    )
    page = derm_client.get(f"/patients/assessments/{assessment.pk}/").content.decode()
    history = page.split('id="history-heading"')[1]
    assert "Warnings acknowledged" in history
    assert "(none)" in history
    assert "Goodman &amp; Baron grade 4 (severe) is chosen" in history
    assert "&#x27;code&#x27;" not in history  # not the raw JSON
