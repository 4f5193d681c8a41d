"""The clinic outcomes report page, its CSV and the de-identified per-session data set."""

import csv
import datetime as dt
import io

import pytest

from clinic.roles import Role
from patients.models import AccessLog
from tests.conftest import client_for
from tests.factories import PatientFactory, ScarAssessmentFactory, UserFactory
from tests.treatments.factories import AdverseEventFactory, TreatmentSessionFactory, cross
from tests.treatments.test_progress_views import at
from treatments.report import pseudonym

pytestmark = pytest.mark.django_db

URL = "/treatments/reports/outcomes/"
REPORT_CSV = "/treatments/reports/outcomes.csv"
DATASET_CSV = "/treatments/reports/outcomes-sessions.csv"


def treated_patient(clinician, *, fitzpatrick=2, start=dt.date(2025, 6, 2), phone="07700 900123"):
    """CROSS at start; ECCA 30 (2 ice pick grade... 12 ice pick -> 30) then 15 at 3 months."""
    patient = PatientFactory(fitzpatrick_type=fitzpatrick, phone=phone)
    ScarAssessmentFactory(
        patient=patient,
        assessor=clinician,
        assessed_on=start,
        grid={("left_cheek", "ice_pick"): 12},
    )
    ScarAssessmentFactory(
        patient=patient,
        assessor=clinician,
        assessed_on=start + dt.timedelta(days=90),
        grid={("left_cheek", "ice_pick"): 3},
    )
    session = TreatmentSessionFactory(
        patient=patient, clinician=clinician, performed_at=at(start), procedures=[cross()]
    )
    return patient, session


@pytest.mark.parametrize("url", [URL, REPORT_CSV, DATASET_CSV])
def test_anonymous_redirected_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", [URL, REPORT_CSV, DATASET_CSV])
def test_front_desk_refused(desk_client, url):
    assert desk_client.get(url).status_code == 403


@pytest.mark.parametrize("url", [URL, REPORT_CSV, DATASET_CSV])
def test_clinic_admin_allowed(clinic_admin, url):
    assert client_for(clinic_admin).get(url).status_code == 200


def test_report_figures_from_the_database(derm_client, dermatologist):
    _patient, session = treated_patient(dermatologist)
    AdverseEventFactory(session=session, event_type="pih")
    response = derm_client.get(URL)
    assert response.status_code == 200
    rows = {(r.group, r.band): r for _, r in response.context["rows"]}
    cross_all = rows[("cross", "all")]
    assert (cross_all.patients, cross_all.sessions) == (1, 1)
    # ECCA: 12 ice pick = grade 2 x 15 = 30; 3 ice pick = grade 1 x 15 = 15: change -15 (50 %).
    three = cross_all.follow_ups[0]
    assert (three.ecca.n, three.ecca.median) == (1, -15)
    assert (three.ecca_responders.count, three.ecca_responders.n) == (1, 1)
    assert cross_all.adverse_events == (("pih", 1, 100.0),)
    assert rows[("cross", "I-III")].patients == 1
    html = response.content.decode()
    assert "n&lt;10" in html
    assert "Hyperpigmentation (PIH)" in html
    assert "data-bar" in html


def test_filters_by_dermatologist_and_dates(derm_client, dermatologist):
    other = UserFactory(username="dana", role=Role.DERMATOLOGIST)
    treated_patient(dermatologist)
    treated_patient(other, start=dt.date(2025, 9, 1))

    def patients(query: str) -> int:
        response = derm_client.get(f"{URL}?{query}")
        return next(r for _, r in response.context["rows"] if r.group == "cross").patients

    assert patients("") == 2
    assert patients(f"dermatologist={other.pk}") == 1
    assert patients("start=2025-08-01") == 1
    assert patients("end=2025-08-01") == 1
    # An empty period: no rows at all.
    response = derm_client.get(f"{URL}?start=2026-01-01")
    assert response.context["rows"] == []


def test_report_csv_is_logged_as_an_export(derm_client, dermatologist):
    treated_patient(dermatologist)
    response = derm_client.get(REPORT_CSV)
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    header, first = lines[0], lines[1]
    assert first[:4] == ["CROSS (TCA)", "all", "1", "1"]
    assert first[header.index("ecca_change_3m_median")] == "-15"
    assert first[header.index("n_under_10")] == "yes"
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert log.patient is None
    assert log.object_label == "Outcomes report (CSV)"


def test_dataset_is_de_identified(derm_client, dermatologist):
    patient, _ = treated_patient(dermatologist, phone="07700 900456")
    text = b"".join(derm_client.get(DATASET_CSV).streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["patient", "skin_type_band", "months_from_baseline"]
    assert rows[1][:4] == [pseudonym(patient.pk), "I-III", "0.0", "cross"]
    for secret in (
        patient.first_name,
        patient.last_name,
        patient.mrn,
        patient.date_of_birth.isoformat(),
        patient.date_of_birth.strftime("%d/%m/%Y"),
        "07700 900456",
        "2025-06-02",
    ):
        assert secret not in text, secret
    assert str(patient.pk) != rows[1][0]
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert "De-identified" in log.object_label


def test_pseudonym_is_stable_and_keyed(settings):
    first = pseudonym(7)
    assert first == pseudonym(7) and first != pseudonym(8)
    settings.SECRET_KEY = "another key"
    assert pseudonym(7) != first


# Session, user, permissions with the role badge (one query); dermatologists for the filter;
# session ids per procedure table (6); adverse events; sessions; assessments; the per-scar
# response table.
REPORT_QUERIES = 14


def test_report_query_count_is_flat(derm_client, dermatologist, django_assert_max_num_queries):
    treated_patient(dermatologist)
    with django_assert_max_num_queries(REPORT_QUERIES):
        derm_client.get(URL)
    for n in range(6):
        treated_patient(dermatologist, fitzpatrick=4 + n % 3, start=dt.date(2025, 1, 6 + n))
    with django_assert_max_num_queries(REPORT_QUERIES):
        assert derm_client.get(URL).status_code == 200
    with django_assert_max_num_queries(REPORT_QUERIES):
        response = derm_client.get(DATASET_CSV)
        assert len(b"".join(response.streaming_content).splitlines()) == 8


def test_of_two_assessments_on_one_day_the_last_recorded_counts(derm_client, dermatologist):
    patient, _ = treated_patient(dermatologist)
    # Recorded later on the follow-up day: 21 ice pick (grade 3, ECCA 45) replaces 3 (ECCA 15).
    ScarAssessmentFactory(
        patient=patient,
        assessor=dermatologist,
        assessed_on=dt.date(2025, 6, 2) + dt.timedelta(days=90),
        grid={("left_cheek", "ice_pick"): 21},
    )
    response = derm_client.get(URL)
    cross_all = next(r for _, r in response.context["rows"] if r.group == "cross")
    assert cross_all.follow_ups[0].ecca.median == 15
