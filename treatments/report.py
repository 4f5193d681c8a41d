"""The clinic outcomes report and its exports, read from the database.

On PostgreSQL the database computes the report (treatments.report_sql: one statement) and the
data set is read a step of patients at a time. Elsewhere (SQLite, which `make run` and small
clinics use, has no percentile function) the portable path below runs: filtering and joining in
the database, each query returning flat tuples (values_list, streamed with iterator()), never
model instances, with a fixed number of queries: sessions (one), the session ids in each
procedure table (six), adverse events (one), assessments of the patients in the report (one);
medians and quartiles in Python (treatments.outcomes). Tests on PostgreSQL check that the two
paths give the same figures and rows.
"""

import datetime as dt
import hashlib
import hmac
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import Coalesce, TruncDate

from patients.models import ScarAssessment
from treatments.modalities import Modality
from treatments.models import PROCEDURE_MODELS, AdverseEvent, TreatmentSession
from treatments.outcomes import Assessment, GroupRow, ReportSession, report_rows, skin_band
from treatments.report_sql import (
    DatasetRecord,
    dataset_records_sql,
    local_midnight,
    outcomes_report_sql,
)

CHUNK = 5000


@dataclass(frozen=True)
class ReportFilters:
    start: dt.date | None = None
    end: dt.date | None = None
    dermatologist_id: int | None = None


def use_sql() -> bool:
    """Whether the database computes the report (PostgreSQL) or Python does (the rest)."""
    return connection.vendor == "postgresql"


def filtered_sessions(filters: ReportFilters) -> QuerySet[TreatmentSession]:
    """Current sessions in the filters. Local dates compare as local midnights, so the index on
    performed_at serves them (`performed_at__date` would cast every row first)."""
    sessions: QuerySet[TreatmentSession] = TreatmentSession.objects.current()
    if filters.start:
        sessions = sessions.filter(performed_at__gte=local_midnight(filters.start))
    if filters.end:
        next_day = filters.end + dt.timedelta(days=1)
        sessions = sessions.filter(performed_at__lt=local_midnight(next_day))
    if filters.dermatologist_id:
        sessions = sessions.filter(clinician_id=filters.dermatologist_id)
    return sessions


def report_sessions(filters: ReportFilters) -> list[ReportSession]:
    """Sessions in the filters with their modalities and adverse event types: the sessions (one
    query), the session ids of each procedure table (six) and the adverse events (one), each a
    flat scan joined in Python by session id."""
    sessions = filtered_sessions(filters)
    ids = sessions.values("pk")
    modalities: dict[int, set[str]] = defaultdict(set)
    for model in PROCEDURE_MODELS:
        # Each concrete procedure model has its `session`; the abstract Procedure does not.
        procedures: QuerySet[Any] = model._default_manager.all()
        found = procedures.filter(session__in=ids).values_list("session_id", flat=True)
        for session_id in found.iterator(chunk_size=CHUNK):
            modalities[session_id].add(model.MODALITY.value)
    events: dict[int, list[str]] = defaultdict(list)
    event_rows = AdverseEvent.objects.filter(session__in=ids).values_list(
        "session_id", "event_type"
    )
    for session_id, event in event_rows.iterator(chunk_size=CHUNK):
        events[session_id].append(event)
    rows = sessions.annotate(
        day=TruncDate("performed_at"),
        skin=Coalesce("fitzpatrick_type", "patient__fitzpatrick_type"),
    ).values_list("pk", "patient_id", "day", "skin")
    return [
        ReportSession(
            pk, patient_id, day, skin, frozenset(modalities[pk]), tuple(events.get(pk, ()))
        )
        for pk, patient_id, day, skin in rows.iterator(chunk_size=CHUNK)
        if pk in modalities
    ]


