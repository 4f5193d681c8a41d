"""Two assessments of one patient on one day: the one recorded last counts, the other is marked
superseded in the chart and left out of the trend and of change from baseline."""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from patients.models import ScarAssessment
from patients.progress import mark_superseded, progress_rows
from patients.services import assessment_check
from tests.factories import ScarAssessmentFactory, UserFactory

DAY = dt.date(2026, 2, 10)


def record(patient, assessor, day, ice_pick, **kwargs):
    return ScarAssessmentFactory(
        patient=patient,
        assessor=assessor,
        assessed_on=day,
        grid={("left_cheek", "ice_pick"): ice_pick},
        **kwargs,
    )


def test_the_second_of_a_day_supersedes_the_first(dermatologist, patient):
    first = record(patient, dermatologist, DAY, 30)
    second = record(patient, dermatologist, DAY, 10)
    marked = {a.pk: a.is_superseded for a in ScarAssessment.objects.with_superseded()}
    assert marked == {first.pk: True, second.pk: False}
    assert list(ScarAssessment.objects.latest_of_each_day()) == [second]


def test_created_order_decides_not_the_id_alone(dermatologist, patient):
    first = record(patient, dermatologist, DAY, 30)
    second = record(patient, dermatologist, DAY, 10)
    # Recorded times decide; the id only breaks a tie.
    ScarAssessment.objects.filter(pk=first.pk).update(
        created_at=second.created_at + dt.timedelta(minutes=5)
    )
    assert list(ScarAssessment.objects.latest_of_each_day()) == [first]
    ScarAssessment.objects.filter(pk=first.pk).update(created_at=second.created_at)
    assert list(ScarAssessment.objects.latest_of_each_day()) == [second]


def test_the_chart_applies_the_same_rule_as_the_database(dermatologist, patient):
    """The chart marks superseded assessments in Python (mark_superseded over chart_rows'
    order); the database's with_superseded() is the rule it must agree with, whatever the
    recorded times and ids, with archived ones left out."""
    alone = record(patient, dermatologist, DAY - dt.timedelta(days=7), 30)
    first = record(patient, dermatologist, DAY, 30)
    second = record(patient, dermatologist, DAY, 20)
    third = record(patient, dermatologist, DAY, 10)
    archived = record(patient, dermatologist, DAY + dt.timedelta(days=1), 10)
    kept = record(patient, dermatologist, DAY + dt.timedelta(days=1), 12)
    archived.archive(reason="Entered twice", by=dermatologist)
    # The first recorded moves last in time; the second and third tie, so the id decides.
    ScarAssessment.objects.filter(pk=first.pk).update(
        created_at=third.created_at + dt.timedelta(minutes=5)
    )
    ScarAssessment.objects.filter(pk=second.pk).update(created_at=third.created_at)
    charted = mark_superseded(ScarAssessment.objects.chart_rows(patient))
    expected = {a.pk: a.is_superseded for a in ScarAssessment.objects.current().with_superseded()}
    assert {a.pk: a.is_superseded for a in charted} == expected
    assert [a.pk for a in charted if not a.is_superseded] == [alone.pk, first.pk, kept.pk]
    assert mark_superseded([]) == []


def test_other_days_and_other_patients_do_not_supersede(dermatologist, patient):
    day_before = record(patient, dermatologist, DAY - dt.timedelta(days=1), 30)
    day_after = record(patient, dermatologist, DAY + dt.timedelta(days=1), 30)
    on_the_day = record(patient, dermatologist, DAY, 30)
    someone_else = ScarAssessmentFactory(assessor=dermatologist, assessed_on=DAY)
    assert set(ScarAssessment.objects.latest_of_each_day()) == {
        day_before,
        day_after,
        on_the_day,
        someone_else,
    }


def test_an_archived_later_assessment_does_not_supersede(dermatologist, patient):
    first = record(patient, dermatologist, DAY, 30)
    second = record(patient, dermatologist, DAY, 10)
    second.archive(reason="Entered twice", by=dermatologist)
    assert list(ScarAssessment.objects.latest_of_each_day()) == [first]
    assert not ScarAssessment.objects.with_superseded().get(pk=first.pk).is_superseded


