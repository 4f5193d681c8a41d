"""Clinic hours are settings; a malformed one stops start-up naming the setting."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from scheduling.clock import NonexistentLocalTime, clinic_hours, local_datetime
from scheduling.forms import duration_choices


def test_defaults_are_eight_to_six_in_quarter_hours_on_weekdays(settings):
    for name in ("CLINIC_OPENS", "CLINIC_CLOSES", "CLINIC_SLOT_MINUTES", "CLINIC_DAYS"):
        delattr(settings, name)
    hours = clinic_hours()
    assert (hours.opens, hours.closes) == (dt.time(8), dt.time(18))
    assert hours.slot == dt.timedelta(minutes=15)
    assert hours.days == {1, 2, 3, 4, 5}


def test_settings_change_the_hours(settings):
    settings.CLINIC_OPENS = "07:30"
    settings.CLINIC_CLOSES = "20:00"
    settings.CLINIC_SLOT_MINUTES = 10
    settings.CLINIC_DAYS = "Mon, tue, SAT"
    hours = clinic_hours()
    assert (hours.opens, hours.closes, hours.slot) == (
        dt.time(7, 30),
        dt.time(20),
        dt.timedelta(minutes=10),
    )
    assert hours.days == {1, 2, 6}
    assert duration_choices()[0] == (10, "10 min")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CLINIC_OPENS", "8am"),
        ("CLINIC_CLOSES", "07:00"),  # before opening
        ("CLINIC_SLOT_MINUTES", "seven"),
        ("CLINIC_SLOT_MINUTES", 7),  # does not divide an hour
        ("CLINIC_SLOT_MINUTES", 0),
        ("CLINIC_DAYS", "mon,funday"),
        ("CLINIC_DAYS", ""),
    ],
)
def test_a_malformed_setting_is_refused_with_its_name(settings, name, value):
    setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        clinic_hours()


def test_local_datetime_refuses_a_skipped_time():
    with pytest.raises(NonexistentLocalTime):
        local_datetime(dt.date(2026, 3, 29), dt.time(1, 0))
    assert local_datetime(dt.date(2026, 3, 29), dt.time(2, 0)) == dt.datetime(
        2026, 3, 29, 1, 0, tzinfo=dt.UTC
    )
