"""Only dermatologists are offered, and accepted by the server, as the clinician of a session
or the assessor of an assessment. A clinic admin who is not also a dermatologist is not."""

import pytest

from clinic.roles import Role, assign_role
from clinic.users import users_with_perm
from patients.models import ScarAssessment
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.patients.test_assessment_views import form_data
from tests.treatments.test_session_views import CROSS, session_data
from treatments.models import TreatmentSession

CLINICIAN = "patients.act_as_clinician"


def select(html: str, name: str) -> str:
    """The options of one <select> on the page."""
    return html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]


def test_the_choice_holds_dermatologists_only(dermatologist, clinic_admin, front_desk):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert list(users_with_perm(CLINICIAN)) == [dermatologist]
    assert superuser not in users_with_perm(CLINICIAN)


def test_a_clinic_admin_who_is_also_a_dermatologist_is_offered(clinic_admin):
    assign_role(clinic_admin, Role.DERMATOLOGIST)
    assert list(users_with_perm(CLINICIAN)) == [clinic_admin]


def test_an_inactive_dermatologist_is_not_offered(dermatologist):
    dermatologist.is_active = False
    dermatologist.save()
    assert list(users_with_perm(CLINICIAN)) == []


@pytest.mark.parametrize("page", ["sessions", "assessments"])
def test_the_form_offers_only_dermatologists(request, page, patient, dermatologist, clinic_admin):
    url = (
        f"/treatments/patients/{patient.pk}/sessions/new/"
        if page == "sessions"
        else f"/patients/{patient.pk}/assessments/new/"
    )
    field = "clinician" if page == "sessions" else "assessor"
    options = select(client_for(clinic_admin).get(url).content.decode(), field)
    assert f'<option value="{dermatologist.pk}"' in options
    assert f'<option value="{clinic_admin.pk}"' not in options


def test_the_server_refuses_a_clinic_admin_as_clinician(patient, dermatologist, clinic_admin):
    response = client_for(clinic_admin).post(
        f"/treatments/patients/{patient.pk}/sessions/new/",
        session_data(clinic_admin, cross=[CROSS]),
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert TreatmentSession.objects.count() == 0


def test_the_server_accepts_a_dermatologist_chosen_by_a_clinic_admin(
    patient, dermatologist, clinic_admin
):
    response = client_for(clinic_admin).post(
        f"/treatments/patients/{patient.pk}/sessions/new/",
        session_data(dermatologist, cross=[CROSS]),
    )
    assert response.status_code == 302
    assert TreatmentSession.objects.get().clinician == dermatologist


def test_the_server_refuses_a_clinic_admin_as_assessor(patient, dermatologist, clinic_admin):
    response = client_for(clinic_admin).post(
        f"/patients/{patient.pk}/assessments/new/", form_data(clinic_admin)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert ScarAssessment.objects.count() == 0


def test_the_server_refuses_a_front_desk_user_as_assessor(patient, dermatologist, front_desk):
    response = client_for(dermatologist).post(
        f"/patients/{patient.pk}/assessments/new/", form_data(front_desk)
    )
    assert response.status_code == 200
    assert ScarAssessment.objects.count() == 0


def test_a_dermatologist_is_preselected_but_a_clinic_admin_is_not(
    patient, dermatologist, clinic_admin
):
    url = f"/treatments/patients/{patient.pk}/sessions/new/"
    mine = client_for(dermatologist).get(url).content.decode()
    theirs = client_for(clinic_admin).get(url).content.decode()
    assert f'<option value="{dermatologist.pk}" selected>' in select(mine, "clinician")
    assert '<option value="" selected>' in select(theirs, "clinician")
