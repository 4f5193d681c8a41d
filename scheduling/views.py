"""Calendar pages. Thin views: parse the request, call one access helper, one service or query,
render. Refusals the front desk can act on (a clash, a visit not yet due) come back as messages;
a request that asked for JSON gets them with HTTP 409."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import parse_etags, url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from clinic.lib.display import doctor_name
from patients.audit import access_record
from scheduling import calendar, clock, services
from scheduling.access import (
    PROGRESS_OWN,
    get_appointment_for_user,
    get_appointment_to_progress,
    get_dermatologist_for_user,
    may_progress,
)
from scheduling.feed import cached_feed, feed_version
from scheduling.forms import (
    AppointmentForm,
    CancelForm,
    RescheduleForm,
    SeriesForm,
    chosen_patient_ids,
    initial_from_query,
    patient_choices,
)
from scheduling.models import Appointment, CalendarFeed, dermatologists
from scheduling.rules import RESCHEDULABLE, OutsideClinicHours, SchedulingError

MAX_YEARS_AWAY = 50


def _day_from(request: HttpRequest) -> dt.date:
    """?date=YYYY-MM-DD, or today for anything else (including dates absurdly far away)."""
    today = clock.today()
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return today
    return day if abs(day.year - today.year) <= MAX_YEARS_AWAY else today


def _wants_json(request: HttpRequest) -> bool:
    return request.accepts("application/json") and not request.accepts("text/html")


def _next_or(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else default


def day_url(day: dt.date, name: str = "scheduling:day") -> str:
    return f"{reverse(name)}?date={day.isoformat()}"


def _summary(a: Appointment) -> str:
    return (
        f"{a.patient.full_name} with {doctor_name(a.dermatologist)}, "
        f"{a.local_starts_at:%a %d %b} {a.time_range} ({a.get_kind_display()})"
    )


def _refuse(request: HttpRequest, form, exc: Exception):
    """Puts a service's refusal on the form; returns a 409 response for JSON clients."""
    message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    if _wants_json(request):
        return JsonResponse({"error": message}, status=409)
    if isinstance(exc, OutsideClinicHours):
        form.outside_hours = message
    elif isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, message)
    return None


def _off_grid_first(request: HttpRequest) -> int | None:
    """How many cancelled and no-show visits a calendar page lists: all when asked."""
    return None if request.GET.get("cancelled") == "all" else calendar.OFF_GRID_SHOWN


def _calendar(request: HttpRequest, page, template: str, **extra):
    day = page.day
    context = {
        "page": page,
        "day": day,
        "today": clock.today(),
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        **extra,
    }
    return render(request, template, context)


@permission_required("scheduling.view_appointment", raise_exception=True)
def day_view(request):
    page = calendar.day_by_dermatologist(_day_from(request), _off_grid_first(request))
    return _calendar(request, page, "scheduling/day.html", mode="dermatologists")


@permission_required("scheduling.view_appointment", raise_exception=True)
def room_day_view(request):
    page = calendar.day_by_room(_day_from(request), _off_grid_first(request))
    return _calendar(request, page, "scheduling/day.html", mode="rooms")


@permission_required("scheduling.view_appointment", raise_exception=True)
def week_view(request, user_pk: int):
    dermatologist = get_dermatologist_for_user(request.user, user_pk)
    page = calendar.week_of(dermatologist, _day_from(request), _off_grid_first(request))
    monday = clock.week_start(page.day)
    return _calendar(
        request,
        page,
        "scheduling/week.html",
        dermatologist=dermatologist,
        dermatologists=dermatologists(),
        monday=monday,
        previous_week=monday - dt.timedelta(weeks=1),
        next_week=monday + dt.timedelta(weeks=1),
    )


