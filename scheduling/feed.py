"""A dermatologist's appointments as an iCalendar feed, for the calendar on their phone.

Phones sync it without signing in, so it says as little as possible: the patient's initials, the
kind of visit and the room. Never a name, a diagnosis or a note.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from clinic.lib.display import doctor_name
from scheduling.models import Appointment

FEED_PAST = dt.timedelta(days=30)
FEED_AHEAD = dt.timedelta(days=180)


def initials(patient) -> str:
    return f"{patient.first_name[:1]}.{patient.last_name[:1]}.".upper()


def feed_for(user, *, host: str) -> bytes:
    now = timezone.now()
    # 1 query: the dermatologist's visits that hold their slot, a month back to six months on.
    appointments = (
        Appointment.objects.active()
        .filter(dermatologist=user)
        .between(now - FEED_PAST, now + FEED_AHEAD)
        .select_related("patient", "room")
    )
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.CLINIC_NAME}//Appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{settings.CLINIC_NAME}: {doctor_name(user)}")
    for appointment in appointments:
        event = Event()
        event.add("uid", f"appointment-{appointment.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at)
        event.add("summary", f"{initials(appointment.patient)} {appointment.get_kind_display()}")
        if appointment.room is not None:
            event.add("location", appointment.room.name)
        calendar.add_component(event)
    return calendar.to_ical()
