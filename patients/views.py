import datetime as dt
from dataclasses import dataclass, fields

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clinic.paging import CappedPaginator
from clinic.panels import SUMMARY, chart_panels, chart_tabs
from patients import scoring
from patients.access import get_consent_for_user, get_patient_for_user
from patients.audit import access_record
from patients.flags import safety_flags
from patients.forms import ConsentGiveForm, ConsentWithdrawForm, PatientForm, PatientSearchForm
from patients.history import change_log
from patients.models import ConsentUse, Patient, ScarAssessment
from patients.progress import mark_superseded, progress_rows
from patients.services import consent_give, consent_withdraw, patient_register, patient_update
from patients.trend import line_panel

# What a row of the patient list shows: the page reads these columns only.
LIST_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "mrn",
    "date_of_birth",
    "phone",
    "archived_at",
)


@permission_required("patients.view_patient", raise_exception=True)
def patient_list(request):
    form = PatientSearchForm(request.GET or None)
    patients = Patient.objects.only(*LIST_FIELDS)
    query, include_archived = "", False
    if form.is_valid():
        query = form.cleaned_data["q"]
        include_archived = form.cleaned_data["archived"]
        patients = patients.search(query)
    elif form.is_bound:
        # An over-long search finds nothing rather than silently listing everyone.
        query = request.GET.get("q", "")[:100]
        patients = patients.none()
        messages.error(request, "Search text is limited to 100 characters.")
    if not include_archived:
        patients = patients.active()
    number = request.GET.get("page")
    page = CappedPaginator(patients, settings.PATIENTS_PER_PAGE, page=number).get_page(number)
    return render(
        request,
        "patients/patient_list.html",
        {"form": form, "page": page, "query": query, "include_archived": include_archived},
    )


@permission_required("patients.view_patient", raise_exception=True)
def patient_detail(request, pk: int):
    """The chart, one tab at a time (clinic.panels.CHART_TABS): the summary unless ?tab= names
    another tab this user has; an unknown tab shows the summary."""
    # Consents are read by the tabs that show them (the summary, photos), one query each.
    patient = get_patient_for_user(request.user, pk)
    access_record(request, patient=patient)
    sees_scores = request.user.has_perm("patients.view_scarassessment")
    tabs = chart_tabs(request, extra=frozenset({"progress"} if sees_scores else ()))
    tab = request.GET.get("tab")
    tab = tab if tab in {slug for slug, _ in tabs} else SUMMARY
    context = {"patient": patient, "tabs": tabs, "tab": tab}
    if tab == SUMMARY:
        consents = patient.current_consents()
        context["consents"] = [(use, consents.get(use.value)) for use in ConsentUse]
        if request.user.has_perm("patients.view_clinical_details"):
            context["flags"] = patient_flags(
                patient, has_clinical_photo_consent=ConsentUse.CLINICAL in consents
            )
        if sees_scores:
            context["glance"] = _glance(patient)
    elif tab == "progress" and sees_scores:
        context.update(_assessment_context(patient))
        context.update(_table_rows(context["progress"], show_all=request.GET.get("assessments")))
    context["panels"] = chart_panels(request, patient, tab)
    return render(request, "patients/patient_detail.html", context)


@dataclass(frozen=True, slots=True)
class GlanceScores:
    """An assessment's date and scores, as the summary shows them (a plain row: a model
    instance per visit cost more than the rest of the summary's scores)."""

    pk: int
    assessed_on: dt.date
    ecca_score: int
    gb_grade: int
    gb_quantitative_score: int
    cadi_score: int | None
    dlqi_score: int | None
    is_superseded: bool


def _glance(patient: Patient) -> dict:
    """The summary's scores: the baseline and the latest assessment that count, with the change
    between them (one query of the scores of every visit; the trend is on the progress tab)."""
    rows = ScarAssessment.objects.for_glance(patient).values_list(*GLANCE_COLUMNS)
    progress = progress_rows([GlanceScores(*row) for row in rows])
    counting = [r for r in progress if not r.is_superseded]
    return {
        "baseline": counting[0] if counting else None,
        "latest": counting[-1] if len(counting) > 1 else None,
        "visits": len(counting),
    }


GLANCE_COLUMNS = [f.name for f in fields(GlanceScores)]


ASSESSMENT_ROWS_SHOWN = 8


def _table_rows(progress: list, *, show_all) -> dict:
    """The table's rows: the baseline and the latest visits; all on request. The trend charts
    above it keep every point."""
    if show_all == "all" or len(progress) <= ASSESSMENT_ROWS_SHOWN:
        return {"progress_shown": progress, "progress_hidden": 0}
    shown = [progress[0], *progress[-(ASSESSMENT_ROWS_SHOWN - 1) :]]
    return {"progress_shown": shown, "progress_hidden": len(progress) - len(shown)}


def patient_flags(patient: Patient, *, has_clinical_photo_consent: bool) -> list:
    """The chart's safety flags for this patient today (patients.flags, a pure rule)."""
    return safety_flags(
        today=timezone.localdate(),
        allergies=patient.allergies,
        has_clinical_photo_consent=has_clinical_photo_consent,
        pregnancy_status_recorded_on=patient.pregnancy_status_recorded_on,
        **patient.risk_factors(),
    )


