"""Outcome pages for one patient: the one-page progress summary and the referral letter."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from patients.access import get_patient_for_user
from patients.audit import access_record
from patients.history import history_entries
from patients.models import AccessLog
from treatments.fhir import patient_bundle
from treatments.letters import letter_draft
from treatments.modalities import Modality
from treatments.models import AdverseEvent, ClinicalPhoto, PhotoView, ReferralLetter
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


def _session_dates_by_modality(sessions) -> list[tuple[str, list]]:
    """Each modality's session dates; a combination session counts under each of its modalities."""
    by_modality: dict[str, list] = {}
    for session in sessions:
        for modality in session.modalities():
            by_modality.setdefault(modality.label, []).append(session.performed_on)
    return sorted(by_modality.items())


def summary_context(patient, *, show_photos: bool) -> dict:
    """Everything the one-page progress summary shows."""
    data = patient_outcomes(patient)
    baseline = data.snapshots[0] if data.snapshots else None
    latest = data.snapshots[-1] if len(data.snapshots) > 1 else None
    today = timezone.localdate()
    last_session = data.sessions[-1] if data.sessions else None
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
        "by_modality": _session_dates_by_modality(data.sessions),
        "responses_labelled": [(Modality(r.modality).label, r) for r in data.responses],
        "follow_up_days": FOLLOW_UP_DAYS,
        "adverse_events": AdverseEvent.objects.filter(
            session__patient=patient, session__archived_at__isnull=True
        ).select_related("session"),
        "photo_pair": frontal_pair(patient) if show_photos else None,
        "topicals": patient.topicals.current_on(today),
        "next_due": last_session.next_session_due if last_session else None,
    }
    return context


@permission_required("treatments.view_treatmentsession", raise_exception=True)
def progress_summary(request, pk: int):
    # Queries: patient, assessments (one), sessions with procedures (seven), adverse events,
    # topicals, frontal photos, and the access-log insert.
    patient = get_patient_for_user(request.user, pk, perm="treatments.view_treatmentsession")
    access_record(request, patient=patient, action=AccessLog.Action.PRINT)
    context = summary_context(
        patient, show_photos=request.user.has_perm("treatments.view_clinicalphoto")
    )
    return render(request, "treatments/progress_summary.html", context)


class ReferralLetterForm(forms.ModelForm):
    class Meta:
        model = ReferralLetter
        fields = ["recipient", "recipient_address", "subject", "body"]
        widgets = {
            "recipient_address": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 22}),
        }


@permission_required("treatments.add_referralletter", raise_exception=True)
def letter_create(request, pk: int):
    patient = get_patient_for_user(
        request.user, pk, perm="treatments.add_referralletter", adding=True
    )
    letter = ReferralLetter(patient=patient, created_by=request.user, updated_by=request.user)
    initial = None if request.method == "POST" else letter_draft(patient, author=request.user)
    form = ReferralLetterForm(request.POST or None, instance=letter, initial=initial)
    if form.is_valid():
        letter = form.save()
        messages.success(request, "Letter saved.")
        return redirect("treatments:letter_print", pk=letter.pk)
    return render(
        request,
        "treatments/letter_form.html",
        {"form": form, "patient": patient, "title": "Letter to the referrer"},
    )


def get_letter_for_user(user, pk: int, perm: str) -> ReferralLetter:
    if not user.has_perm(perm):
        raise PermissionDenied
    return get_object_or_404(ReferralLetter.objects.select_related("patient", "created_by"), pk=pk)


@permission_required("treatments.change_referralletter", raise_exception=True)
def letter_update(request, pk: int):
    letter = get_letter_for_user(request.user, pk, "treatments.change_referralletter")
    form = ReferralLetterForm(request.POST or None, instance=letter)
    if form.is_valid():
        letter = form.save(commit=False)
        letter.updated_by = request.user
        letter.save()
        messages.success(request, "Letter saved.")
        return redirect("treatments:letter_print", pk=letter.pk)
    context = {
        "form": form,
        "patient": letter.patient,
        "letter": letter,
        "title": "Edit letter",
        "history": history_entries(letter, created="Written"),
    }
    return render(request, "treatments/letter_form.html", context)


@permission_required("treatments.view_referralletter", raise_exception=True)
def letter_print(request, pk: int):
    letter = get_letter_for_user(request.user, pk, "treatments.view_referralletter")
    access_record(request, patient=letter.patient, action=AccessLog.Action.PRINT, obj=letter)
    return render(
        request, "treatments/letter_print.html", {"letter": letter, "patient": letter.patient}
    )


@permission_required("treatments.export_fhir", raise_exception=True)
def fhir_export(request, pk: int):
    """The patient's record as a FHIR R4 Bundle, downloaded as JSON; logged as an export."""
    patient = get_patient_for_user(request.user, pk, perm="treatments.export_fhir")
    bundle = patient_bundle(
        patient,
        base_url=request.build_absolute_uri("/fhir/"),
        photo_url=lambda p: request.build_absolute_uri(
            reverse("treatments:photo_file", args=[p.pk, "full"])
        ),
    )
    access_record(request, patient=patient, action=AccessLog.Action.EXPORT)
    response = JsonResponse(bundle, content_type="application/fhir+json")
    response["Content-Disposition"] = f'attachment; filename="patient-{patient.mrn}-fhir.json"'
    response["Cache-Control"] = "private, no-store"
    return response
