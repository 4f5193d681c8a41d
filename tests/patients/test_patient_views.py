"""Patient pages: who may open each one, and the register / edit / archive / consent flows.

Access tests run in the order anonymous (sign-in), wrong role (403), right role (200), for every
URL in patients/urls.py. Users: alice (dermatologist), bob (front desk), charlie (clinic admin)
and dave (signed in, no role).
"""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.roles import Role
from patients.forms import PatientForm
from patients.identifiers import is_valid_generated_mrn
from patients.models import Patient
from tests.conftest import client_for
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db

MISSING = 999_999

# (url name, method used to reach it). Archive only answers POST.
ROUTES = [
    ("list", "get"),
    ("create", "get"),
    ("detail", "get"),
    ("update", "get"),
    ("archive", "post"),
    ("history", "get"),
    ("consent_create", "get"),
    ("consent_withdraw", "get"),
]
ROUTES_WITH_AN_ID = [route for route in ROUTES if route[0] not in {"list", "create"}]

ROLE_CLIENTS = {
    Role.DERMATOLOGIST: "derm_client",
    Role.FRONT_DESK: "desk_client",
    Role.CLINIC_ADMIN: "admin_client_",
}

# Expected status for a role on an existing record. The permission table lets every role view,
# add and change patients and consents; only the clinic admin archives (302 back to the chart).
EXPECTED_STATUS = {
    (name, role): (302 if role is Role.CLINIC_ADMIN else 403) if name == "archive" else 200
    for name, _ in ROUTES
    for role in Role
}

REGISTRATION = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "date_of_birth": "1990-03-14",
    "sex_at_birth": "female",
    "mrn": "",
    "phone": "07700 900123",
    "fitzpatrick_type": "3",
}


def url_for(name: str, patient_pk: int, consent_pk: int) -> str:
    if name in {"list", "create"}:
        return reverse(f"patients:{name}")
    if name == "consent_withdraw":
        return reverse("patients:consent_withdraw", args=[patient_pk, consent_pk])
    return reverse(f"patients:{name}", args=[patient_pk])


def form_data(patient: Patient, **changes) -> dict[str, str]:
    """What the edit form posts back for `patient`, with `changes` typed over it."""
    data = {}
    for name in PatientForm.Meta.fields:
        value = getattr(patient, name)
        if value is True:
            data[name] = "on"
        elif value is False or value is None:
            continue
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def flag_codes(response) -> list[str]:
    return re.findall(r'data-flag="([a-z_]+)"', response.content.decode())


def consent_cell(response, use: str) -> str:
    match = re.search(rf'data-consent="{use}">(.*?)</li>', response.content.decode(), re.S)
    assert match, f"no consent row for {use}"
    return " ".join(match.group(1).split())


def j_m_y(day: dt.date) -> str:
    """A date as the templates print it ("j M Y": 5 Nov 2026)."""
    return f"{day.day} {day:%b %Y}"


def listed(response) -> list[Patient]:
    return list(response.context["page"])


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="dave", first_name="Dave")


# Access: anonymous, wrong role, right role


@pytest.mark.parametrize(("name", "method"), ROUTES)
def test_anonymous_is_sent_to_sign_in(name, method, patient, consent):
    url = url_for(name, patient.pk, consent.pk)

    response = getattr(Client(), method)(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_anonymous_post_registers_nobody():
    response = Client().post(reverse("patients:create"), REGISTRATION)

    assert response.status_code == 302
    assert Patient.objects.count() == 0


@pytest.mark.parametrize(("name", "method"), ROUTES)
def test_signed_in_user_without_a_role_is_refused(name, method, no_role_user, patient, consent):
    response = getattr(client_for(no_role_user), method)(url_for(name, patient.pk, consent.pk))

    assert response.status_code == 403


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.name.lower())
@pytest.mark.parametrize(("name", "method"), ROUTES)
def test_each_role_gets_what_the_permission_table_allows(
    name, method, role, request, patient, consent
):
    client = request.getfixturevalue(ROLE_CLIENTS[role])

    response = getattr(client, method)(url_for(name, patient.pk, consent.pk))

    assert response.status_code == EXPECTED_STATUS[name, role]


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.name.lower())
@pytest.mark.parametrize(("name", "method"), ROUTES_WITH_AN_ID)
def test_missing_record_is_404_for_an_allowed_role_and_403_for_a_refused_one(
    name, method, role, request, db
):
    client = request.getfixturevalue(ROLE_CLIENTS[role])
    expected = 404 if EXPECTED_STATUS[name, role] != 403 else 403

    response = getattr(client, method)(url_for(name, MISSING, MISSING))

    assert response.status_code == expected


