"""The clinic outcomes report and the de-identified data set computed by PostgreSQL.

The same figures as the portable path (treatments.report feeding treatments.outcomes), which
SQLite runs: tests on PostgreSQL check that the two agree. The report is one statement, so
nothing per session or per patient crosses the wire:

- each filtered session gets a bit mask of its modalities (one bit per Modality);
- a course is a patient's sessions of one group (a modality, or one of the three commonest
  combinations: a mask with more than one bit); its first session is the earliest day, and of
  several that day the one the portable path meets first (latest time, then highest id);
- baseline and follow-ups come from one join of the courses with the patient's counting
  assessments in the window, each picked with min()/max() over an array whose leading elements
  are the rule's ordering (day, then the last recorded that day wins, as
  `ScarAssessment.objects.latest_of_each_day()`), so no sort and no subquery per course;
- medians and quartiles are `percentile_cont`, linear interpolation between closest ranks, the
  definition of `treatments.outcomes.quantile` (Hyndman & Fan type 7).

Rates, shares and the order of rows are finished in Python from a few dozen aggregate rows.

The de-identified data set is read 1000 patients at a time (keyset pagination on the patient id),
so its first rows leave at once and neither Python nor the database holds all of it.

Measured at 100k patients (scripts/bench_report.py; README): about 2 s of database CPU with the
default filters, 1 s for one year, 0.13 s for one dermatologist's year.
"""

import bisect
import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from treatments.modalities import Modality
from treatments.models import PROCEDURE_MODELS
from treatments.outcomes import (
    BAND_ALL,
    BAND_DARK,
    BAND_LIGHT,
    BASELINE_LOOKBACK_DAYS,
    COMMON_COMBINATIONS,
    FOLLOW_UP_WINDOW_DAYS,
    FOLLOW_UPS,
    FollowUp,
    GroupRow,
    Share,
    Summary,
    rate_per_100,
)

if TYPE_CHECKING:  # treatments.report imports this module
    from treatments.report import ReportFilters

# Query parameters by name (%(name)s).
Params = dict[str, Any]
# A row of the de-identified data set: patient id, skin type, day, baseline day, modality values
# joined by "+", adverse events joined by "+", ECCA, G&B (treatments.report.dataset_rows).
DatasetRecord = tuple[int, int | None, dt.date, dt.date, str, str, int | None, int | None]

BITS: dict[str, int] = {m.value: 1 << index for index, m in enumerate(Modality)}
QUARTILES = "ARRAY[0.5, 0.25, 0.75]::float8[]"
# For the statements here only (SET LOCAL, inside their transaction): JIT compilation of these
# large plans cost 7-10 s at 100k patients (more than running them), and the hashes of 200k
# sessions spill to disk in the default 4 MB of work memory.
STATEMENT_SETTINGS = ("SET LOCAL jit = off", "SET LOCAL work_mem = '64MB'")


def mask_modalities(mask: int) -> list[str]:
    """The modality values in a mask, in the Modality order."""
    return [value for value, bit in BITS.items() if mask & bit]


def _procedures(*, few: bool) -> str:
    """(session_id, bit) for every procedure of the filtered sessions. When they are `few` (one
    dermatologist's, a page of patients'), each is looked up by index; otherwise reading every
    procedure table whole is cheaper (measured at 100k patients)."""
    arm = "SELECT session_id, {} AS bit FROM {}"
    if few:
        arm += " WHERE session_id IN (SELECT id FROM filtered)"
    return "\n        UNION ALL ".join(
        arm.format(BITS[model.MODALITY.value], model._meta.db_table) for model in PROCEDURE_MODELS
    )


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of a local day, as an aware datetime (what a date filter compares with)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _session_filters(filters: "ReportFilters") -> tuple[list[str], Params]:
    """WHERE clauses on treatments_treatmentsession `ts` for the filters, with their parameters.
    Dates compare performed_at with local midnights, so the indexes on performed_at serve them."""
    clauses = ["ts.archived_at IS NULL"]
    params: Params = {"tz": timezone.get_current_timezone_name()}
    if filters.start:
        clauses.append("ts.performed_at >= %(start)s")
        params["start"] = local_midnight(filters.start)
    if filters.end:
        clauses.append("ts.performed_at < %(end)s")
        params["end"] = local_midnight(filters.end + dt.timedelta(days=1))
    if filters.dermatologist_id:
        clauses.append("ts.clinician_id = %(dermatologist)s")
        params["dermatologist"] = filters.dermatologist_id
    return clauses, params


