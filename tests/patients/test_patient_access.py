"""The chart's patient (patients.access.get_patient_for_user) is read as a plain row compiled once
and made with Patient.from_db: the stored patient, field for field, saved as an update."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from clinic.roles import Role
from patients.access import get_patient_for_user
from patients.models import Patient
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_patient_read_is_the_stored_patient_field_for_field():
    user = UserFactory(role=Role.DERMATOLOGIST)
    made = PatientFactory(first_name="Zoë", last_name="O'Brien", date_of_birth=dt.date(1990, 2, 3))
    Patient.objects.filter(pk=made.pk).update(allergies="Lidocaine")
    stored = Patient.objects.get(pk=made.pk)
    found = get_patient_for_user(user, made.pk)
    for field in Patient._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(stored, field.attname), field.name
    assert found.date_of_birth == dt.date(1990, 2, 3)  # a date, not text, on SQLite too
    assert not found._state.adding and found._state.db == "default"
    found.preferred_name = "Zo"
    found.save()
    assert Patient.objects.get(pk=made.pk).preferred_name == "Zo"
    assert Patient.objects.count() == 1


def test_an_unknown_patient_is_not_found_and_a_refused_user_learns_nothing():
    user = UserFactory(role=Role.DERMATOLOGIST)
    with pytest.raises(Http404):
        get_patient_for_user(user, PatientFactory().pk + 1000)
    with pytest.raises(PermissionDenied):
        get_patient_for_user(UserFactory(), PatientFactory().pk)
