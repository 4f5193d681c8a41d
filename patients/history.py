"""Readable change history ("amended" entries) built from django-simple-history records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol, cast

from django.contrib.auth.models import User
from django.db import models
from django.db.models.options import Options

from patients.models import Patient, ScarAssessment, ScarCount

_BOOKKEEPING = frozenset(
    {"updated_at", "updated_by", "phone_digits", "created_at", "created_by", "archived_by"}
)


@dataclass
class Change:
    field: str
    old: str
    new: str


# Not editable on forms, but part of what was recorded: which warnings were acknowledged.
_SHOWN_READ_ONLY = frozenset({"acknowledged_warnings"})


@dataclass
class HistoryEntry:
    at: datetime
    by: str
    kind: str
    changes: list[Change] = field(default_factory=list)


class HistoricalRecord(Protocol):
    """One row of a model's simple-history table (the package has no type stubs, and builds
    these models at runtime)."""

    instance_type: type[models.Model]
    history_user: User | None
    history_date: datetime

    def diff_against(self, old_history: HistoricalRecord) -> Any: ...


class Tracked(Protocol):
    """A model instance with `history = HistoricalRecords()`: its manager is untyped."""

    _meta: ClassVar[Options[Any]]
    history: Any

    @property
    def pk(self) -> Any: ...


def _model_field(opts: Options[Any], name: str) -> models.Field[Any, Any]:
    # History tables and their diffs name concrete fields only (no reverse relations or
    # generic keys), which get_field's return type cannot tell.
    return cast("models.Field[Any, Any]", opts.get_field(name))


def _display(record: HistoricalRecord, field_name: str) -> str:
    model_field = _model_field(record.instance_type._meta, field_name)
    value = getattr(record, model_field.attname)
    if value in (None, ""):
        return "(blank)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        # Acknowledged warnings (JSON): what was acknowledged, in words.
        shown = [str(v.get("message", v)) if isinstance(v, dict) else str(v) for v in value]
        return "; ".join(shown) or "(none)"
    return str(value)


def _by(record: HistoricalRecord) -> str:
    return record.history_user.get_username() if record.history_user else "system"


def histories_of(instances: Sequence[Tracked]) -> dict[Any, list[HistoricalRecord]]:
    """The history of several records of one model in one query: each record's rows by its id,
    oldest first (for `history_entries(records=...)`)."""
    if not instances:
        return {}
    model = type(instances[0])
    pk_name = instances[0]._meta.pk.attname
    found: dict[Any, list[HistoricalRecord]] = {instance.pk: [] for instance in instances}
    rows = (
        model.history.filter(**{f"{pk_name}__in": list(found)})
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    for row in rows:
        found[getattr(row, pk_name)].append(row)
    return found


def history_entries(
    instance: Tracked,
    *,
    created: str,
    hidden: frozenset[str] = frozenset(),
    records: Sequence[HistoricalRecord] | None = None,
) -> list[HistoryEntry]:
    """Oldest first: a creation entry, then one "Amended" entry per save that changed something.
    `records`, the instance's history already read (`histories_of`), saves its query."""
    opts = instance._meta
    if records is None:
        records = list(instance.history.select_related("history_user").order_by("history_date"))
    entries: list[HistoryEntry] = []
    previous: HistoricalRecord | None = None
    for record in records:
        if previous is None:
            entries.append(HistoryEntry(record.history_date, _by(record), created))
        else:
            changes = []
            for change in record.diff_against(previous).changes:
                if change.field in _BOOKKEEPING:
                    continue
                label = str(_model_field(opts, change.field).verbose_name)
                label = label[0].upper() + label[1:]
                if change.field in hidden:
                    changes.append(Change(label, "(clinical)", "(clinical)"))
                else:
                    old, new = _display(previous, change.field), _display(record, change.field)
                    changes.append(Change(label, old, new))
            # diff_against compares editable fields only; these read-only ones are compared here.
            for name in sorted(_SHOWN_READ_ONLY):
                if hasattr(record, name) and getattr(record, name) != getattr(previous, name):
                    label = str(_model_field(opts, name).verbose_name)
                    changes.append(Change(label, _display(previous, name), _display(record, name)))
            if changes:
                entries.append(HistoryEntry(record.history_date, _by(record), "Amended", changes))
        previous = record
    return entries


def change_log(patient: Patient, *, include_clinical: bool) -> list[HistoryEntry]:
    # Front desk sees that a clinical field changed, never its values.
    hidden = frozenset() if include_clinical else frozenset(Patient.CLINICAL_FIELDS)
    return list(reversed(history_entries(patient, created="Registered", hidden=hidden)))


def assessment_change_log(assessment: ScarAssessment) -> list[HistoryEntry]:
    """The assessment's own amendments plus changed grid cells, newest first.

    Grid cells are walked in one query, remembering each cell's last value, rather than asking
    simple-history for every record's predecessor.
    """
    entries = history_entries(assessment, created="Recorded")
    last_value: dict[tuple[str, str], int] = {}
    cell_changes: dict[tuple[datetime, str], list[Change]] = {}
    records = (
        ScarCount.history.filter(assessment_id=assessment.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    for record in records:
        key = (record.region, record.scar_type)
        if key in last_value and last_value[key] != record.count:
            label = f"{record.get_region_display()}, {record.get_scar_type_display()}"
            # One save writes all its cells within the same second: group them as one entry.
            stamp = (record.history_date.replace(microsecond=0), _by(record))
            cell_changes.setdefault(stamp, []).append(
                Change(label, str(last_value[key]), str(record.count))
            )
        last_value[key] = record.count
    for (at, by), changes in cell_changes.items():
        match = next(
            (
                e
                for e in entries
                if e.kind == "Amended" and e.by == by and abs((e.at - at).total_seconds()) < 2
            ),
            None,
        )
        if match is not None:
            match.changes.extend(changes)
        else:
            entries.append(HistoryEntry(at, by, "Amended", changes))
    entries.sort(key=lambda e: e.at)
    return list(reversed(entries))
