"""Query budgets: the patient list and chart cost the same number of queries however many rows
they show. Each expected query is named, so a new one is a visible diff here."""

import pytest
from django.urls import reverse

from patients.models import ConsentUse
from tests.factories import PatientFactory, PhotoConsentFactory

pytestmark = pytest.mark.django_db

LIST_QUERIES = 7
# 1. django_session: load the session
# 2. auth_user: the signed-in user
# 3. auth_permission via auth_user_user_permissions: the user's own permissions (view_patient)
# 4. auth_permission via auth_group_permissions: the role's permissions
# 5. patients_patient COUNT(*): the paginator's total ("30 patients", "Page 1 of 2")
# 6. auth_group via auth_user_groups: the role badge in the navigation bar (context processor)
# 7. patients_patient: the page's rows (at most 25)

CHART_QUERIES_CLINICIAN = 20
# 1. django_session: load the session
# 2. auth_user: the signed-in user
# 3. auth_permission via auth_user_user_permissions: the user's own permissions
# 4. auth_permission via auth_group_permissions: the role's permissions
# 5. patients_patient: the patient (access helper)
# 6. patients_photoconsent: all the patient's consents, prefetched in one query
# 7. clinic_accesslog INSERT: the access-log row for this view
# 8. patients_scarassessment: assessments for the progress table and trend charts
# 9. scheduling_appointment: the appointments section (with patient, dermatologist, room)
# 10. treatments_treatmentsession: the treatment timeline (no sessions here, so no prefetches)
# 11. treatments_treatmentsession: the latest session, for "next session due"
# 12. treatments_topicalregimen: topical regimens
# 13. treatments_skintest: skin tests
# 14. treatments_clinicalphoto: the photo timeline, with linked sessions
# 15. auth_group via auth_user_groups: the role badge in the navigation bar (context processor)
# 16. patients_scarassessment: the progress timeline's scores, with ice pick counts summed
# 17. treatments_treatmentsession: the progress timeline's sessions (none, so no prefetches)
# 18. treatments_clinicalphoto: the progress timeline's photo days
# 19. treatments_referralletter: the patient's letters to the referrer
# 20. treatments_scar: the scar register section (no scars, so neither their treatments nor
#     their statuses are read)

CHART_QUERIES_FRONT_DESK = 10
# 1-7, 9 and 15 above (front desk sees neither scores nor treatments), plus
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
