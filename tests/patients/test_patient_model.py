"""Patient and PhotoConsent data rules, held by the form, by full_clean, and by the database itself.

Database checks are exercised with QuerySet.update and bulk_create, which skip save() and
full_clean(), to prove the constraint and not the Python code refuses the row.
"""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from patients.forms import PatientForm
from patients.identifiers import is_valid_generated_mrn
from patients.models import ConsentUse, Patient, PhotoConsent
from patients.services import consent_give, consent_withdraw, patient_register, patient_update
from tests.factories import PatientFactory, PhotoConsentFactory

pytestmark = pytest.mark.django_db

# A complete, valid registration; each test changes one thing. The MRN is given so that the only
# error a test sees is the one it provokes.
FORM_DATA = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "date_of_birth": "1990-03-14",
    "sex_at_birth": "female",
    "mrn": "SC-0001",
    "fitzpatrick_type": "3",
}


# The form a dermatologist sees: every field, clinical ones included.
CLINICIAN = SimpleNamespace(has_perm=lambda perm: True)


def form_errors(**changes) -> dict[str, list[str]]:
    form = PatientForm(data={**FORM_DATA, **changes}, user=CLINICIAN)
    form.is_valid()
    return dict(form.errors)


def today() -> dt.date:
    return timezone.localdate()


# MRN


def test_mrn_is_generated_when_left_blank():
    patient = PatientFactory(mrn="")

    assert re.fullmatch(r"\d{4}-\d{4}", patient.mrn)
    assert is_valid_generated_mrn(patient.mrn)
    assert Patient.objects.get(pk=patient.pk).mrn == patient.mrn


def test_generated_mrn_skips_a_number_already_in_use(monkeypatch):
    PatientFactory(mrn="4821-3375")
    numbers = iter(["4821-3375", "1000-0008"])
    monkeypatch.setattr("patients.models.patient.new_mrn", lambda: next(numbers))

    assert PatientFactory(mrn="").mrn == "1000-0008"


def test_mrn_is_stored_in_upper_case_without_spaces():
    patient = PatientFactory(mrn=" sc-00 42 ")

    patient.refresh_from_db()
    assert patient.mrn == "SC-0042"


def test_duplicate_mrn_is_a_validation_error_on_the_mrn_field(dermatologist):
    PatientFactory(mrn="SC-0001")
    twin = PatientFactory.build(mrn="SC-0001", created_by=dermatologist, updated_by=dermatologist)

    with pytest.raises(ValidationError) as excinfo:
        twin.full_clean()

    assert excinfo.value.message_dict == {"mrn": ["Patient with this MRN already exists."]}


def test_duplicate_mrn_is_a_form_error_on_the_mrn_field():
    PatientFactory(mrn="SC-0001")

    assert form_errors(mrn="SC-0001") == {"mrn": ["Patient with this MRN already exists."]}


def test_duplicate_mrn_typed_in_lower_case_is_a_validation_error(dermatologist):
    PatientFactory(mrn="SC-0001")
    twin = PatientFactory.build(mrn="sc-0001", created_by=dermatologist, updated_by=dermatologist)

    with pytest.raises(ValidationError) as excinfo:
        twin.full_clean()

    assert excinfo.value.message_dict == {"mrn": ["Patient with this MRN already exists."]}


def test_database_refuses_a_duplicate_mrn_from_bulk_create():
    PatientFactory(mrn="SC-0001")

    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.bulk_create([PatientFactory.build(mrn="SC-0001")])

    assert Patient.objects.filter(mrn="SC-0001").count() == 1


def test_database_refuses_a_duplicate_mrn_from_update():
    first = PatientFactory(mrn="SC-0001")
    second = PatientFactory(mrn="SC-0002")

    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.filter(pk=second.pk).update(mrn=first.mrn)

    second.refresh_from_db()
    assert second.mrn == "SC-0002"


