"""A dermatologist's appointments as an iCalendar feed, for the calendar on their phone.

Phones sync it without signing in, so it says as little as possible: the patient's initials, the
kind of visit and the room. Never a name, a diagnosis or a note.

Phones poll the feed often and it rarely changes, while a busy dermatologist's seven months hold
thousands of visits. So the feed carries a version: any saved change to an appointment, a patient
or a room adds a history row (django-simple-history), and the newest history ids, the day and the
feed's own key make the version. An unchanged version is answered with 304 Not Modified (ETag) or
from the cache; only a changed one is written again, and that is written directly, one line per
property, a few milliseconds per thousand events.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone

from clinic.lib.display import doctor_name
from patients.models import Patient
from scheduling.models import Appointment, Kind, Room

FEED_PAST = dt.timedelta(days=30)
FEED_AHEAD = dt.timedelta(days=180)
CACHE_SECONDS = 15 * 60
KIND_LABELS = dict(Kind.choices)


def initials(patient) -> str:
    return f"{patient.first_name[:1]}.{patient.last_name[:1]}.".upper()


def feed_version(feed) -> str:
    """Changes whenever anything the feed shows may have changed (see the module docstring)."""
    # 3 queries, each an index-only lookup of the newest history id.
    newest = [m.history.aggregate(n=Max("history_id"))["n"] for m in (Appointment, Patient, Room)]
    user = feed.user
    parts = [feed.token_hash, user.pk, user.get_full_name(), timezone.localdate(), *newest]
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]


def cached_feed(feed, *, host: str, version: str) -> bytes:
    key = f"ical-feed:{version}:{host}"
    body = cache.get(key)
    if body is None:
        body = feed_for(feed.user, host=host)
        cache.set(key, body, CACHE_SECONDS)
    return body


def _text(value: str) -> str:
    """An iCalendar TEXT value (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # never split a UTF-8 character
            end -= 1
        parts.append(data[start:end].decode())
        start, limit = end, 74
    return "\r\n ".join(parts)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def feed_for(user, *, host: str) -> bytes:
    now = timezone.now()
    # 1 query: the dermatologist's visits that hold their slot, a month back to six months on,
    # only the columns the feed shows.
    appointments = (
        Appointment.objects.active()
        .filter(dermatologist=user)
        .between(now - FEED_PAST, now + FEED_AHEAD)
        .order_by("starts_at", "pk")
        .values_list(
            "pk",
            "starts_at",
            "ends_at",
            "kind",
            "patient__first_name",
            "patient__last_name",
            "room__name",
        )
    )
    stamp = _utc(now)
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:-//{_text(settings.CLINIC_NAME)}//Appointments//EN",
        "VERSION:2.0",
        f"X-WR-CALNAME:{_text(f'{settings.CLINIC_NAME}: {doctor_name(user)}')}",
    ]
    for pk, starts_at, ends_at, kind, first, last, room in appointments:
        summary = f"{first[:1]}.{last[:1]}.".upper() + f" {KIND_LABELS.get(kind, kind)}"
        lines += [
            "BEGIN:VEVENT",
            f"SUMMARY:{_text(summary)}",
            f"DTSTART:{_utc(starts_at)}",
            f"DTEND:{_utc(ends_at)}",
            f"DTSTAMP:{stamp}",
            f"UID:appointment-{pk}@{_text(host)}",
        ]
        if room is not None:
            lines.append(f"LOCATION:{_text(room)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()
