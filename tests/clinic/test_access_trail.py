"""The access trail, second pass: every view of clinical data leaves a row wherever it happens
(app pages, compare, the admin's change, history and list pages), refusals are logged as denied
under the patient they aimed at, and a clinic admin can print or download a patient's report."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from patients.audit import access_record_many
from patients.models import AccessLog
from tests.factories import PatientFactory, ScarAssessmentFactory
from tests.treatments.factories import (
    ClinicalPhotoFactory,
    SkinTestFactory,
    TopicalRegimenFactory,
    TreatmentSessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(dermatologist):
    patient = PatientFactory(first_name="Ada", last_name="Lovelace")
    return {
        "patient": patient,
        "assessment": ScarAssessmentFactory(patient=patient, assessor=dermatologist),
        "session": TreatmentSessionFactory(patient=patient, clinician=dermatologist),
        "photo": ClinicalPhotoFactory(patient=patient),
        "topical": TopicalRegimenFactory(patient=patient),
        "skin_test": SkinTestFactory(patient=patient),
    }


ADMIN_PAGES = {
    "patient": "patients/patient",
    "assessment": "patients/scarassessment",
    "session": "treatments/treatmentsession",
    "photo": "treatments/clinicalphoto",
    "topical": "treatments/topicalregimen",
    "skin_test": "treatments/skintest",
}


@pytest.mark.parametrize("name", list(ADMIN_PAGES))
@pytest.mark.parametrize("page", ["change", "history"])
def test_admin_change_and_history_pages_are_logged(
    admin_client_, clinic_admin, records, name, page
):
    obj = records[name]
    before = AccessLog.objects.count()
    response = admin_client_.get(f"/admin/{ADMIN_PAGES[name]}/{obj.pk}/{page}/")
    assert response.status_code == 200
    [row] = AccessLog.objects.order_by("-pk")[: AccessLog.objects.count() - before]
    assert (row.user, row.action, row.patient) == (clinic_admin, "view", records["patient"])
    assert row.object_id == str(obj.pk)


@pytest.mark.parametrize("name", ["assessment", "session", "photo", "patient"])
def test_admin_lists_with_clinical_columns_log_each_patient_shown(admin_client_, records, name):
    other = PatientFactory()  # listed only on the patients page
    expected = {records["patient"].pk} | ({other.pk} if name == "patient" else set())
    before = set(AccessLog.objects.values_list("pk", flat=True))
    assert admin_client_.get(f"/admin/{ADMIN_PAGES[name]}/").status_code == 200
    rows = AccessLog.objects.exclude(pk__in=before)
    assert {r.patient_id for r in rows} == expected
    assert all("(in admin list of" in r.object_label for r in rows)


def test_a_list_logs_the_whole_row_for_each_record_shown(admin_client_, clinic_admin, records):
    session = records["session"]
    before = timezone.now()
    admin_client_.get("/admin/treatments/treatmentsession/?q=Lovelace", REMOTE_ADDR="10.0.0.7")
    [row] = AccessLog.objects.filter(object_type="treatments.TreatmentSession")
    assert (row.user, row.username, row.action) == (clinic_admin, clinic_admin.username, "view")
    assert (row.patient, row.patient_mrn) == (records["patient"], records["patient"].mrn)
    assert row.object_id == str(session.pk)
    label = f"Treatment session, {timezone.localtime(session.performed_at):%d %b %Y}"
    assert row.object_label == f"{label} (in admin list of treatment sessions)"
    assert row.path == "/admin/treatments/treatmentsession/?q=Lovelace"
    assert row.ip_address == "10.0.0.7"
    assert before <= row.at <= timezone.now()


def test_a_long_list_is_logged_whole_in_batches(rf, clinic_admin, dermatologist):
    sessions = TreatmentSessionFactory.create_batch(3, clinician=dermatologist)
    request = rf.get("/report/")
    request.user = clinic_admin
    access_record_many(request, sessions * 700, label="a long report")  # 2,100 rows
    assert AccessLog.objects.count() == 2100
    assert {row.patient_id for row in AccessLog.objects.all()} == {s.patient_id for s in sessions}


def test_compare_logs_each_photo_shown(derm_client, dermatologist, records):
    patient = records["patient"]
    later = ClinicalPhotoFactory(
        patient=patient, taken_on=records["photo"].taken_on.replace(day=28)
    )
    before = AccessLog.objects.count()
    assert derm_client.get(f"/treatments/patients/{patient.pk}/photos/compare/").status_code == 200
    rows = AccessLog.objects.order_by("pk")[before:]
    assert {r.object_id for r in rows} == {str(records["photo"].pk), str(later.pk)}
    assert all(r.object_label.startswith("Clinical photo, ") for r in rows)


def test_readable_labels(derm_client, records):
    session = records["session"]
    derm_client.get(f"/treatments/sessions/{session.pk}/")
    row = AccessLog.objects.latest("pk")
    assert row.object_label == f"Treatment session, {session.performed_at:%d %b %Y}"
    derm_client.get(f"/patients/{records['patient'].pk}/")
    assert AccessLog.objects.latest("pk").object_label == (
        f"Patient record ({records['patient'].mrn})"
    )


@pytest.mark.parametrize(
    ("url", "obj"),
    [
        ("/treatments/sessions/{session}/", "session"),
        ("/patients/assessments/{assessment}/", "assessment"),
        ("/treatments/photos/{photo}/", "photo"),
        ("/patients/{patient}/assessments/new/", "patient"),
        ("/treatments/patients/{patient}/photos/compare/", "patient"),
    ],
)
def test_a_refusal_is_logged_as_denied_under_the_patient(
    desk_client, front_desk, records, url, obj
):
    ids = {name: record.pk for name, record in records.items()}
    path = url.format(**ids)
    response = desk_client.get(path)
    assert response.status_code == 403
    row = AccessLog.objects.latest("pk")
    assert (row.action, row.user, row.path) == ("denied", front_desk, path)
    assert row.patient == records["patient"]


def test_a_refused_admin_page_is_logged(derm_client, dermatologist, records):
    # A dermatologist is not staff: the admin sends them to its sign-in, no record is shown.
    response = derm_client.get(f"/admin/patients/patient/{records['patient'].pk}/change/")
    assert response.status_code == 302
    assert not AccessLog.objects.filter(action="denied").exists()


def test_rows_cannot_be_changed_or_deleted(records, dermatologist):
    row = AccessLog.objects.create(user=dermatologist, username="alice", action="view")
    row.action = "export"
    with pytest.raises(ValidationError):
        row.save()
    with pytest.raises(ValidationError):
        row.delete()
    assert AccessLog.objects.get(pk=row.pk).action == "view"


def test_the_log_is_searchable_by_patient_name_and_mrn(admin_client_, derm_client, records):
    patient = records["patient"]
    derm_client.get(f"/patients/{patient.pk}/")
    for query in ("Lovelace", patient.mrn):
        html = admin_client_.get("/admin/patients/accesslog/", {"q": query}).content.decode()
        assert "Ada Lovelace" in html, query
        assert f"/admin/patients/accesslog/patient/{patient.pk}/" in html


def test_the_log_filters_by_user_and_by_refusals(
    admin_client_, derm_client, dermatologist, records
):
    derm_client.get(f"/patients/{records['patient'].pk}/")
    by_user = admin_client_.get("/admin/patients/accesslog/", {"user": dermatologist.pk})
    assert by_user.status_code == 200
    assert list(by_user.context["cl"].result_list)
    assert all(r.user_id == dermatologist.pk for r in by_user.context["cl"].result_list)
    denied = admin_client_.get("/admin/patients/accesslog/", {"action__exact": "denied"})
    assert denied.status_code == 200


def test_patient_access_report_prints_and_downloads(admin_client_, derm_client, records):
    patient = records["patient"]
    derm_client.get(f"/patients/{patient.pk}/")
    url = f"/admin/patients/accesslog/patient/{patient.pk}/"
    page = admin_client_.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Access report: Ada Lovelace" in html
    assert "Patient record" in html
    download = admin_client_.get(url, {"format": "csv"})
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == ["when", "user", "action", "record", "path", "ip address"]
    assert any(r[1] == "alice" and r[2] == "Viewed" for r in rows[1:])
    # Printing and downloading the report are themselves on the trail.
    actions = set(AccessLog.objects.filter(patient=patient).values_list("action", flat=True))
    assert {"print", "export"} <= actions


def test_the_report_is_for_clinic_admins_only(derm_client, desk_client, records):
    url = f"/admin/patients/accesslog/patient/{records['patient'].pk}/"
    assert derm_client.get(url).status_code == 302  # not staff: the admin's sign-in
    assert desk_client.get(url).status_code == 302


def test_the_report_honours_its_dates(admin_client_, derm_client, records):
    patient = records["patient"]
    derm_client.get(f"/patients/{patient.pk}/")
    empty = admin_client_.get(
        f"/admin/patients/accesslog/patient/{patient.pk}/",
        {"from": "2001-01-01", "to": "2001-12-31"},
    )
    assert "Nobody opened this record in these dates." in empty.content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_the_patient_report_costs_the_same_for_3_and_30_rows(
    admin_client_, records, django_assert_num_queries, rows
):
    patient = records["patient"]
    AccessLog.objects.bulk_create(
        AccessLog(username="alice", action="view", patient=patient) for _ in range(rows)
    )
    url = f"/admin/patients/accesslog/patient/{patient.pk}/"
    # session, user with the user's and the role's permissions and the role (one query,
    # clinic/auth_backend.py), two-factor device, the patient, the print row (INSERT), the rows
    with django_assert_num_queries(6):
        assert admin_client_.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 20])
def test_the_skin_test_reading_page_costs_the_same(
    derm_client, dermatologist, django_assert_num_queries, rows
):
    from tests.treatments.factories import SkinTestFactory

    patient = PatientFactory()
    tests = [SkinTestFactory(patient=patient, read_on=None, result="") for _ in range(rows)]
    # session, user with the permissions and the role (one query), the test with its patient
    with django_assert_num_queries(3):
        assert derm_client.get(f"/treatments/skin-tests/{tests[-1].pk}/read/").status_code == 200