@pytest.mark.parametrize(("name", "method"), ROUTES_WITH_AN_ID)
def test_refused_user_cannot_tell_whether_a_record_exists(name, method, no_role_user):
    response = getattr(client_for(no_role_user), method)(url_for(name, MISSING, MISSING))

    assert response.status_code == 403


def test_consent_of_another_patient_is_not_found(derm_client, consent):
    other = PatientFactory()

    response = derm_client.get(reverse("patients:consent_withdraw", args=[other.pk, consent.pk]))

    assert response.status_code == 404


def test_archive_does_not_answer_get(admin_client_, patient):
    response = admin_client_.get(reverse("patients:archive", args=[patient.pk]))

    assert response.status_code == 405
    patient.refresh_from_db()
    assert patient.is_archived is False


# Registering


def test_front_desk_registers_a_patient_and_lands_on_the_chart(desk_client, front_desk):
    response = desk_client.post(reverse("patients:create"), REGISTRATION, follow=True)

    patient = Patient.objects.get()
    assert response.redirect_chain == [(f"/patients/{patient.pk}/", 302)]
    assert patient.created_by == front_desk
    assert patient.updated_by == front_desk
    assert (patient.first_name, patient.last_name) == ("Ada", "Lovelace")
    assert patient.date_of_birth == dt.date(1990, 3, 14)
    assert patient.phone_digits == "07700900123"
    assert is_valid_generated_mrn(patient.mrn)
    assert f"Registered Ada Lovelace, MRN {patient.mrn}." in response.content.decode()


def test_registering_with_an_mrn_keeps_it_in_upper_case(derm_client):
    response = derm_client.post(reverse("patients:create"), {**REGISTRATION, "mrn": "sc-0042"})

    patient = Patient.objects.get()
    assert response.status_code == 302
    assert patient.mrn == "SC-0042"


def test_registering_with_a_date_of_birth_in_the_future_saves_nothing(desk_client, patient):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = desk_client.post(
        reverse("patients:create"), {**REGISTRATION, "date_of_birth": tomorrow.isoformat()}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "date_of_birth": ["Date of birth cannot be in the future."]
    }
    assert "Date of birth cannot be in the future." in content
    assert "Nothing has been saved yet." in content
    assert Patient.objects.count() == 1


def test_front_desk_registers_without_the_clinical_history(desk_client, patient):
    response = desk_client.post(
        reverse("patients:create"), {**REGISTRATION, "fitzpatrick_type": "5", "allergies": "x"}
    )

    assert response.status_code == 302
    registered = Patient.objects.exclude(pk=patient.pk).get()
    # Clinical fields are not on front desk's form, so posted values are ignored.
    assert registered.fitzpatrick_type is None
    assert registered.allergies == ""


