"""Assessment pages: who may open them, how bad input is refused, what the chart shows."""

import datetime as dt

import pytest
from django.utils import timezone

from patients.models import ScarAssessment
from tests.conftest import client_for
from tests.factories import ScarAssessmentFactory

TODAY = timezone.localdate()


def form_data(assessor, **overrides) -> dict:
    data = {
        "assessed_on": (TODAY - dt.timedelta(days=90)).isoformat(),
        "assessor": assessor.pk,
        "gb_grade": "3",
        "keloid_area_cm2": "0",
        "cell_left_cheek__ice_pick": "12",
        "cell_forehead__boxcar": "4",
        "cell_chin__rolling": "25",
    }
    data.update(overrides)
    return data


@pytest.fixture
def assessment(patient, dermatologist):
    return ScarAssessmentFactory(patient=patient, assessor=dermatologist)


def urls(patient, assessment) -> list[tuple[str, str]]:
    return [
        ("get", f"/patients/{patient.pk}/assessments/new/"),
        ("get", f"/patients/assessments/{assessment.pk}/"),
        ("get", f"/patients/assessments/{assessment.pk}/amend/"),
        ("post", f"/patients/assessments/{assessment.pk}/archive/"),
    ]


def test_anonymous_is_sent_to_sign_in(client, patient, assessment):
    for method, url in urls(patient, assessment):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_front_desk_is_refused_every_assessment_page(desk_client, patient, assessment):
    for method, url in urls(patient, assessment):
        assert getattr(desk_client, method)(url).status_code == 403, url
    assert ScarAssessment.objects.get().archived_at is None


@pytest.mark.parametrize("role", ["dermatologist", "clinic_admin"])
def test_clinical_roles_may_open_every_assessment_page(request, role, patient, assessment):
    client = client_for(request.getfixturevalue(role))
    for _method, url in urls(patient, assessment)[:3]:
        assert client.get(url).status_code == 200, url


def test_front_desk_chart_shows_no_scores(desk_client, patient, assessment):
    content = desk_client.get(f"/patients/{patient.pk}/").content.decode()
    assert "Scar assessments" not in content
    assert "ECCA" not in content
    # Nor on the progress tab, which is not theirs: the summary answers instead.
    progress = desk_client.get(f"/patients/{patient.pk}/?tab=progress")
    assert progress.context["tab"] == "summary"
    assert "ECCA" not in progress.content.decode()
    assert "progress" not in progress.context


def test_recording_an_assessment_stores_the_computed_scores(derm_client, dermatologist, patient):
    response = derm_client.post(
        f"/patients/{patient.pk}/assessments/new/", form_data(dermatologist), follow=True
    )
    assert response.redirect_chain == [(f"/patients/{patient.pk}/?tab=progress", 302)]
    assessment = ScarAssessment.objects.get()
    # The 12 ice pick scars of the grid are counted once: the empty Goodman & Baron group C
    # field takes them (x2 multiplier, 3 points: 6).
    assert (assessment.ecca_score, assessment.gb_quantitative_score) == (125, 6)
    assert assessment.assessor == dermatologist
    assert "Assessment saved: ECCA 125" in response.content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "A count cannot be negative."),
        ("abc", "Enter a whole number of scars."),
        ("2.5", "Enter a whole number of scars."),
        ("501", "At most 500: check the count."),
    ],
)
def test_bad_counts_are_refused_next_to_the_cell_and_nothing_is_saved(
    derm_client, dermatologist, patient, value, message
):
    response = derm_client.post(
        f"/patients/{patient.pk}/assessments/new/",
        form_data(dermatologist, cell_nose__ice_pick=value),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"cell_nose__ice_pick": [message]}
    assert message in response.content.decode()
    assert 'id="id_cell_nose__ice_pick_error"' in response.content.decode()
    assert ScarAssessment.objects.count() == 0


def test_bad_goodman_baron_count_is_refused(derm_client, dermatologist, patient):
    response = derm_client.post(
        f"/patients/{patient.pk}/assessments/new/", form_data(dermatologist, gb_papular="-3")
    )
    assert response.context["form"].errors == {"gb_papular": ["A count cannot be negative."]}
    assert ScarAssessment.objects.count() == 0


def test_future_date_and_missing_grade_are_refused(derm_client, dermatologist, patient):
    # The clinic's tomorrow when the request is made (a module constant goes stale at midnight).
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    data = form_data(dermatologist, assessed_on=tomorrow)
    del data["gb_grade"]
    response = derm_client.post(f"/patients/{patient.pk}/assessments/new/", data)
    errors = response.context["form"].errors
    assert errors["assessed_on"] == ["The assessment date cannot be in the future."]
    assert errors["gb_grade"] == ["This field is required."]
    assert ScarAssessment.objects.count() == 0


