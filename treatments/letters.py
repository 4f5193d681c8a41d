"""The referral letter's first draft, written from the same data as the progress summary."""

from django.contrib.auth.models import User
from django.utils import timezone

from patients.models import Patient
from treatments.models import AdverseEvent
from treatments.outcomes import SCORES, ScoreChange
from treatments.patient_outcomes import PatientOutcomes, patient_outcomes


def _change_line(change: ScoreChange) -> str | None:
    if change.before is None:
        return None
    if change.after is None:
        return f"- {change.label}: {change.before} at baseline"
    percent = f", {change.percent:+.1f} %" if change.percent is not None else ""
    return f"- {change.label}: {change.before} to {change.after} ({change.delta:+d}{percent})"


def _score_lines(data: PatientOutcomes) -> list[str]:
    if not data.snapshots:
        return []
    first, last = data.snapshots[0], data.snapshots[-1]
    lines = [
        "",
        f"Scores at baseline ({first.day:%d %b %Y}) and latest ({last.day:%d %b %Y}):",
    ]
    for key, label in SCORES:
        line = _change_line(
            ScoreChange(key, label, first.score(key), last.score(key) if last != first else None)
        )
        if line:
            lines.append(line)
    lines.append("Lower is better on every scale.")
    return lines


def _treatment_lines(data: PatientOutcomes) -> list[str]:
    by_modality: dict[str, list[str]] = {}
    for session in data.sessions:
        for modality in session.modalities():
            by_modality.setdefault(modality.label, []).append(f"{session.performed_on:%d %b %Y}")
    if not by_modality:
        return []
    return [
        "",
        "Treatments so far:",
        *(f"- {label}: {', '.join(days)}" for label, days in sorted(by_modality.items())),
    ]


def _adverse_event_lines(patient: Patient) -> list[str]:
    events = AdverseEvent.objects.filter(
        session__patient=patient, session__archived_at__isnull=True
    ).select_related("session")
    events_text = [
        f"- {e.get_event_type_display()} ({e.get_severity_display().lower()}) after the session of "
        f"{e.session.performed_on:%d %b %Y}{'' if e.resolved_on else ', ongoing'}"
        for e in events
    ]
    return ["", "Adverse events:" if events_text else "No adverse events so far.", *events_text]


def _plan_lines(patient: Patient, data: PatientOutcomes) -> list[str]:
    """Current topical regimen and the next session due, when there are any."""
    lines: list[str] = []
    topicals = [str(t) for t in patient.topicals.current_on(timezone.localdate())]
    if topicals:
        lines += ["", f"Current topical regimen: {'; '.join(topicals)}."]
    due = data.sessions[-1].next_session_due if data.sessions else None
    if due:
        lines += ["", f"The next session is due on {due:%d %b %Y}."]
    return lines


def letter_draft(patient: Patient, *, author: User) -> dict[str, str]:
    """Subject and body prefilled from the record: scores at baseline and latest, treatments by
    modality with dates, adverse events, topical regimen and next session. The clinician edits it
    before saving."""
    data = patient_outcomes(patient)
    name = patient.full_name
    signature = author.get_full_name() or author.get_username()
    lines = [
        "Dear Doctor,",
        "",
        f"Re: {name}, born {patient.date_of_birth:%d %b %Y}, MRN {patient.mrn}",
        "",
        f"Thank you for referring {name}, whom we are treating for atrophic acne scarring.",
        *_score_lines(data),
        *_treatment_lines(data),
        *_adverse_event_lines(patient),
        *_plan_lines(patient, data),
        "",
        "Yours sincerely,",
        "",
        signature,
    ]
    return {"subject": f"Progress of acne scar treatment: {name}", "body": "\n".join(lines)}
