"""One patient's outcome data read from the database, for the chart's timeline, the progress
summary and the referral letter. A constant number of queries, whatever the history's length.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, Sum
from django.urls import reverse

from patients.models import ScarAssessment
from patients.scoring import EccaScarType
from treatments.models import PROCEDURE_MODELS, ClinicalPhoto, TreatmentSession
from treatments.outcomes import ModalityResponse, ScoreSnapshot, SessionFact, response_per_modality
from treatments.timeline import TimelineSession


def score_snapshots(patient) -> list[ScoreSnapshot]:
    """Scores of every assessment that counts (current, the last of its day), oldest first, with
    the ice pick count summed over the grid's regions (None when no grid was recorded). One
    query."""
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


def sessions_with_procedures(patient) -> list[TreatmentSession]:
    """Current sessions, oldest first, with clinicians and every modality's procedures (seven
    queries)."""
    return list(
        TreatmentSession.objects.current()
        .filter(patient=patient)
        .select_related("clinician")
        .prefetch_related(*(model.related_name() for model in PROCEDURE_MODELS))
        .order_by("performed_at", "pk")
    )


def session_summary(session: TreatmentSession) -> str:
    """The session in one line: date, each procedure with its key parameters, operator."""
    procedures = "; ".join(f"{p.MODALITY.label}: {p.summary()}" for p in session.procedures())
    clinician = session.clinician.get_full_name() or session.clinician.get_username()
    return f"{session.performed_on:%d %b %Y} · {procedures or 'no procedure'} · {clinician}"


def timeline_sessions(sessions: list[TreatmentSession]) -> list[TimelineSession]:
    return [
        TimelineSession(
            day=s.performed_on,
            modalities=tuple((m.value, m.label) for m in s.modalities()),
            summary=session_summary(s),
            url=reverse("treatments:session_detail", args=[s.pk]),
        )
        for s in sessions
    ]


def photo_days(patient) -> list[dt.date]:
    """The day of every current photo (one query)."""
    return list(
        ClinicalPhoto.objects.current()
        .filter(patient=patient)
        .order_by("taken_on")
        .values_list("taken_on", flat=True)
    )


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
    facts = [SessionFact(s.performed_on, tuple(m.value for m in s.modalities())) for s in sessions]
    return PatientOutcomes(
        snapshots=snapshots,
        sessions=sessions,
        timeline_sessions=timeline_sessions(sessions),
        responses=response_per_modality(snapshots, facts),
    )
