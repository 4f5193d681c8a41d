"""Query budgets: the patient list and chart cost the same number of queries however many rows
they show. Each expected query is named, so a new one is a visible diff here."""

import pytest
from django.urls import reverse

from patients.models import ConsentUse
from tests.factories import PatientFactory, PhotoConsentFactory

pytestmark = pytest.mark.django_db

LIST_QUERIES = 3
# 1. django_session: load the session
# 2. auth_user: the signed-in user, with a column folding the user's own permissions
#    (auth_user_user_permissions), the role's (auth_group_permissions) and the role badge's group
#    names (auth_group) out of one UNION ALL subquery (clinic/auth_backend.py)
# 3. patients_patient: the page's rows (at most 25) with COUNT(*) OVER () of the capped match
#    set, the paginator's total ("30 patients", "Page 1 of 2") (clinic/paging.py)

CHART_QUERIES_CLINICIAN = 8
# The chart's summary tab (the other tabs have budgets of their own: progress in
# test_assessment_query_budget.py, treatments in tests/treatments/test_timeline_query_budget.py,
# photos in tests/treatments/test_photo_views.py, scars in tests/treatments/test_scar_views.py):
# 1. django_session: load the session
# 2. auth_user: the signed-in user with permissions and role, one query (as above)
# 3. patients_patient: the patient (access helper)
# 4. patients_photoconsent: all the patient's consents, for the consent card and the flags
# 5. clinic_accesslog INSERT: the access-log row for this view
# 6. patients_scarassessment: every assessment's scores, for the baseline and the latest
# 7. treatments_treatmentsession: the latest session with its modalities and the total (none
#    here, so its adverse events are not read)
# 8. scheduling_appointment: the appointments section (with dermatologist and room)

CHART_QUERIES_FRONT_DESK = 7
# 1-5 and 8 above (front desk sees neither scores nor treatments), plus
# treatments_treatmentsession: when the next session is due and its kind, to book it.


@pytest.mark.parametrize("patients", [5, 50])
def test_patient_list_query_count_does_not_grow_with_the_number_of_patients(
    desk_client, django_assert_num_queries, patients
):
    PatientFactory.create_batch(patients)

    with django_assert_num_queries(LIST_QUERIES):
        response = desk_client.get(reverse("patients:list"))

    assert response.status_code == 200
    assert len(response.context["page"]) == min(patients, 25)


def test_patient_list_search_costs_the_same(desk_client, django_assert_num_queries):
    PatientFactory.create_batch(30, first_name="Ada")

    with django_assert_num_queries(LIST_QUERIES):
        response = desk_client.get(reverse("patients:list"), {"q": "ada", "page": 2})

    assert len(response.context["page"]) == 5


def _patient_with_consents(count: int):
    patient = PatientFactory(allergies="Latex", fitzpatrick_type=5)
    for use in list(ConsentUse)[:count]:
        PhotoConsentFactory(patient=patient, use=use)
    return patient


@pytest.mark.parametrize("consents", [1, 3])
def test_chart_query_count_does_not_grow_with_the_number_of_consents(
    derm_client, django_assert_num_queries, consents
):
    patient = _patient_with_consents(consents)

    with django_assert_num_queries(CHART_QUERIES_CLINICIAN):
        response = derm_client.get(reverse("patients:detail", args=[patient.pk]))

    assert response.status_code == 200
    assert response.content.decode().count('class="badge text-bg-success">Given') == consents


@pytest.mark.parametrize("consents", [1, 3])
def test_front_desk_chart_query_count_does_not_grow_with_the_number_of_consents(
    desk_client, django_assert_num_queries, consents
):
    patient = _patient_with_consents(consents)

    with django_assert_num_queries(CHART_QUERIES_FRONT_DESK):
        response = desk_client.get(reverse("patients:detail", args=[patient.pk]))

    assert response.status_code == 200
    assert response.content.decode().count('class="badge text-bg-success">Given') == consents
