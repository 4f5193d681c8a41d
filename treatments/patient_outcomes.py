"""One patient's outcome data read from the database, for the chart's timeline, the progress
summary and the referral letter. A constant number of queries, whatever the history's length.
"""

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from clinic.lib.compiled import CompiledInstances, CompiledRows
from clinic.templatetags.clinic_format import url_for
from patients.models import ScarAssessment
from patients.scoring import EccaScarType
from treatments.modalities import Modality
from treatments.models import PROCEDURE_MODELS, ClinicalPhoto, Procedure, TreatmentSession
from treatments.outcomes import ModalityResponse, ScoreSnapshot, SessionFact, response_per_modality
from treatments.timeline import TimelineSession


def score_snapshots(patient) -> list[ScoreSnapshot]:
    """Scores of every assessment that counts (current, the last of its day), oldest first, with
    the ice pick count summed over the grid's regions (None when no grid was recorded). One
    query, or none when the chart view has read the assessments already
    (`patient.chart_assessments`, ScarAssessment.objects.chart_rows)."""
    loaded = patient.__dict__.get("chart_assessments")
    if loaded is not None:
        return [
            ScoreSnapshot(
                a.assessed_on, a.ecca_score, a.gb_quantitative_score, a.ice_pick, a.cadi_score,
                a.dlqi_score,
            )
            for a in sorted(loaded, key=lambda a: a.assessed_on)
            if not a.is_superseded
        ]  # fmt: skip
    rows = (
        ScarAssessment.objects.latest_of_each_day()
        .filter(patient=patient)
        .annotate(
            ice_pick=Sum(
                "scar_counts__count", filter=Q(scar_counts__scar_type=EccaScarType.ICE_PICK)
            )
        )
        .order_by("assessed_on")
        .values_list(
            "assessed_on",
            "ecca_score",
            "gb_quantitative_score",
            "ice_pick",
            "cadi_score",
            "dlqi_score",
        )
    )
    return [ScoreSnapshot(*row) for row in rows]


def sessions_with_procedures(
    patient, *, since: dt.date | None = None, modalities: Collection[str] | None = None
) -> list[TreatmentSession]:
    """Current sessions (from the day `since`, if given), oldest first, with clinicians and every
    modality's procedures (seven queries at most; see attach_procedures for `modalities`).
    `session.procedures()` and each modality's related manager read what was loaded."""
    sessions = TreatmentSession.objects.current().filter(patient=patient)
    if since is not None:
        start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
        sessions = sessions.filter(performed_at__gte=start)
    loaded = list(sessions.select_related("clinician").order_by("performed_at", "pk"))
    attach_procedures(loaded, modalities)
    return loaded


def session_facts(patient) -> list[SessionFact]:
    """Every current session's day and modalities, in the order its procedures were logged, as
    the response per modality needs them. One query over the six procedure tables; no session or
    procedure rows are built, so a history of hundreds of sessions costs little."""
    # Plain SQL (table names are ours): the same UNION through the ORM cost more to compile
    # than to run. The patient's sessions are found once (the CTE), not once per table: planned
    # per table, the query took ten times as long. The database gives each session's day in the
    # clinic's time zone, so no timestamp is read.
    union = " UNION ALL ".join(
        f"SELECT p.session_id, s.performed_at, p.created_at, %s AS modality FROM s "  # noqa: S608
        f"JOIN {model._meta.db_table} p ON p.session_id = s.id"
        for model in PROCEDURE_MODELS
    )
    sessions = (
        f"SELECT id, performed_at FROM {TreatmentSession._meta.db_table} "  # noqa: S608
        "WHERE patient_id = %s AND archived_at IS NULL"
    )
    day, day_params = connection.ops.datetime_cast_date_sql(
        "u.performed_at", (), timezone.get_current_timezone_name()
    )
    params = [
        patient.pk,
        *day_params,
        *(model.MODALITY.value for model in PROCEDURE_MODELS),
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH s AS ({sessions}) SELECT u.session_id, {day}, u.modality "  # noqa: S608
            f"FROM ({union}) u ORDER BY u.performed_at, u.session_id, u.created_at",
            params,
        )
        rows = cursor.fetchall()
    facts: dict[int, tuple[dt.date, list[str]]] = {}
    for session_id, day_value, modality in rows:
        fact = facts.get(session_id)
        if fact is None:
            # SQLite's raw cursor gives the day as ISO text.
            if isinstance(day_value, str):
                day_value = dt.date.fromisoformat(day_value)
            fact = facts[session_id] = (day_value, [])
        fact[1].append(modality)
    return [SessionFact(day, tuple(dict.fromkeys(found))) for day, found in facts.values()]