def _assessment_context(patient: Patient) -> dict:
    # One query for the table and all three chart panels. The table lists every current
    # assessment; the trend only the last of each day (superseded ones are marked in the table).
    assessments = mark_superseded(ScarAssessment.objects.chart_rows(patient))
    # The progress timeline (a treatments panel) plots the same assessments: read once.
    patient.chart_assessments = assessments
    points = [(a.assessed_on, a) for a in assessments if not a.is_superseded]
    return {
        "progress": progress_rows(assessments),
        "dlqi_bands_source": scoring.DLQI_BANDS_SOURCE,
        "trend_panels": [
            line_panel(
                [(d, a.ecca_score) for d, a in points],
                title="ECCA (0-540)",
                scale_max=scoring.ECCA_MAX,
            ),
            line_panel(
                [(d, a.gb_quantitative_score) for d, a in points],
                title="Goodman & Baron quantitative (0-84)",
                scale_max=scoring.GOODMAN_BARON_MAX,
            ),
            line_panel(
                [(d, a.cadi_score) for d, a in points],
                title="CADI (0-15)",
                scale_max=scoring.CADI_MAX,
            ),
        ],
    }


@permission_required("patients.add_patient", raise_exception=True)
def patient_create(request):
    form = PatientForm(request.POST or None, user=request.user, submit_label="Register patient")
    if form.is_valid():
        try:
            patient = patient_register(patient=form.save(commit=False), by=request.user)
        except IntegrityError:
            # Another desk saved the same MRN between our check and our insert.
            form.add_error("mrn", "A patient with this MRN was registered a moment ago.")
        else:
            messages.success(request, f"Registered {patient.full_name}, MRN {patient.mrn}.")
            return redirect("patients:detail", pk=patient.pk)
    return render(request, "patients/patient_form.html", {"form": form, "title": "New patient"})


@permission_required("patients.change_patient", raise_exception=True)
def patient_update_view(request, pk: int):
    patient = get_patient_for_user(request.user, pk, perm="patients.change_patient", adding=True)
    form = PatientForm(
        request.POST or None, instance=patient, user=request.user, submit_label="Save changes"
    )
    if form.is_valid():
        try:
            patient_update(patient=form.save(commit=False), by=request.user)
        except IntegrityError:
            form.add_error("mrn", "A patient with this MRN was registered a moment ago.")
        else:
            messages.success(request, f"Saved changes to {patient.full_name}.")
            return redirect("patients:detail", pk=patient.pk)
    context = {"form": form, "patient": patient, "title": f"Edit {patient.full_name}"}
    return render(request, "patients/patient_form.html", context)


@require_POST
@permission_required("patients.archive_patient", raise_exception=True)
def patient_archive(request, pk: int):
    patient = get_patient_for_user(request.user, pk, perm="patients.archive_patient")
    if request.POST.get("restore"):
        patient.unarchive(by=request.user)
        messages.success(request, f"{patient.full_name} is active again.")
        return redirect("patients:detail", pk=patient.pk)
    try:
        patient.archive(by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError:
        messages.error(request, "Give a reason for archiving; nothing was changed.")
    else:
        messages.success(request, f"Archived {patient.full_name}. The record is kept.")
    return redirect("patients:detail", pk=patient.pk)


@permission_required("patients.view_patient", raise_exception=True)
def patient_history(request, pk: int):
    patient = get_patient_for_user(request.user, pk)
    access_record(request, patient=patient)
    show_clinical = request.user.has_perm("patients.view_clinical_details")
    context = {"patient": patient, "entries": change_log(patient, include_clinical=show_clinical)}
    return render(request, "patients/patient_history.html", context)


@permission_required("patients.add_photoconsent", raise_exception=True)
def consent_create(request, pk: int):
    patient = get_patient_for_user(request.user, pk, perm="patients.add_photoconsent")
    form = ConsentGiveForm(request.POST or None, patient=patient)
    if form.is_valid():
        try:
            consent = consent_give(consent=form.save(commit=False), by=request.user)
        except (IntegrityError, ValidationError):
            # Recorded by someone else between the form's check and this insert.
            form.add_error("use", "Consent for this use was recorded a moment ago.")
        else:
            messages.success(request, f"Recorded consent: {consent.get_use_display().lower()}.")
            return redirect("patients:detail", pk=patient.pk)
    return render(request, "patients/consent_form.html", {"form": form, "patient": patient})


@permission_required("patients.change_photoconsent", raise_exception=True)
def consent_withdraw_view(request, pk: int, consent_pk: int):
    consent = get_consent_for_user(
        request.user, pk, consent_pk, perm="patients.change_photoconsent"
    )
    form = ConsentWithdrawForm(request.POST or None, consent=consent)
    if consent.withdrawn_on is None and form.is_valid():
        consent_withdraw(
            consent=consent, withdrawn_on=form.cleaned_data["withdrawn_on"], by=request.user
        )
        messages.success(request, f"Recorded withdrawal: {consent.get_use_display().lower()}.")
        return redirect("patients:detail", pk=pk)
    context = {"form": form, "consent": consent, "patient": consent.patient}
    return render(request, "patients/consent_withdraw.html", context)