@permission_required("scheduling.add_appointment", raise_exception=True)
def book(request):
    query = request.GET.get("q", "")[:100]
    initial = initial_from_query(request.GET)
    patients = patient_choices(
        query=query, chosen_ids=chosen_patient_ids(request.GET, request.POST)
    )
    form = AppointmentForm(request.POST or None, initial=initial, patients=patients)
    if form.is_valid():
        try:
            appointment = services.appointment_book(**form.booking(), by=request.user)
        except (SchedulingError, ValidationError) as exc:
            if response := _refuse(request, form, exc):
                return response
        else:
            if _wants_json(request):
                summary = {"id": appointment.pk, "summary": _summary(appointment)}
                return JsonResponse(summary, status=201)
            messages.success(request, f"Booked {_summary(appointment)}.")
            return redirect(_next_or(request, day_url(appointment.local_starts_at.date())))
    context = {
        "form": form,
        "query": query,
        "patients": patients,
        "title": "Book an appointment",
        "clinic_hours": clock.clinic_hours(),
    }
    return render(request, "scheduling/book.html", context)


@permission_required("scheduling.view_appointment", raise_exception=True)
def appointment_detail(request, pk: int):
    appointment = get_appointment_for_user(request.user, pk)
    access_record(request, patient=appointment.patient, obj=appointment)
    history = appointment.history.select_related("history_user", "dermatologist")
    context = {
        "appointment": appointment,
        "history": history.order_by("-history_date"),
        "allowed": appointment.allowed_moves(),
        "can_reschedule": appointment.status in RESCHEDULABLE,
        "may_progress": may_progress(request.user, appointment),
    }
    return render(request, "scheduling/appointment_detail.html", context)


@permission_required("scheduling.change_appointment", raise_exception=True)
def reschedule(request, pk: int):
    appointment = get_appointment_for_user(request.user, pk, perm="scheduling.change_appointment")
    form = RescheduleForm(request.POST or None, appointment=appointment)
    if form.is_valid():
        data = form.cleaned_data
        try:
            moved = services.appointment_reschedule(
                appointment=appointment,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                dermatologist=data["dermatologist"],
                room=data["room"],
                by=request.user,
                allow_outside_hours=data["confirm_outside_hours"],
            )
        except (SchedulingError, ValidationError) as exc:
            if response := _refuse(request, form, exc):
                return response
        else:
            if _wants_json(request):
                return JsonResponse({"id": moved.pk, "summary": _summary(moved)})
            messages.success(request, f"Moved: {_summary(moved)}.")
            return redirect("scheduling:detail", pk=moved.pk)
    context = {"form": form, "appointment": appointment}
    return render(request, "scheduling/reschedule.html", context)


@permission_required("scheduling.cancel_appointment", raise_exception=True)
def cancel(request, pk: int):
    appointment = get_appointment_for_user(request.user, pk, perm="scheduling.cancel_appointment")
    form = CancelForm(request.POST or None)
    if form.is_valid():
        try:
            services.appointment_cancel(
                appointment=appointment, reason=form.cleaned_data["reason"], by=request.user
            )
        except (SchedulingError, ValidationError) as exc:
            if response := _refuse(request, form, exc):
                return response
        else:
            messages.success(request, f"Cancelled {_summary(appointment)}. The slot is free.")
            return redirect(_next_or(request, day_url(appointment.local_starts_at.date())))
    context = {"form": form, "appointment": appointment}
    return render(request, "scheduling/cancel.html", context)


def _status_change(request, appointment: Appointment, change, done: str):
    """Runs a one-click status change; success and refusal both come back as a message."""
    try:
        change(appointment=appointment, by=request.user)
    except SchedulingError as exc:
        if _wants_json(request):
            return JsonResponse({"error": str(exc)}, status=409)
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{done}: {_summary(appointment)}.")
    return redirect(_next_or(request, reverse("scheduling:detail", args=[appointment.pk])))


@require_POST
@permission_required("scheduling.check_in_appointment", raise_exception=True)
def check_in(request, pk: int):
    appointment = get_appointment_for_user(request.user, pk, perm="scheduling.check_in_appointment")
    return _status_change(request, appointment, services.appointment_check_in, "Checked in")


@require_POST
@permission_required("scheduling.check_in_appointment", raise_exception=True)
def no_show(request, pk: int):
    appointment = get_appointment_for_user(request.user, pk, perm="scheduling.check_in_appointment")
    return _status_change(request, appointment, services.appointment_mark_no_show, "No-show")


PROGRESS_LABELS = {"in_treatment": "In treatment", "completed": "Completed"}


