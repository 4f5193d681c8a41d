"""Chart and dashboard sections for appointments (registered in clinic.panels).

Each section runs a fixed number of queries (one, the front desk's arrivals two), however many
appointments it lists.
"""

from collections import Counter

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from clinic.panels import Panel, register_chart_panel, register_dashboard_panel
from patients.models import Patient
from scheduling import clock, rules
from scheduling.models import starts_within
from scheduling.visits import calendar_visits, first_visits_and_total, latest_visits

CHART_LIMIT = 40  # upcoming and past together; the past is cut to PAST_SHOWN
PAST_SHOWN = 10


def chart_appointments(request: HttpRequest, patient: Patient) -> dict:
    # 1 query: the patient's latest appointments, newest first, with dermatologist and room, as
    # plain rows (scheduling.visits).
    latest = latest_visits(Q(patient=patient), CHART_LIMIT)
    now = timezone.now()
    upcoming = [a for a in reversed(latest) if a.ends_at > now]
    past = [a for a in latest if a.ends_at <= now][:PAST_SHOWN]
    return {"patient": patient, "upcoming": upcoming, "past": past}


def my_day(request: HttpRequest, subject) -> dict:
    """The signed-in dermatologist's visits today, with their next step; cancelled and no-show
    visits are counted, not listed (the week view lists them)."""
    # 1 query: today's appointments of this user, with patient and room, as plain rows.
    visits = calendar_visits(
        starts_within(*clock.day_bounds(clock.today())) & Q(dermatologist=request.user)
    )
    active = [v for v in visits if v.is_active]
    off = Counter(v.status_label.lower() for v in visits if not v.is_active)
    return {
        "appointments": active,
        "today": clock.today(),
        "off": ", ".join(f"{n} {label}" for label, n in sorted(off.items())),
    }


ARRIVING = [rules.Status.BOOKED.value, rules.Status.CHECKED_IN.value]


ARRIVALS_SHOWN = 30  # a group's busy day has hundreds; the calendar lists them all


def arrivals(request: HttpRequest, subject) -> dict:
    """Today's patients still to arrive or waiting, for the front desk to check in: the first
    ARRIVALS_SHOWN by time, and how many there are in all."""
    # 2 queries: the first ARRIVALS_SHOWN of today's booked and checked-in appointments with
    # patient, dermatologist and room, and how many there are.
    appointments, total = first_visits_and_total(
        starts_within(*clock.day_bounds(clock.today())) & Q(status__in=ARRIVING), ARRIVALS_SHOWN
    )
    return {
        "appointments": appointments,
        "today": clock.today(),
        "total": total,
        "more": total - len(appointments),
    }


register_chart_panel(
    Panel(
        name="scheduling-appointments",
        template="scheduling/_chart_panel.html",
        permission="scheduling.view_appointment",
        context=chart_appointments,
        order=20,
    )
)
register_dashboard_panel(
    Panel(
        name="scheduling-my-day",
        template="scheduling/_dashboard_my_day.html",
        permission="scheduling.progress_own_appointment",
        context=my_day,
        order=10,
    )
)
register_dashboard_panel(
    Panel(
        name="scheduling-arrivals",
        template="scheduling/_dashboard_arrivals.html",
        permission="scheduling.check_in_appointment",
        context=arrivals,
        order=20,
    )
)