def _sessions_sql(filters: "ReportFilters", *, patients: bool = False) -> tuple[str, Params]:
    """The CTEs `filtered` (current sessions in the filters, with day and skin type) and
    `sessions` (those with at least one procedure, with their modality mask); with `patients`,
    only the sessions of the patients in the %(patients)s array."""
    clauses, params = _session_filters(filters)
    if patients:  # on both tables, so the planner reads both through their indexes
        clauses += ["ts.patient_id = ANY(%(patients)s)", "p.id = ANY(%(patients)s)"]
    sql = f"""
    filtered AS MATERIALIZED (
        SELECT ts.id, ts.patient_id, ts.performed_at,
               (ts.performed_at AT TIME ZONE %(tz)s)::date AS day,
               COALESCE(ts.fitzpatrick_type, p.fitzpatrick_type) AS skin
          FROM treatments_treatmentsession ts
          JOIN patients_patient p ON p.id = ts.patient_id
         WHERE {" AND ".join(clauses)}
    ),
    kinds AS (
        SELECT session_id, bit_or(bit) AS mask FROM (
        {_procedures(few=patients or bool(filters.dermatologist_id))}
        ) AS done GROUP BY session_id
    ),
    sessions AS MATERIALIZED (
        SELECT f.*, k.mask FROM filtered f JOIN kinds k ON k.session_id = f.id
    )"""  # noqa: S608 (only names and numbers from code; values are parameters)
    return sql, params


def _report_sql(filters: "ReportFilters") -> tuple[str, Params]:
    sessions, params = _sessions_sql(filters)
    params.update(
        lookback=BASELINE_LOOKBACK_DAYS,
        window=FOLLOW_UP_WINDOW_DAYS,
        reach=max(days for _, days in FOLLOW_UPS) + FOLLOW_UP_WINDOW_DAYS,
        combinations=COMMON_COMBINATIONS,
    )
    names = ", ".join(f"({bit}, '{value}')" for value, bit in BITS.items())
    # Every mask with each of its bits: a hash join on equality, not a test per session and bit.
    every_mask = range(1, 1 << len(BITS))
    masks = ", ".join(f"({m}, {bit})" for m in every_mask for bit in BITS.values() if m & bit)
    # Per follow-up point: the assessment nearest to the target day within the window (on a tie
    # the earlier day; of one day the last recorded), never the first session's day or before.
    points, changes, figures = [], [], []
    for index, (_, days) in enumerate(FOLLOW_UPS, start=1):
        distance = f"abs(a.assessed_on - c.first_day - {days})"
        points.append(
            f"min(ARRAY[{distance}, a.assessed_on - c.first_day, -extract(epoch FROM a.created_at),"
            f" -a.id, a.ecca_score, a.gb_quantitative_score]) FILTER (WHERE a.assessed_on >"
            f" c.first_day AND {distance} <= %(window)s) AS at_{index}"
        )
        changes.append(
            f"(at_{index}[5] - base[4])::float8 AS ecca_{index},"
            f" (at_{index}[6] - base[5])::float8 AS gb_{index},"
            f" CASE WHEN at_{index}[5] IS NOT NULL THEN base[4] END AS ecca_base_{index}"
        )
        figures.append(
            f"count(ecca_{index}),"
            f" percentile_cont({QUARTILES}) WITHIN GROUP (ORDER BY ecca_{index}),"
            f" count(gb_{index}), percentile_cont({QUARTILES}) WITHIN GROUP (ORDER BY gb_{index}),"
            f" count(*) FILTER (WHERE ecca_base_{index} > 0),"
            f" count(*) FILTER (WHERE ecca_base_{index} > 0"
            f" AND -2 * ecca_{index} >= ecca_base_{index})"
        )
    sql = f"""
    WITH {sessions},
    combinations AS (
        SELECT mask, row_number() OVER (ORDER BY patients DESC, ARRAY(
                   SELECT name FROM (VALUES {names}) AS m(bit, name)
                    WHERE mask & m.bit <> 0 ORDER BY name COLLATE "C")) AS rank
          FROM (SELECT mask, count(DISTINCT patient_id) AS patients FROM sessions
                 WHERE mask & (mask - 1) <> 0 GROUP BY mask) AS combined
         ORDER BY rank LIMIT %(combinations)s
    ),
    grouped AS MATERIALIZED (
        SELECT s.id, s.patient_id, s.day, s.performed_at, s.skin, b.bit AS grp
          FROM sessions s JOIN (VALUES {masks}) AS b(mask, bit) ON b.mask = s.mask
        UNION ALL
        SELECT s.id, s.patient_id, s.day, s.performed_at, s.skin, s.mask
          FROM sessions s WHERE s.mask IN (SELECT mask FROM combinations)
    ),
    courses AS (
        SELECT grp, patient_id, sessions, first[4]::int AS skin,
               DATE '2000-01-01' + first[1]::int AS first_day
          FROM (SELECT grp, patient_id, count(*) AS sessions,
                       min(ARRAY[day - DATE '2000-01-01', -extract(epoch FROM performed_at), -id,
                                 skin]) AS first
                  FROM grouped GROUP BY grp, patient_id) AS firsts
    ),
    assessed AS (
        SELECT c.grp, c.patient_id, c.sessions, c.skin,
               max(ARRAY[a.assessed_on - c.first_day, extract(epoch FROM a.created_at), a.id,
                         a.ecca_score, a.gb_quantitative_score])
                   FILTER (WHERE a.assessed_on <= c.first_day) AS base,
               {", ".join(points)}
          FROM courses c
          LEFT JOIN patients_scarassessment a
            ON a.patient_id = c.patient_id AND a.archived_at IS NULL
           AND a.assessed_on BETWEEN c.first_day - %(lookback)s AND c.first_day + %(reach)s
         GROUP BY c.grp, c.patient_id, c.sessions, c.skin
    ),
    changes AS MATERIALIZED (
        SELECT grp, patient_id, sessions,
               CASE WHEN skin IS NULL THEN '' WHEN skin <= 3 THEN '{BAND_LIGHT}'
                    ELSE '{BAND_DARK}' END AS band,
               {", ".join(changes)}
          FROM assessed
    ),
    figures AS (
        SELECT grp, band, count(*) AS patients, sum(sessions) AS sessions, {", ".join(figures)}
          FROM changes GROUP BY GROUPING SETS ((grp), (grp, band))
    ),
    events AS (
        SELECT g.grp, c.band, ae.event_type, count(*) AS n
          FROM treatments_adverseevent ae
          JOIN grouped g ON g.id = ae.session_id
          JOIN changes c ON c.grp = g.grp AND c.patient_id = g.patient_id
         GROUP BY GROUPING SETS ((g.grp, ae.event_type), (g.grp, c.band, ae.event_type))
    )
    SELECT f.*, k.rank, e.types, e.counts
      FROM figures f
      LEFT JOIN combinations k ON k.mask = f.grp
      LEFT JOIN LATERAL (
          SELECT array_agg(event_type) AS types, array_agg(n) AS counts FROM events e
           WHERE e.grp = f.grp AND e.band IS NOT DISTINCT FROM f.band) AS e ON true
     WHERE f.band IS DISTINCT FROM ''
    """  # noqa: S608 (only names and numbers from code; values are parameters)
    return sql, params


