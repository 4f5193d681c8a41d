import contextlib
import datetime as dt

from django import forms

from clinic.lib.display import doctor_name
from patients.models import Patient
from scheduling import clock
from scheduling.models import Kind, Room, dermatologists
from scheduling.rules import DEFAULT_MINUTES

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_PATIENT_CHOICES = 20


def duration_choices() -> list[tuple[int, str]]:
    slot = int(clock.clinic_hours().slot.total_seconds() // 60)
    lengths = {m for m in (slot, 15, 30, 45, 60, 90, 120, 180) if m >= slot and m % slot == 0}
    return [(m, _length_label(m)) for m in sorted(lengths)]


def _length_label(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")


def patient_label(patient: Patient) -> str:
    born = f"{patient.date_of_birth:%d/%m/%Y}"
    return f"{patient.last_name}, {patient.first_name} · MRN {patient.mrn} · born {born}"


def patient_choices(*, query: str, chosen_ids: set[int]) -> list[Patient]:
    """The picker's options: the patient already chosen, then up to 20 search matches."""
    patients = Patient.objects.active()
    chosen = list(patients.filter(pk__in=chosen_ids)) if chosen_ids else []
    found = list(patients.search(query)[:MAX_PATIENT_CHOICES]) if query.strip() else []
    return chosen + [p for p in found if p not in chosen]


class DermatologistChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return doctor_name(obj)


class SlotForm(forms.Form):
    """Date, start and length in the clinic's local time, cleaned into aware starts_at/ends_at."""

    date = forms.DateField(widget=DATE_INPUT)
    start = forms.TimeField(label="Start time")
    duration = forms.TypedChoiceField(label="Length", coerce=int)
    confirm_outside_hours = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hours = clock.clinic_hours()
        self.fields["start"].widget = forms.TimeInput(
            attrs={"type": "time", "step": int(hours.slot.total_seconds())}, format="%H:%M"
        )
        self.fields["duration"].choices = duration_choices()

    def clean(self):
        cleaned = super().clean()
        day, at, minutes = cleaned.get("date"), cleaned.get("start"), cleaned.get("duration")
        if day and at and minutes:
            try:
                starts_at = clock.local_datetime(day, at)
            except clock.NonexistentLocalTime as exc:
                self.add_error("start", str(exc))
            else:
                cleaned["starts_at"] = starts_at
                cleaned["ends_at"] = clock.plus(starts_at, dt.timedelta(minutes=minutes))
        return cleaned


class AppointmentForm(SlotForm):
    field_order = ["patient", "dermatologist", "kind", "date", "start", "duration", "room"]

    patient = forms.ModelChoiceField(queryset=Patient.objects.none())
    dermatologist = DermatologistChoiceField(queryset=dermatologists())
    kind = forms.ChoiceField(label="Kind of visit", choices=Kind.choices)
    room = forms.ModelChoiceField(
        queryset=Room.objects.filter(active=True), required=False, empty_label="No room yet"
    )
    front_desk_note = forms.CharField(
        label="Note for the desk",
        required=False,
        max_length=300,
        help_text="E.g. needs an interpreter. No clinical details.",
    )

    def __init__(self, *args, patients: list[Patient], **kwargs):
        super().__init__(*args, **kwargs)
        # Any active patient is accepted; the select offers the chosen one and search matches.
        self.fields["patient"].queryset = Patient.objects.active()
        self.fields["patient"].widget.choices = [("", "Search for a patient above")] + [
            (p.pk, patient_label(p)) for p in patients
        ]
        self.fields["dermatologist"].queryset = dermatologists()
        self.fields["kind"].widget.attrs["data-default-minutes"] = ",".join(
            f"{kind}:{minutes}" for kind, minutes in DEFAULT_MINUTES.items()
        )

    def booking(self) -> dict:
        """The cleaned form as the keyword arguments of services.appointment_book."""
        data = self.cleaned_data
        return {
            "patient": data["patient"],
            "dermatologist": data["dermatologist"],
            "room": data["room"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "kind": data["kind"],
            "front_desk_note": data["front_desk_note"],
            "allow_outside_hours": data["confirm_outside_hours"],
        }


class RescheduleForm(SlotForm):
    field_order = ["date", "start", "duration", "dermatologist", "room"]

    dermatologist = DermatologistChoiceField(queryset=dermatologists())
    room = forms.ModelChoiceField(
        queryset=Room.objects.filter(active=True), required=False, empty_label="No room yet"
    )

    def __init__(self, *args, appointment, **kwargs):
        start = appointment.local_starts_at
        minutes = int(appointment.duration.total_seconds() // 60)
        kwargs.setdefault(
            "initial",
            {
                "date": start.date(),
                "start": start.time().replace(tzinfo=None),
                "duration": minutes,
                "dermatologist": appointment.dermatologist_id,
                "room": appointment.room_id,
            },
        )
        super().__init__(*args, **kwargs)
        if minutes not in dict(self.fields["duration"].choices):
            self.fields["duration"].choices = sorted(
                [*self.fields["duration"].choices, (minutes, _length_label(minutes))]
            )
        self.fields["dermatologist"].queryset = dermatologists()


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the appointment cancelled?",
        max_length=300,
        help_text="E.g. patient phoned to cancel, dermatologist unwell.",
    )


class SeriesForm(AppointmentForm):
    field_order = [
        "patient",
        "dermatologist",
        "kind",
        "count",
        "min_weeks",
        "max_weeks",
        "date",
        "start",
        "duration",
        "room",
    ]

    count = forms.IntegerField(label="Sessions", min_value=2, max_value=12, initial=5)
    min_weeks = forms.IntegerField(label="Every (weeks) at least", min_value=1, max_value=52)
    max_weeks = forms.IntegerField(label="at most", min_value=1, max_value=52)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].label = "First session on"
        self.fields["min_weeks"].initial = 4
        self.fields["max_weeks"].initial = 6

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_weeks"), cleaned.get("max_weeks")
        if low and high and high < low:
            self.add_error("max_weeks", "The longest interval cannot be shorter than the shortest.")
        return cleaned

    def slots_from(self, values: list[str]) -> list[tuple[dt.datetime, dt.datetime]] | None:
        """The confirmed plan's start times, posted back as ISO instants; None if tampered."""
        minutes = dt.timedelta(minutes=self.cleaned_data["duration"])
        try:
            starts = [dt.datetime.fromisoformat(v) for v in values]
        except ValueError:
            return None
        if len(starts) != self.cleaned_data["count"] or any(s.tzinfo is None for s in starts):
            return None
        return [(s, clock.plus(s, minutes)) for s in starts]


def _int(value) -> int | None:
    """A positive whole number that fits a database id, else None: a hand-edited link must not
    reach the database with 99999999999999999999."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def initial_from_query(params) -> dict:
    """Prefill from links: the day view's empty slots (?dermatologist=&starts_at=2026-03-10T10:00),
    the chart (?patient=) and the treatments app's next session (?patient=&kind=cross&date=)."""
    initial: dict = {}
    for name in ("patient", "dermatologist", "room"):
        if (pk := _int(params.get(name))) is not None:
            initial[name] = pk
    kind = params.get("kind", "")
    if kind in Kind.values:
        initial["kind"] = kind
        initial["duration"] = DEFAULT_MINUTES[kind]
    if (minutes := _int(params.get("duration"))) in dict(duration_choices()):
        initial["duration"] = minutes
    try:
        starts = dt.datetime.fromisoformat(params.get("starts_at", ""))
    except ValueError:
        starts = None
    if starts is not None:
        initial["date"], initial["start"] = starts.date(), starts.time().replace(tzinfo=None)
    else:
        with contextlib.suppress(ValueError):
            initial["date"] = dt.date.fromisoformat(params.get("date", ""))
    initial.setdefault("duration", 30)
    return initial


def chosen_patient_ids(*sources) -> set[int]:
    return {pk for source in sources if (pk := _int(source.get("patient"))) is not None}