def test_registering_a_taken_mrn_in_lower_case_is_a_form_error(desk_client):
    PatientFactory(mrn="SC-0001")

    response = desk_client.post(reverse("patients:create"), {**REGISTRATION, "mrn": "sc-0001"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"mrn": ["Patient with this MRN already exists."]}
    assert Patient.objects.count() == 1


# Editing and the change history


@pytest.fixture
def ada(front_desk):
    return PatientFactory(
        first_name="Ada",
        last_name="Lovelace",
        mrn="SC-0001",
        phone="07700 900001",
        allergies="",
        created_by=front_desk,
        updated_by=front_desk,
    )


def test_dermatologist_edits_a_patient_and_keeps_the_history(derm_client, dermatologist, ada):
    url = reverse("patients:update", args=[ada.pk])

    response = derm_client.post(url, form_data(ada, allergies="Latex", phone="0161 555 0134"))

    assert response.status_code == 302
    assert response["Location"] == f"/patients/{ada.pk}/"
    ada.refresh_from_db()
    assert ada.allergies == "Latex"
    assert ada.phone_digits == "01615550134"
    assert ada.updated_by == dermatologist
    assert ada.history.count() == 2
    assert [row.allergies for row in ada.history.order_by("history_id")] == ["", "Latex"]


def test_bad_edit_changes_nothing(derm_client, ada):
    url = reverse("patients:update", args=[ada.pk])

    response = derm_client.post(url, form_data(ada, date_of_birth="1899-12-31"))

    assert response.status_code == 200
    assert "Date of birth cannot be before 1900." in response.content.decode()
    ada.refresh_from_db()
    assert ada.date_of_birth != dt.date(1899, 12, 31)
    assert ada.history.count() == 1


def test_history_shows_an_amended_entry_with_old_and_new_values(derm_client, ada):
    derm_client.post(
        reverse("patients:update", args=[ada.pk]),
        form_data(ada, allergies="Latex", phone="0161 555 0134"),
    )

    response = derm_client.get(reverse("patients:history", args=[ada.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert [entry.kind for entry in response.context["entries"]] == ["Amended", "Registered"]
    assert "<strong>Amended</strong>" in content
    assert "by alice" in content
    assert "Phone: <del>07700 900001</del> → <ins>0161 555 0134</ins>" in content
    assert "Allergies: <del>(blank)</del> → <ins>Latex</ins>" in content


def test_front_desk_sees_that_a_clinical_field_changed_but_not_its_values(
    derm_client, desk_client, ada
):
    derm_client.post(
        reverse("patients:update", args=[ada.pk]),
        form_data(ada, allergies="Latex", phone="0161 555 0134"),
    )

    response = desk_client.get(reverse("patients:history", args=[ada.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Allergies: <del>(clinical)</del> → <ins>(clinical)</ins>" in content
    assert "Latex" not in content
    assert "Phone: <del>07700 900001</del> → <ins>0161 555 0134</ins>" in content


def test_history_labels_an_mrn_change_as_mrn(derm_client, ada):
    derm_client.post(reverse("patients:update", args=[ada.pk]), form_data(ada, mrn="SC-0002"))

    response = derm_client.get(reverse("patients:history", args=[ada.pk]))

    assert "MRN: <del>SC-0001</del> → <ins>SC-0002</ins>" in response.content.decode()


def test_front_desk_edit_form_does_not_reveal_allergies(desk_client, ada):
    Patient.objects.filter(pk=ada.pk).update(allergies="Latex anaphylaxis")

    response = desk_client.get(reverse("patients:update", args=[ada.pk]))

    assert response.status_code == 200
    assert "Latex anaphylaxis" not in response.content.decode()


# The chart


@pytest.fixture
def flagged_patient(db):
    return PatientFactory(
        fitzpatrick_type=5, on_isotretinoin=True, allergies="Latex anaphylaxis", active_acne=False
    )


@pytest.mark.parametrize("client_fixture", ["derm_client", "admin_client_"])
def test_clinicians_see_safety_flags_and_skin_history_on_the_chart(
    client_fixture, request, flagged_patient
):
    client = request.getfixturevalue(client_fixture)

    response = client.get(reverse("patients:detail", args=[flagged_patient.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert flag_codes(response) == [
        "isotretinoin_current",
        "pih_risk",
        "allergies",
        "no_photo_consent",
    ]
    assert "Skin and acne history" in content
    assert "Latex anaphylaxis" in content


def test_front_desk_chart_has_no_flags_and_no_skin_history(desk_client, flagged_patient):
    response = desk_client.get(reverse("patients:detail", args=[flagged_patient.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert flag_codes(response) == []
    assert "Safety flags" not in content
    assert "Skin and acne history" not in content
    assert "Latex anaphylaxis" not in content
    assert "Currently taking" not in content
    assert "Demographics and contact" in content


def test_chart_without_flags_says_so(derm_client, patient, consent):
    response = derm_client.get(reverse("patients:detail", args=[patient.pk]))

    assert flag_codes(response) == []
    assert "No safety flags." in response.content.decode()


# Archive and restore


def test_archive_hides_the_patient_from_the_list_until_restored(
    admin_client_, desk_client, clinic_admin
):
    archer = PatientFactory(first_name="Ada", last_name="Archer")
    byron = PatientFactory(first_name="George", last_name="Byron")
    archive_url = reverse("patients:archive", args=[archer.pk])
    list_url = reverse("patients:list")

    archived = admin_client_.post(archive_url, {"reason": "Duplicate registration"}, follow=True)

    assert archived.redirect_chain == [(f"/patients/{archer.pk}/", 302)]
    assert "Archived Ada Archer. The record is kept." in archived.content.decode()
    archer.refresh_from_db()
    assert (archer.is_archived, archer.archived_by) == (True, clinic_admin)
    assert listed(desk_client.get(list_url)) == [byron]
    with_archived = desk_client.get(list_url, {"archived": "on"})
    assert listed(with_archived) == [archer, byron]
    archived_badge = '<span class="badge text-bg-secondary">Archived</span>'
    assert archived_badge in with_archived.content.decode()

    restored = admin_client_.post(archive_url, {"restore": "1"}, follow=True)

    assert "Ada Archer is active again." in restored.content.decode()
    archer.refresh_from_db()
    assert (archer.is_archived, archer.archived_at, archer.archived_by) == (False, None, None)
    assert listed(desk_client.get(list_url)) == [archer, byron]


def test_archived_chart_can_still_be_opened_and_says_archived(admin_client_, desk_client, patient):
    admin_client_.post(reverse("patients:archive", args=[patient.pk]), {"reason": "Moved away"})

    response = desk_client.get(reverse("patients:detail", args=[patient.pk]))

    assert response.status_code == 200
    assert f"Archived {j_m_y(timezone.localdate())}" in response.content.decode()


def test_archive_button_is_shown_only_to_clinic_admin(admin_client_, derm_client, patient):
    archive_url = reverse("patients:archive", args=[patient.pk])

    assert archive_url in admin_client_.get(f"/patients/{patient.pk}/").content.decode()
    assert archive_url not in derm_client.get(f"/patients/{patient.pk}/").content.decode()


def test_risk_factors_are_the_dermatologists_only(derm_client, desk_client, dermatologist):
    patient = PatientFactory(
        pregnancy_status="pregnant",
        pregnancy_status_recorded_on=timezone.localdate(),
        on_anticoagulant=True,
        anticoagulant_agent="Apixaban-7",
        herpes_labialis_history=True,
    )
    patient.keloid_history = True
    patient.updated_by = dermatologist
    patient.save()
    for url in (f"/patients/{patient.pk}/", f"/patients/{patient.pk}/edit/",
                f"/patients/{patient.pk}/history/"):  # fmt: skip
        desk = desk_client.get(url).content.decode()
        assert "Apixaban-7" not in desk, url
        assert "Pregnant" not in desk and "Cold sores" not in desk, url
    chart = derm_client.get(f"/patients/{patient.pk}/").content.decode()
    assert "Anticoagulant or antiplatelet (Apixaban-7)" in chart
    assert "Pregnant (recorded" in chart


def test_pregnancy_status_needs_the_day_it_was_asked(derm_client, patient):
    data = {
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex_at_birth": "female",
        "mrn": patient.mrn,
        "pregnancy_status": "pregnant",
        "on_anticoagulant": "on",
    }
    response = derm_client.post(f"/patients/{patient.pk}/edit/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Record the day pregnancy or breastfeeding was asked about." in html
    assert "Name the anticoagulant or antiplatelet agent." in html
    patient.refresh_from_db()
    assert patient.pregnancy_status == "no"