def _summary(n: int, quartiles: Sequence[float] | None) -> Summary:
    if not n or quartiles is None:
        return Summary(0, None, None, None)
    median, q1, q3 = quartiles
    return Summary(n, median, q1, q3)


def _group_row(group: str, band: str, record: Sequence[Any] | None) -> GroupRow:
    if record is None:
        empty = tuple(
            FollowUp(label, _summary(0, None), _summary(0, None), Share(0, 0))
            for label, _ in FOLLOW_UPS
        )
        return GroupRow(group, band, 0, 0, empty, ())
    patients, sessions = record[2], int(record[3])
    follow_ups: list[FollowUp] = []
    for index, (label, _) in enumerate(FOLLOW_UPS):
        n_ecca, ecca, n_gb, gb, eligible, responded = record[4 + 6 * index : 10 + 6 * index]
        follow_ups.append(
            FollowUp(label, _summary(n_ecca, ecca), _summary(n_gb, gb), Share(responded, eligible))
        )
    types, counts = record[-2] or [], record[-1] or []
    pairs = sorted(zip(types, counts, strict=True))
    events = tuple((event, n, rate_per_100(n, sessions)) for event, n in pairs)
    return GroupRow(group, band, patients, sessions, tuple(follow_ups), events)


def outcomes_report_sql(filters: "ReportFilters") -> list[GroupRow]:
    """The rows of `treatments.outcomes.report_rows`, in its order, from one statement."""
    sql, params = _report_sql(filters)
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in STATEMENT_SETTINGS:
            cursor.execute(setting)
        cursor.execute(sql, params)
        records = cursor.fetchall()
    found: dict[int, dict[str, Sequence[Any]]] = {}
    ranks: dict[int, int] = {}
    for record in records:
        grp, band, rank = record[0], record[1] or BAND_ALL, record[-3]
        found.setdefault(grp, {})[band] = record
        if rank is not None:
            ranks[grp] = rank
    singles = [bit for bit in BITS.values() if bit in found]
    combined = sorted(ranks, key=ranks.__getitem__)
    rows = []
    for grp in singles + combined:
        group = "+".join(mask_modalities(grp))
        for band in (BAND_ALL, BAND_LIGHT, BAND_DARK):
            rows.append(_group_row(group, band, found[grp].get(band)))
    return rows


