"""Readable change history ("amended" entries) built from django-simple-history records."""

from dataclasses import dataclass, field
from datetime import datetime

from patients.models import Patient

# Fields front desk may not see the values of, even in the history.
CLINICAL_FIELDS = frozenset(
    {
        "fitzpatrick_type",
        "active_acne",
        "acne_onset_year",
        "previous_treatments",
        "on_isotretinoin",
        "isotretinoin_stopped_on",
        "allergies",
    }
)
_BOOKKEEPING = frozenset({"updated_at", "updated_by", "phone_digits", "created_at", "created_by"})


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: datetime
    by: str
    kind: str
    changes: list[Change] = field(default_factory=list)


def _display(record, field_name: str) -> str:
    model_field = record.instance_type._meta.get_field(field_name)
    value = getattr(record, model_field.attname)
    if value in (None, ""):
        return "(blank)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def change_log(patient: Patient, *, include_clinical: bool) -> list[HistoryEntry]:
    records = list(patient.history.select_related("history_user").order_by("history_date"))
    entries: list[HistoryEntry] = []
    previous = None
    for record in records:
        by = record.history_user.get_username() if record.history_user else "system"
        if previous is None:
            entries.append(HistoryEntry(record.history_date, by, "Registered"))
        else:
            delta = record.diff_against(previous)
            changes = []
            for change in delta.changes:
                if change.field in _BOOKKEEPING:
                    continue
                label = str(Patient._meta.get_field(change.field).verbose_name).capitalize()
                if change.field in CLINICAL_FIELDS and not include_clinical:
                    changes.append(Change(label, "(clinical)", "(clinical)"))
                else:
                    changes.append(
                        Change(
                            label, _display(previous, change.field), _display(record, change.field)
                        )
                    )
            if changes:
                entries.append(HistoryEntry(record.history_date, by, "Amended", changes))
        previous = record
    entries.reverse()
    return entries