def test_partly_answered_cadi_is_refused_with_the_missing_items(
    derm_client, dermatologist, patient
):
    data = form_data(dermatologist, cadi_1="2", cadi_2="1")
    response = derm_client.post(f"/patients/{patient.pk}/assessments/new/", data)
    assert response.context["form"].non_field_errors() == [
        "CADI: answer all 5 questions or none (unanswered: 3, 4, 5)."
    ]
    assert ScarAssessment.objects.count() == 0


def test_answer_out_of_range_is_refused(derm_client, dermatologist, patient):
    # DLQI answers are words now (issue 10); "4" is no answer at all.
    answers = {f"dlqi_{n}": "a_little" for n in range(1, 11)} | {"dlqi_7": "no", "dlqi_4": "4"}
    data = form_data(dermatologist, **answers)
    response = derm_client.post(f"/patients/{patient.pk}/assessments/new/", data)
    assert "dlqi_4" in response.context["form"].errors
    assert ScarAssessment.objects.count() == 0


def test_amending_shows_the_earlier_values_in_the_history(
    derm_client, dermatologist, patient, assessment
):
    data = form_data(
        dermatologist, assessed_on=assessment.assessed_on.isoformat(), cell_nose__boxcar="7"
    )
    response = derm_client.post(f"/patients/assessments/{assessment.pk}/amend/", data)
    assert response.status_code == 302
    page = derm_client.get(f"/patients/assessments/{assessment.pk}/").content.decode()
    assert "Nose, Boxcar (U-shaped, 2-4 mm): <del>0</del> → <ins>7</ins>" in page
    assert "amended" in page
    assert ScarAssessment.objects.count() == 1


def test_chart_shows_change_from_baseline(derm_client, dermatologist, patient):
    ScarAssessmentFactory(
        patient=patient,
        assessor=dermatologist,
        assessed_on=TODAY - dt.timedelta(days=120),
        grid={("left_cheek", "ice_pick"): 12, ("chin", "rolling"): 25},  # 30 + 75 = 105
    )
    ScarAssessmentFactory(
        patient=patient,
        assessor=dermatologist,
        assessed_on=TODAY - dt.timedelta(days=30),
        grid={("left_cheek", "ice_pick"): 4, ("chin", "rolling"): 25},  # 15 + 75 = 90
    )
    response = derm_client.get(f"/patients/{patient.pk}/?tab=progress")
    rows = response.context["progress"]
    assert [r.assessment.ecca_score for r in rows] == [105, 90]
    assert rows[0].is_baseline and rows[0].ecca is None
    assert (rows[1].ecca.delta, rows[1].ecca.percent) == (-15, -14.3)
    content = response.content.decode()
    assert "-15 (-14%)" in content
    assert content.count('class="w-100 d-block trend-panel"') == 3
    # The summary tab: the baseline and the latest, with the same change.
    summary = derm_client.get(f"/patients/{patient.pk}/")
    glance = summary.context["glance"]
    assert (glance["baseline"].assessment.ecca_score, glance["latest"].assessment.ecca_score) == (
        105,
        90,
    )
    assert glance["visits"] == 2
    assert "-15 (-14%)" in summary.content.decode()
    assert "trend-panel" not in summary.content.decode()


def test_archiving_needs_a_reason_and_hides_the_assessment(
    derm_client, dermatologist, patient, assessment
):
    url = f"/patients/assessments/{assessment.pk}/archive/"
    derm_client.post(url, {"reason": ""})
    assert ScarAssessment.objects.get().archived_at is None
    derm_client.post(url, {"reason": "Duplicate entry"})
    assert ScarAssessment.objects.get().archive_reason == "Duplicate entry"
    assert derm_client.get(f"/patients/{patient.pk}/?tab=progress").context["progress"] == []
    assert derm_client.get(f"/patients/{patient.pk}/").context["glance"]["visits"] == 0


def test_opening_an_assessment_is_written_to_the_access_log(derm_client, assessment):
    from patients.models import AccessLog

    derm_client.get(f"/patients/assessments/{assessment.pk}/")
    log = AccessLog.objects.get(object_type="patients.ScarAssessment")
    assert log.object_id == str(assessment.pk)
    assert log.username == "alice"