def test_database_refuses_a_blank_mrn(patient):
    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.filter(pk=patient.pk).update(mrn="")


@pytest.mark.parametrize("mrn", ["AB", "SC_0001", "-SC1", "SC 0001!"])
def test_malformed_mrn_is_refused_by_the_form(mrn):
    assert form_errors(mrn=mrn) == {"mrn": ["Use 3-20 letters, digits or hyphens."]}


def test_form_with_a_blank_mrn_is_valid_and_gets_a_generated_number():
    form = PatientForm(data={**FORM_DATA, "mrn": ""}, user=CLINICIAN)

    assert form.errors == {}
    assert is_valid_generated_mrn(form.instance.mrn)


def test_duplicate_mrn_typed_in_lower_case_is_a_form_error():
    PatientFactory(mrn="SC-0001")

    assert form_errors(mrn="sc-0001") == {"mrn": ["Patient with this MRN already exists."]}


# Fitzpatrick skin type


@pytest.mark.parametrize("value", ["0", "7"])
def test_fitzpatrick_outside_i_to_vi_is_refused_by_the_form(value):
    assert form_errors(fitzpatrick_type=value) == {
        "fitzpatrick_type": [f"Select a valid choice. {value} is not one of the available choices."]
    }


@pytest.mark.parametrize("value", [0, 7])
def test_fitzpatrick_outside_i_to_vi_is_refused_by_the_database(patient, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.filter(pk=patient.pk).update(fitzpatrick_type=value)

    patient.refresh_from_db()
    assert patient.fitzpatrick_type == 3


@pytest.mark.parametrize("value", [1, 6])
def test_fitzpatrick_i_and_vi_are_accepted_by_the_database(patient, value):
    assert Patient.objects.filter(pk=patient.pk).update(fitzpatrick_type=value) == 1


def test_missing_fitzpatrick_is_allowed_until_the_dermatologist_assesses_it():
    assert form_errors(fitzpatrick_type="") == {}


# Date of birth


def test_date_of_birth_in_the_future_is_refused_with_a_clear_message():
    tomorrow = today() + dt.timedelta(days=1)

    assert form_errors(date_of_birth=tomorrow.isoformat()) == {
        "date_of_birth": ["Date of birth cannot be in the future."]
    }


def test_date_of_birth_today_is_accepted():
    assert form_errors(date_of_birth=today().isoformat()) == {}


def test_date_of_birth_before_1900_is_refused_by_the_form():
    assert form_errors(date_of_birth="1899-12-31") == {
        "date_of_birth": ["Date of birth cannot be before 1900."]
    }


def test_date_of_birth_on_1_january_1900_is_accepted():
    assert form_errors(date_of_birth="1900-01-01") == {}


def test_date_of_birth_before_1900_is_refused_by_the_database(patient):
    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.filter(pk=patient.pk).update(date_of_birth=dt.date(1899, 12, 31))


# Acne and isotretinoin history


def test_isotretinoin_stop_date_in_the_future_is_refused():
    tomorrow = today() + dt.timedelta(days=1)

    assert form_errors(isotretinoin_stopped_on=tomorrow.isoformat()) == {
        "isotretinoin_stopped_on": [
            "The stop date cannot be in the future; tick 'currently taking' instead."
        ]
    }


def test_isotretinoin_stop_date_today_is_accepted():
    assert form_errors(isotretinoin_stopped_on=today().isoformat()) == {}


def test_acne_onset_year_after_this_year_is_refused():
    year = today().year

    assert form_errors(acne_onset_year=str(year + 1)) == {
        "acne_onset_year": [f"Enter a year between 1900 and {year}."]
    }


def test_acne_onset_year_out_of_range_is_refused_by_the_database(patient):
    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.filter(pk=patient.pk).update(acne_onset_year=1899)


# Archive, never delete


def test_archive_records_when_and_by_whom(patient, clinic_admin):
    moment = dt.datetime(2026, 3, 2, 10, 30, tzinfo=dt.UTC)

    with time_machine.travel(moment, tick=False):
        patient.archive(by=clinic_admin, reason="Duplicate registration")

    patient.refresh_from_db()
    assert patient.is_archived is True
    assert patient.archived_at == moment
    assert patient.archived_by == clinic_admin
    assert patient.updated_by == clinic_admin
    assert list(Patient.objects.active()) == []


def test_unarchive_clears_the_archive_stamp(patient, clinic_admin, dermatologist):
    patient.archive(by=clinic_admin, reason="Duplicate registration")

    patient.unarchive(by=dermatologist)

    patient.refresh_from_db()
    assert patient.is_archived is False
    assert patient.archived_at is None
    assert patient.archived_by is None
    assert patient.updated_by == dermatologist
    assert list(Patient.objects.active()) == [patient]


def test_archived_is_the_archive_date_itself(patient, clinic_admin):
    # One field, so an archived flag can never disagree with its date (the tidy issue removed
    # the separate flag and its constraint).
    assert not patient.is_archived
    Patient.objects.filter(pk=patient.pk).update(archived_at=timezone.now())
    patient.refresh_from_db()
    assert patient.is_archived
    assert list(Patient.objects.active()) == []


def test_a_patient_with_photo_consent_cannot_be_deleted(patient):
    PhotoConsentFactory(patient=patient)

    with pytest.raises(ProtectedError), transaction.atomic():
        patient.delete()

    assert Patient.objects.filter(pk=patient.pk).exists()


# Photo consent


def test_database_allows_only_one_current_consent_per_use(patient):
    PhotoConsentFactory(patient=patient, use=ConsentUse.CLINICAL)

    with pytest.raises(IntegrityError), transaction.atomic():
        PhotoConsentFactory(patient=patient, use=ConsentUse.CLINICAL)

    assert patient.photo_consents.count() == 1


def test_consent_for_another_use_or_after_a_withdrawal_is_allowed(patient):
    old = PhotoConsentFactory(
        patient=patient, use=ConsentUse.CLINICAL, given_on=dt.date(2025, 1, 10)
    )
    PhotoConsent.objects.filter(pk=old.pk).update(withdrawn_on=dt.date(2025, 6, 1))

    PhotoConsentFactory(patient=patient, use=ConsentUse.CLINICAL, given_on=dt.date(2026, 2, 1))
    PhotoConsentFactory(patient=patient, use=ConsentUse.TEACHING)

    assert patient.photo_consents.count() == 3


def test_second_current_consent_is_a_validation_error_in_the_service(patient, front_desk):
    PhotoConsentFactory(patient=patient, use=ConsentUse.CLINICAL)
    again = PhotoConsent(patient=patient, use=ConsentUse.CLINICAL, given_on=today())

    with pytest.raises(ValidationError) as excinfo:
        consent_give(consent=again, by=front_desk)

    assert excinfo.value.messages == ["This patient already has consent in force for this use."]


def test_database_refuses_a_withdrawal_dated_before_the_consent(patient):
    consent = PhotoConsentFactory(patient=patient, given_on=dt.date(2026, 3, 1))

    with pytest.raises(IntegrityError), transaction.atomic():
        PhotoConsent.objects.filter(pk=consent.pk).update(withdrawn_on=dt.date(2026, 2, 28))


def test_withdrawal_on_the_day_consent_was_given_is_allowed(patient):
    consent = PhotoConsentFactory(patient=patient, given_on=dt.date(2026, 3, 1))

    assert PhotoConsent.objects.filter(pk=consent.pk).update(withdrawn_on=dt.date(2026, 3, 1))


def test_withdrawal_keeps_the_consent_row(patient, dermatologist, front_desk):
    consent = PhotoConsentFactory(
        patient=patient, given_on=dt.date(2026, 3, 1), recorded_by=front_desk
    )

    consent_withdraw(consent=consent, withdrawn_on=dt.date(2026, 4, 2), by=dermatologist)

    kept = PhotoConsent.objects.get(pk=consent.pk)
    assert kept.withdrawn_on == dt.date(2026, 4, 2)
    assert kept.withdrawal_recorded_by == dermatologist
    assert kept.given_on == dt.date(2026, 3, 1)
    assert kept.in_force is False


def test_consent_can_be_withdrawn_after_the_recording_account_is_deleted(
    patient, dermatologist, front_desk
):
    consent = PhotoConsentFactory(patient=patient, recorded_by=front_desk)
    front_desk.delete()

    consent_withdraw(consent=consent, withdrawn_on=today(), by=dermatologist)

    assert PhotoConsent.objects.get(pk=consent.pk).withdrawn_on == today()


def test_patient_can_be_updated_after_the_registering_account_is_deleted(dermatologist, front_desk):
    patient = patient_register(patient=PatientFactory.build(mrn="SC-0009"), by=front_desk)
    front_desk.delete()
    patient.refresh_from_db()
    patient.phone = "0161 555 0134"

    patient_update(patient=patient, by=dermatologist)

    assert Patient.objects.get(pk=patient.pk).phone_digits == "01615550134"


def test_has_photo_consent_only_for_uses_in_force(patient, dermatologist, front_desk):
    clinical = PhotoConsentFactory(patient=patient, use=ConsentUse.CLINICAL, recorded_by=front_desk)
    assert patient.has_photo_consent(ConsentUse.CLINICAL) is True
    assert patient.has_photo_consent(ConsentUse.TEACHING) is False

    consent_withdraw(consent=clinical, withdrawn_on=today(), by=dermatologist)

    fresh = Patient.objects.get(pk=patient.pk)
    assert fresh.has_photo_consent(ConsentUse.CLINICAL) is False
    assert fresh.current_consents() == {}


# History


def test_registering_writes_one_history_row(patient):
    assert patient.history.count() == 1
    assert patient.history.get().history_type == "+"


def test_each_change_writes_a_history_row_with_the_previous_values(patient):
    patient.allergies = "Latex"
    patient.save()
    patient.phone = "0161 555 0134"
    patient.save()

    rows = list(patient.history.order_by("history_date", "history_id"))
    assert [row.history_type for row in rows] == ["+", "~", "~"]
    assert [row.allergies for row in rows] == ["", "Latex", "Latex"]
    assert rows[2].phone_digits == "01615550134"


def test_archiving_is_recorded_in_the_history(patient, clinic_admin):
    patient.archive(by=clinic_admin, reason="Duplicate registration")

    latest = patient.history.latest()
    assert patient.history.count() == 2
    assert latest.is_archived is True
    assert latest.archived_by_id == clinic_admin.pk


def test_consent_changes_are_recorded_in_the_consent_history(patient, dermatologist, front_desk):
    consent = PhotoConsentFactory(patient=patient, recorded_by=front_desk)

    consent_withdraw(consent=consent, withdrawn_on=today(), by=dermatologist)

    assert [row.withdrawn_on for row in consent.history.order_by("history_id")] == [None, today()]


def test_consent_is_in_force_from_the_day_it_was_given_until_withdrawn(patient):
    consent = PhotoConsentFactory(
        patient=patient, use=ConsentUse.CLINICAL, given_on=dt.date(2026, 3, 10)
    )
    in_force = patient.photo_consents.in_force
    assert not in_force(ConsentUse.CLINICAL, on=dt.date(2026, 3, 9)).exists()
    assert in_force(ConsentUse.CLINICAL, on=dt.date(2026, 3, 10)).exists()
    assert not in_force(ConsentUse.TEACHING, on=dt.date(2026, 3, 10)).exists()
    consent.withdrawn_on = dt.date(2026, 4, 1)
    consent.save()
    assert not in_force(ConsentUse.CLINICAL, on=dt.date(2026, 3, 20)).exists()
