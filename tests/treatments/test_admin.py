from tests.treatments.factories import TreatmentSessionFactory


def test_clinic_admin_reads_sessions_in_the_admin_but_cannot_save_past_the_safety_rules(
    admin_client_, dermatologist, patient
):
    session = TreatmentSessionFactory(patient=patient, clinician=dermatologist)
    assert admin_client_.get("/admin/treatments/treatmentsession/").status_code == 200
    page = admin_client_.get(f"/admin/treatments/treatmentsession/{session.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # view-only
    assert admin_client_.get("/admin/treatments/treatmentsession/add/").status_code == 403
    post = admin_client_.post(
        f"/admin/treatments/treatmentsession/{session.pk}/change/", {"notes": "edited"}
    )
    assert post.status_code == 403
    session.refresh_from_db()
    assert session.notes == ""


def test_admin_lists_filter_by_modality(admin_client_, dermatologist, patient):
    TreatmentSessionFactory(patient=patient, clinician=dermatologist)
    cross = admin_client_.get("/admin/treatments/treatmentsession/?modality=cross")
    laser = admin_client_.get("/admin/treatments/treatmentsession/?modality=laser")
    assert cross.context["cl"].result_count == 1
    assert laser.context["cl"].result_count == 0
