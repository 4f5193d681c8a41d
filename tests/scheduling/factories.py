"""Factories for the calendar. AppointmentFactory writes straight to the table, skipping the
booking service's checks, to set up a calendar quickly; tests of the rules book through the
services instead."""

import datetime as dt

import factory

from clinic.roles import Role
from scheduling.models import Appointment, Kind, Room
from scheduling.rules import Status
from tests.factories import PatientFactory, UserFactory


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Room {n + 1}")


def dermatologist_factory(**kwargs):
    return UserFactory(role=Role.DERMATOLOGIST, **kwargs)


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    patient = factory.SubFactory(PatientFactory)
    dermatologist = factory.SubFactory(UserFactory, role=Role.DERMATOLOGIST)
    starts_at = factory.LazyFunction(
        lambda: dt.datetime(2026, 6, 8, 10, 0, tzinfo=dt.UTC)  # overridden by nearly every test
    )
    ends_at = factory.LazyAttribute(lambda a: a.starts_at + dt.timedelta(minutes=30))
    kind = Kind.CROSS
    status = Status.BOOKED.value
    cancellation_reason = factory.LazyAttribute(
        lambda a: "Patient phoned to cancel" if a.status == Status.CANCELLED else ""
    )