def test_chart_marks_superseded_and_keeps_it_out_of_trend_and_changes(
    derm_client, dermatologist, patient
):
    baseline_first = record(patient, dermatologist, DAY, 30)  # superseded
    baseline = record(patient, dermatologist, DAY, 12)  # 12 ice pick: ECCA 30
    later = record(patient, dermatologist, DAY + dt.timedelta(days=42), 4)  # ECCA 15
    response = derm_client.get(f"/patients/{patient.pk}/?tab=progress")
    rows = response.context["progress"]
    assert [(r.assessment.pk, r.is_superseded, r.is_baseline) for r in rows] == [
        (baseline_first.pk, True, False),
        (baseline.pk, False, True),
        (later.pk, False, False),
    ]
    # Change from the counting baseline (30), not from the superseded one (45).
    assert (rows[2].ecca.delta, rows[2].ecca.percent) == (-15, -50.0)
    assert rows[0].ecca is None
    ecca_panel = response.context["trend_panels"][0]
    assert [(d.day, d.value) for d in ecca_panel.dots] == [
        (DAY, 30),
        (DAY + dt.timedelta(days=42), 15),
    ]
    content = response.content.decode()
    row_html = content.split(f'data-assessment="{baseline_first.pk}"')[1].split("</tr>")[0]
    assert 'class="assessment-superseded text-secondary"' in row_html
    assert "superseded</span>" in row_html
    assert (
        "superseded" not in content.split(f'data-assessment="{baseline.pk}"')[1].split("</tr>")[0]
    )


def test_assessment_page_says_it_is_superseded(derm_client, dermatologist, patient):
    first = record(patient, dermatologist, DAY, 30)
    second = record(patient, dermatologist, DAY, 10)
    page = derm_client.get(f"/patients/assessments/{first.pk}/").content.decode()
    assert 'id="superseded-notice"' in page
    page = derm_client.get(f"/patients/assessments/{second.pk}/").content.decode()
    assert 'id="superseded-notice"' not in page


def test_form_warns_of_a_second_assessment_on_the_same_day(derm_client, dermatologist, patient):
    colleague = UserFactory(first_name="Ada", last_name="Byrne")
    record(patient, colleague, DAY, 30)
    data = {
        "assessed_on": DAY.isoformat(),
        "assessor": dermatologist.pk,
        "gb_grade": "3",
        "keloid_area_cm2": "0",
        "cell_left_cheek__ice_pick": "12",
    }
    url = f"/patients/{patient.pk}/assessments/new/"
    response = derm_client.post(url, data)
    [warning] = response.context["warnings"]
    assert warning.code == "second_assessment_same_day"
    assert "by Ada Byrne" in warning.message
    assert ScarAssessment.objects.count() == 1
    data["acknowledge"] = "second_assessment_same_day"
    assert derm_client.post(url, data).status_code == 302
    assert ScarAssessment.objects.count() == 2
    assert ScarAssessment.objects.latest_of_each_day().get().created_at == (
        ScarAssessment.objects.latest("created_at").created_at
    )


def test_amending_one_of_a_day_warns_about_the_other(dermatologist, patient):
    first = record(patient, dermatologist, DAY, 30)
    record(patient, dermatologist, DAY, 10)
    warnings = assessment_check(assessment=first, grid={("left_cheek", "ice_pick"): 30})
    assert [w.code for w in warnings] == ["second_assessment_same_day"]
    # Moving it to another day clears the warning: it does not compare with itself.
    first.assessed_on = DAY - dt.timedelta(days=1)
    assert assessment_check(assessment=first, grid={}) == []


def test_new_form_mentions_todays_assessment_before_anything_is_typed(
    derm_client, dermatologist, patient
):
    url = f"/patients/{patient.pk}/assessments/new/"
    assert 'id="recorded-today"' not in derm_client.get(url).content.decode()
    today = record(patient, dermatologist, timezone.localdate(), 5)
    content = derm_client.get(url).content.decode()
    assert 'id="recorded-today"' in content
    assert f'href="/patients/assessments/{today.pk}/"' in content
    # Yesterday's does not count, nor an archived one of today.
    today.archive(reason="Wrong patient", by=dermatologist)
    record(patient, dermatologist, timezone.localdate() - dt.timedelta(days=1), 5)
    assert 'id="recorded-today"' not in derm_client.get(url).content.decode()


def _scores(ecca, dlqi=None, superseded=False):
    return SimpleNamespace(
        ecca_score=ecca,
        gb_quantitative_score=0,
        cadi_score=None,
        dlqi_score=dlqi,
        is_superseded=superseded,
    )


def test_progress_rows_skip_superseded_for_baseline_and_changes():
    # A superseded first assessment is neither baseline nor the DLQI reference.
    superseded = _scores(100, dlqi=20, superseded=True)
    baseline, later = _scores(80), _scores(40, dlqi=12)
    rows = progress_rows([superseded, baseline, later])
    assert [(r.is_baseline, r.is_superseded) for r in rows] == [
        (False, True),
        (True, False),
        (False, False),
    ]
    assert (rows[2].ecca.delta, rows[2].ecca.percent) == (-40, -50.0)
    assert rows[2].dlqi is None  # the only other DLQI was superseded
    assert rows[0].ecca is None and rows[0].dlqi is None


def test_progress_rows_when_everything_is_superseded_has_no_baseline():
    rows = progress_rows([_scores(10, superseded=True)])
    assert [(r.is_baseline, r.ecca) for r in rows] == [(False, None)]
    assert progress_rows([]) == []