@dataclass(frozen=True)
class LatestSession:
    pk: int
    performed_at: dt.datetime
    next_session_due: dt.date | None
    clinician_id: int
    clinician: str  # full name, or username when the account has none
    modalities: tuple[Modality, ...]
    total: int  # the patient's current sessions in all


def latest_session(patient, *, with_due_date: bool = False) -> LatestSession | None:
    """The patient's latest current session (with `with_due_date`, the latest that set when the
    next is due) with its clinician, its modalities and the number of such sessions, for the
    chart summary and the front desk's "next session due": one plain query (through the ORM, six
    EXISTS subqueries and a window cost more to compile than to run)."""
    flags = ", ".join(
        f"EXISTS (SELECT 1 FROM {model._meta.db_table} p WHERE p.session_id = s.id)"  # noqa: S608
        for model in PROCEDURE_MODELS
    )
    query = (
        "SELECT s.id, s.performed_at, s.next_session_due, s.clinician_id, u.username, "  # noqa: S608
        f"u.first_name, u.last_name, COUNT(*) OVER (), {flags} "
        f"FROM {TreatmentSession._meta.db_table} s JOIN auth_user u ON u.id = s.clinician_id "
        "WHERE s.patient_id = %s AND s.archived_at IS NULL "
        f"{'AND s.next_session_due IS NOT NULL ' if with_due_date else ''}"
        "ORDER BY s.performed_at DESC, s.id DESC LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [patient.pk])
        row = cursor.fetchone()
    if row is None:
        return None
    pk, performed_at, due, clinician_id, username, first, last, total, *has = row
    if isinstance(due, str):
        due = dt.date.fromisoformat(due)
    return LatestSession(
        pk=pk,
        performed_at=_aware(performed_at),
        next_session_due=due,
        clinician_id=clinician_id,
        clinician=f"{first} {last}".strip() or username,
        modalities=tuple(
            m.MODALITY for m, found in zip(PROCEDURE_MODELS, has, strict=True) if found
        ),
        total=total,
    )


def _aware(value: dt.datetime | str) -> dt.datetime:
    """SQLite hands back text from a raw query; PostgreSQL an aware datetime."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)


def attach_procedures(
    sessions: list[TreatmentSession], modalities: Collection[str] | None = None
) -> None:
    """What prefetch_related does for the six procedure relations, without its per-session cost
    (a related manager and a filtered queryset for every session and modality: 750 of them on a
    chart of 124 sessions). One query per modality; the loaded rows go where prefetch_related
    puts them, and the many sessions without a modality share one empty result. When the caller
    knows which `modalities` these sessions have, the other modalities are not queried."""
    by_id = {session.pk: session for session in sessions}
    for model, procedures in _procedures_of(list(by_id), modalities):
        name = model.related_name()
        found: dict[int, list] = {}
        for procedure in procedures:
            procedure.session = by_id[procedure.session_id]
            found.setdefault(procedure.session_id, []).append(procedure)
        empty = _loaded(model, [])
        for pk, session in by_id.items():
            rows = found.get(pk)
            cache = session.__dict__.setdefault("_prefetched_objects_cache", {})
            cache[name] = _loaded(model, rows) if rows else empty


def _procedures_of(
    session_ids: list[int], modalities: Collection[str] | None
) -> Iterator[tuple[type[Procedure], list[Procedure]]]:
    """Each procedure model with its rows of these sessions: one query per modality, none for a
    modality not in `modalities` (None: every one) or when there are no sessions."""
    for model in PROCEDURE_MODELS:
        skip = not session_ids or (
            modalities is not None and model.MODALITY.value not in modalities
        )
        yield model, [] if skip else list(model.objects.filter(session_id__in=session_ids))


def _loaded(model, rows: list) -> QuerySet:
    queryset = QuerySet(model=model)
    queryset._result_cache = rows
    queryset._prefetch_done = True
    return queryset


def session_summary(session: TreatmentSession, procedures: list | None = None) -> str:
    """The session in one line: date, each procedure with its key parameters, operator."""
    if procedures is None:
        procedures = session.procedures()
    clinician = session.clinician.get_full_name() or session.clinician.get_username()
    return _summary_line(session.performed_on, procedures, clinician)


def _summary_line(day: dt.date, procedures: list, clinician: str) -> str:
    done = "; ".join(f"{p.MODALITY.label}: {p.summary()}" for p in procedures)
    return f"{day:%d %b %Y} · {done or 'no procedure'} · {clinician}"


def _timeline_session(pk: int, day: dt.date, procedures: list, clinician: str) -> TimelineSession:
    modalities = dict.fromkeys(p.MODALITY for p in procedures)
    return TimelineSession(
        day=day,
        modalities=tuple((m.value, m.label) for m in modalities),
        summary=_summary_line(day, procedures, clinician),
        url=url_for(pk, "treatments:session_detail"),
    )


def timeline_sessions(sessions: list[TreatmentSession]) -> list[TimelineSession]:
    made = []
    for s in sessions:
        clinician = s.clinician.get_full_name() or s.clinician.get_username()
        made.append(_timeline_session(s.pk, s.performed_on, s.procedures(), clinician))
    return made


def _timeline_rows_of(
    patient_pk: int, start: dt.datetime | None = None
) -> "QuerySet[TreatmentSession, tuple[Any, ...]]":
    sessions = TreatmentSession.objects.current().filter(patient_id=patient_pk)
    if start is not None:
        sessions = sessions.filter(performed_at__gte=start)
    return sessions.order_by("performed_at", "pk").values_list(
        "pk", "performed_at", "clinician__first_name", "clinician__last_name", "clinician__username"
    )


# Compiled once each: the whole history, and from a day.
_timeline_rows = CompiledRows(_timeline_rows_of)
_timeline_rows_since = CompiledRows(_timeline_rows_of, types=(int, dt.datetime))


@cache
def _timeline_procedures(model: type[Procedure], *, since: bool) -> CompiledInstances:
    """The procedures of `model` in the patient's current sessions (from a moment, with
    `since`), the sessions _timeline_rows reads: compiled once for each modality."""

    def build(patient_pk: int, start: dt.datetime | None = None) -> QuerySet:
        rows = model.objects.filter(session__patient_id=patient_pk, session__archived_at=None)
        return rows if start is None else rows.filter(session__performed_at__gte=start)

    return CompiledInstances(model, build, types=(int, dt.datetime) if since else (int,))


def timeline_sessions_since(
    patient, since: dt.date | None, modalities: Collection[str]
) -> list[TimelineSession]:
    """The patient's current sessions from the day `since` (all when None), oldest first, as
    the progress timeline draws them. The sessions and their clinicians are read as plain rows;
    only the procedures are model instances (their summaries need them), one query for each of
    `modalities`, the modalities these sessions had. Each query is compiled once per process."""
    if since is None:
        rows = _timeline_rows(patient.pk)
    else:
        start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
        rows = _timeline_rows_since(patient.pk, start)
    found: dict[int, list] = {}
    for model in PROCEDURE_MODELS:
        if not rows or model.MODALITY.value not in modalities:
            continue
        if since is None:
            procedures = _timeline_procedures(model, since=False)(patient.pk)
        else:
            procedures = _timeline_procedures(model, since=True)(patient.pk, start)
        for procedure in procedures:
            found.setdefault(procedure.session_id, []).append(procedure)
    made = []
    for pk, performed_at, first_name, last_name, username in rows:
        procedures = sorted(found.get(pk, []), key=lambda p: p.created_at)
        clinician = f"{first_name} {last_name}".strip() or username
        day = timezone.localtime(performed_at).date()
        made.append(_timeline_session(pk, day, procedures, clinician))
    return made


def _photo_day_counts_of(patient_pk: int) -> "QuerySet[ClinicalPhoto, tuple[dt.date, int]]":
    """A patient's current photos counted per day, oldest first."""
    return (
        ClinicalPhoto.objects.current()
        .filter(patient_id=patient_pk)
        .values_list("taken_on")
        .annotate(n=Count("pk"))
        .order_by("taken_on")
    )


# Compiled once (building and compiling the grouped query cost three times as long as running it).
_photo_day_counts = CompiledRows(_photo_day_counts_of)


def photo_days(patient) -> list[dt.date]:
    """The day of every current photo, oldest first, a day repeated for each photo taken on it
    (one query, a row per day: a standard series is six photos or more a visit)."""
    return [day for day, n in _photo_day_counts(patient.pk) for _ in range(n)]


@dataclass(frozen=True)
class PatientOutcomes:
    snapshots: list[ScoreSnapshot]
    sessions: list[TreatmentSession]
    timeline_sessions: list[TimelineSession]
    responses: list[ModalityResponse]


def patient_outcomes(patient) -> PatientOutcomes:
    """Scores, sessions and the response per modality (eight queries)."""
    snapshots = score_snapshots(patient)
    sessions = sessions_with_procedures(patient)
    timeline = timeline_sessions(sessions)
    facts = [SessionFact(t.day, tuple(value for value, _ in t.modalities)) for t in timeline]
    return PatientOutcomes(
        snapshots=snapshots,
        sessions=sessions,
        timeline_sessions=timeline,
        responses=response_per_modality(snapshots, facts),
    )