@require_POST
def progress(request, pk: int):
    """The dermatologist's own visits (a clinic admin: anyone's); checked by the access helper."""
    appointment = get_appointment_to_progress(request.user, pk)
    target = request.POST.get("to", "")
    if target not in PROGRESS_LABELS:
        messages.error(request, "Choose in treatment or completed.")
        return redirect("scheduling:detail", pk=appointment.pk)

    def change(*, appointment, by):
        return services.appointment_progress(appointment=appointment, to=target, by=by)

    return _status_change(request, appointment, change, PROGRESS_LABELS[target])


def _plan_key(data: dict) -> str:
    """What a plan was made for: a confirm posted for other details is planned again first."""
    parts = [
        data["patient"].pk,
        data["dermatologist"].pk,
        data["room"].pk if data["room"] else "",
        data["kind"],
        data["starts_at"].isoformat(),
        data["duration"],
        data["count"],
        data["min_weeks"],
        data["max_weeks"],
    ]
    return "|".join(str(p) for p in parts)


def _series_plan(data: dict):
    return services.series_plan(
        patient=data["patient"],
        dermatologist=data["dermatologist"],
        room=data["room"],
        first_start=data["starts_at"],
        duration=dt.timedelta(minutes=data["duration"]),
        count=data["count"],
        min_weeks=data["min_weeks"],
        max_weeks=data["max_weeks"],
    )


def _series_confirm(request, form: SeriesForm) -> list[Appointment] | None:
    """Books the confirmed plan, all or nothing; None (with the reason on the form) if refused."""
    data = form.cleaned_data
    slots = form.slots_from(request.POST.getlist("slot"))
    if not slots or request.POST.get("plan_key") != _plan_key(data):
        form.add_error(None, "The details changed since the plan was made: check the new plan.")
        return None
    try:
        return services.series_book(
            patient=data["patient"],
            dermatologist=data["dermatologist"],
            room=data["room"],
            kind=data["kind"],
            slots=slots,
            front_desk_note=data["front_desk_note"],
            by=request.user,
        )
    except (SchedulingError, ValidationError) as exc:
        _refuse(request, form, exc)
        return None


@permission_required("scheduling.add_appointment", raise_exception=True)
def series(request):
    """Plan a course (nothing is booked), then confirm it (every session booked, or none)."""
    query = request.GET.get("q", "")[:100]
    chosen = chosen_patient_ids(request.GET, request.POST)
    patients = patient_choices(query=query, chosen_ids=chosen)
    initial = initial_from_query(request.GET)
    form = SeriesForm(request.POST or None, initial=initial, patients=patients)
    plan = None
    if form.is_valid():
        if "confirm" in request.POST and (booked := _series_confirm(request, form)):
            patient = form.cleaned_data["patient"]
            messages.success(request, f"Booked {len(booked)} sessions for {patient.full_name}.")
            return redirect(day_url(booked[0].local_starts_at.date()))
        plan = _series_plan(form.cleaned_data)
    context = {
        "form": form,
        "query": query,
        "patients": patients,
        "plan": plan,
        "plan_key": _plan_key(form.cleaned_data) if plan else "",
        "plan_bookable": bool(plan) and all(slot.available for slot in plan),
    }
    return render(request, "scheduling/series.html", context)


@permission_required(PROGRESS_OWN, raise_exception=True)
def feed_settings(request):
    """A dermatologist's private calendar address: made or reset by POST, shown once."""
    token = CalendarFeed.reset_for(request.user) if request.method == "POST" else ""
    address = request.build_absolute_uri(reverse("scheduling:ical", args=[token])) if token else ""
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(request, "scheduling/feed.html", {"feed": feed, "address": address})


@login_not_required
@cache_control(private=True, no_cache=True)  # kept, but checked with the ETag before each use
def ical_feed(request, token: str):
    """No sign-in (phones cannot): the secret in the address is the key, and it is checked
    against a hash. The user must still be active and take appointments."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=CalendarFeed.hash(token))
        .first()
    )
    if feed is None or not feed.user.is_active or not feed.user.has_perm(PROGRESS_OWN):
        raise Http404
    version = feed_version(feed)
    etag = f'"{version}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        body = cached_feed(feed, host=request.get_host(), version=version)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    return response