def report_assessments(filters: ReportFilters) -> dict[int, list[Assessment]]:
    """Counting assessments of the patients in the report, by patient, oldest first (one query).
    Of several on one day the one recorded last counts, as on the chart
    (`ScarAssessment.objects.latest_of_each_day()`); here rows come in recording order and the
    last of a day replaces the others, which spares the database a subquery per row."""
    patients = filtered_sessions(filters).values("patient_id")
    rows = (
        ScarAssessment.objects.current()
        .filter(patient_id__in=patients)
        .order_by("patient_id", "assessed_on", "created_at", "pk")
        .values_list("patient_id", "assessed_on", "ecca_score", "gb_quantitative_score")
    )
    found: dict[int, list[Assessment]] = defaultdict(list)
    for patient_id, day, ecca, gb in rows.iterator(chunk_size=CHUNK):
        history = found[patient_id]
        if history and history[-1].day == day:
            history[-1] = Assessment(day, ecca, gb)
        else:
            history.append(Assessment(day, ecca, gb))
    return found


def outcomes_report(filters: ReportFilters) -> list[GroupRow]:
    if use_sql():
        return outcomes_report_sql(filters)
    return outcomes_report_python(filters)


def outcomes_report_python(filters: ReportFilters) -> list[GroupRow]:
    return report_rows(
        report_sessions(filters), report_assessments(filters), [m.value for m in Modality]
    )


def group_label(group: str) -> str:
    labels = {m.value: m.label for m in Modality}
    return " + ".join(labels.get(part, part) for part in group.split("+"))


# ----------------------------------------------------------------------------------------------
# De-identified per-session data set
# ----------------------------------------------------------------------------------------------


def pseudonym(patient_id: int) -> str:
    """A stable research id: HMAC-SHA256 of the primary key under SECRET_KEY, 16 hex digits.
    Without the key it cannot be linked back to the patient."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"patient:{patient_id}".encode(), hashlib.sha256).hexdigest()[:16]


def months_between(start: dt.date, day: dt.date) -> float:
    """Months from `start` to `day`, one decimal (30.44-day months), so no date is exported."""
    return round((day - start).days / 30.44, 1)


DATASET_HEADER = [
    "patient",
    "skin_type_band",
    "months_from_baseline",
    "modalities",
    "adverse_events",
    "ecca_before",
    "gb_quantitative_before",
]


def dataset_rows(filters: ReportFilters) -> Iterator[list[str | float]]:
    """One row per session: pseudonymous patient, Fitzpatrick band, months since the patient's
    baseline (first counting assessment, or first session without one), modalities, adverse
    events and the latest scores on or before the session. No names, MRNs, birth dates, contact
    details or calendar dates. Sessions by patient, then day."""
    records = dataset_records_sql(filters) if use_sql() else dataset_records_python(filters)
    for patient_id, skin, day, baseline, modalities, events, ecca, gb in records:
        yield [
            pseudonym(patient_id),
            skin_band(skin),
            months_between(baseline, day),
            modalities,
            events,
            "" if ecca is None else ecca,
            "" if gb is None else gb,
        ]


def dataset_records_python(filters: ReportFilters) -> Iterator[DatasetRecord]:
    """The records of `report_sql.dataset_records_sql`, from the portable queries (held in
    memory: fine for the clinic sizes SQLite serves)."""
    sessions = sorted(report_sessions(filters), key=lambda s: (s.patient_id, s.day))
    assessments = report_assessments(filters)
    first_session: dict[int, dt.date] = {}
    for s in sessions:
        first_session.setdefault(s.patient_id, s.day)
    for s in sessions:
        history = assessments.get(s.patient_id, [])
        baseline = history[0].day if history else first_session[s.patient_id]
        before = [a for a in history if a.day <= s.day]
        latest = before[-1] if before else None
        yield (
            s.patient_id,
            s.fitzpatrick_type,
            s.day,
            baseline,
            "+".join(sorted(s.modalities)),
            "+".join(s.adverse_events),
            None if latest is None else latest.ecca,
            None if latest is None else latest.gb,
        )
