"""Outcome pages for one patient: the one-page progress summary to print."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils import timezone

from clinic.audit import access_record
from clinic.models import AccessLog
from patients.access import get_patient_for_user
from treatments.modalities import Modality
from treatments.models import AdverseEvent, ClinicalPhoto, PhotoView
from treatments.outcomes import FOLLOW_UP_DAYS, SCORES, ScoreChange
from treatments.patient_outcomes import patient_outcomes
from treatments.photos import photo_series


def frontal_pair(patient) -> tuple[ClinicalPhoto, ClinicalPhoto] | None:
    """The first and latest photo of the longest standard frontal series (same view and
    lighting, so the two are comparable); None with fewer than two."""
    photos = ClinicalPhoto.objects.current().filter(patient=patient, view=PhotoView.FRONTAL)
    series = sorted(photo_series(photos).values(), key=len, reverse=True)
    if not series or len(series[0]) < 2:
        return None
    return series[0][0], series[0][-1]


@permission_required("treatments.view_treatmentsession", raise_exception=True)
def progress_summary(request, pk: int):
    # Queries: patient, assessments (one), sessions with procedures (seven), adverse events,
    # topicals, frontal photos, and the access-log insert.
    patient = get_patient_for_user(request.user, pk, perm="treatments.view_treatmentsession")
    data = patient_outcomes(patient)
    baseline = data.snapshots[0] if data.snapshots else None
    latest = data.snapshots[-1] if len(data.snapshots) > 1 else None
    by_modality: dict[str, list] = {}
    for session in data.sessions:
        for modality in session.modalities():
            by_modality.setdefault(modality.label, []).append(session.performed_on)
    today = timezone.localdate()
    last_session = data.sessions[-1] if data.sessions else None
    show_photos = request.user.has_perm("treatments.view_clinicalphoto")
    access_record(request, patient=patient, action=AccessLog.Action.PRINT)
    context = {
        "patient": patient,
        "today": today,
        "baseline": baseline,
        "latest": latest,
        "changes": [
            ScoreChange(k, label, baseline.score(k), latest.score(k) if latest else None)
            for k, label in SCORES
        ]
        if baseline
        else [],
        "by_modality": sorted(by_modality.items()),
        "responses_labelled": [(Modality(r.modality).label, r) for r in data.responses],
        "follow_up_days": FOLLOW_UP_DAYS,
        "adverse_events": AdverseEvent.objects.filter(
            session__patient=patient, session__archived_at__isnull=True
        ).select_related("session"),
        "photo_pair": frontal_pair(patient) if show_photos else None,
        "topicals": patient.topicals.current_on(today),
        "next_due": last_session.next_session_due if last_session else None,
    }
    return render(request, "treatments/progress_summary.html", context)