# ----------------------------------------------------------------------------------------------
# De-identified per-session data set
# ----------------------------------------------------------------------------------------------


def _dataset_sql(filters: "ReportFilters") -> tuple[str, Params]:
    sessions, params = _sessions_sql(filters, patients=True)
    sql = f"""
    WITH {sessions}
    SELECT s.patient_id, s.skin, s.day, s.mask,
           (SELECT string_agg(ae.event_type, '+' ORDER BY ae.onset_on, ae.id)
              FROM treatments_adverseevent ae WHERE ae.session_id = s.id) AS events
      FROM sessions s
     ORDER BY s.patient_id, s.day, s.performed_at DESC, s.id DESC
    """  # noqa: S608 (only names and numbers from code; values are parameters)
    return sql, params


# Counting assessments of some patients, in recording order: of several on one day the last
# recorded counts (`ScarAssessment.objects.latest_of_each_day()`).
ASSESSMENTS_SQL = """
    SELECT patient_id, assessed_on, ecca_score, gb_quantitative_score
      FROM patients_scarassessment
     WHERE patient_id = ANY(%(patients)s) AND archived_at IS NULL
     ORDER BY patient_id, assessed_on, created_at, id
"""


# (day, ECCA, G&B) of an assessment.
Scores = tuple[dt.date, int | None, int | None]


def _histories(rows: Sequence[tuple[Any, ...]]) -> dict[int, list[Scores]]:
    """(day, ECCA, G&B) by patient, one per day, oldest first."""
    found: dict[int, list[Scores]] = {}
    for patient_id, day, ecca, gb in rows:
        history = found.setdefault(patient_id, [])
        if history and history[-1][0] == day:
            history[-1] = (day, ecca, gb)
        else:
            history.append((day, ecca, gb))
    return found


# Patients per query of the data set: each query is small (index lookups), the first rows go out
# at once, and no query, cursor or transaction stays open while the client downloads.
PATIENTS_PER_QUERY = 1000


def _dataset_patients_sql(filters: "ReportFilters") -> tuple[str, Params]:
    clauses, params = _session_filters(filters)
    sql = f"""
    SELECT DISTINCT ts.patient_id FROM treatments_treatmentsession ts
     WHERE {" AND ".join(clauses)} AND ts.patient_id > %(after)s
     ORDER BY ts.patient_id LIMIT %(limit)s
    """  # noqa: S608 (only names and numbers from code; values are parameters)
    return sql, params


def dataset_records_sql(filters: "ReportFilters") -> Iterator[DatasetRecord]:
    """(patient id, skin type, day, baseline day, modality values joined by "+", adverse events
    joined by "+", ECCA, G&B) per session, by patient then day, PATIENTS_PER_QUERY patients at a
    time (keyset pagination on the patient id; per step the patients, their sessions and their
    assessments, each query served by indexes)."""
    patients_sql, patients_params = _dataset_patients_sql(filters)
    sql, params = _dataset_sql(filters)
    names = {mask: "+".join(sorted(mask_modalities(mask))) for mask in range(1, 1 << len(BITS))}
    after = 0
    while True:
        with connection.cursor() as cursor:
            step = {"after": after, "limit": PATIENTS_PER_QUERY}
            cursor.execute(patients_sql, patients_params | step)
            patients = [row[0] for row in cursor.fetchall()]
            if not patients:
                return
            cursor.execute(sql, params | {"patients": patients})
            batch = cursor.fetchall()
            cursor.execute(ASSESSMENTS_SQL, {"patients": patients})
            histories = _histories(cursor.fetchall())
        first_session: dict[int, dt.date] = {}
        for patient_id, skin, day, mask, events in batch:
            history = histories.get(patient_id, [])
            first_session.setdefault(patient_id, day)
            baseline = history[0][0] if history else first_session[patient_id]
            # The latest assessment on or before the session's day.
            index = bisect.bisect_right(history, day, key=lambda a: a[0])
            _, ecca, gb = history[index - 1] if index else (None, None, None)
            yield patient_id, skin, day, baseline, names[mask], events or "", ecca, gb
        if len(patients) < PATIENTS_PER_QUERY:
            return
        after = patients[-1]
