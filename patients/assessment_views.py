import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clinic.archive import ArchiveForm, archive_from_request
from clinic.panels import chart_url
from patients import scoring
from patients.access import get_assessment_for_user, get_patient_for_user
from patients.audit import access_record
from patients.forms import ScarAssessmentForm, cell_name
from patients.history import assessment_change_log
from patients.models import DLQI_FIELDS, MAX_COUNT_PER_CELL, FacialRegion, Patient, ScarAssessment
from patients.services import (
    AssessmentWarningsNotAcknowledged,
    assessment_amend,
    assessment_record,
)

ASSESSMENT_ARCHIVE_EXAMPLE = "entered for the wrong patient, or a duplicate"


@permission_required("patients.add_scarassessment", raise_exception=True)
def assessment_create(request, pk: int):
    patient = get_patient_for_user(
        request.user, pk, perm="patients.add_scarassessment", adding=True
    )
    form = ScarAssessmentForm(
        request.POST or None, patient=patient, user=request.user, initial=_grid_prefill(request)
    )
    warnings = []
    if form.is_valid():
        try:
            assessment = assessment_record(
                assessment=form.save(commit=False),
                grid=form.grid(),
                acknowledged=request.POST.getlist("acknowledge"),
                by=request.user,
            )
        except AssessmentWarningsNotAcknowledged as exc:
            warnings = exc.warnings
        else:
            messages.success(request, _saved_message(assessment))
            return redirect(chart_url(patient.pk, "progress"))
    return _form_page(
        request,
        form,
        patient,
        title="Record scar assessment",
        warnings=warnings,
        recorded_today=[] if request.POST else _recorded_today(patient),
    )


def _recorded_today(patient: Patient) -> list[ScarAssessment]:
    """Shown before anything is typed: today's assessment may only need amending."""
    return list(ScarAssessment.objects.same_day_as(patient=patient, day=timezone.localdate()))


@permission_required("patients.change_scarassessment", raise_exception=True)
def assessment_update(request, pk: int):
    assessment = get_assessment_for_user(request.user, pk, perm="patients.change_scarassessment")
    form = ScarAssessmentForm(
        request.POST or None, instance=assessment, patient=assessment.patient, user=request.user
    )
    warnings = []
    if form.is_valid():
        try:
            assessment_amend(
                assessment=form.save(commit=False),
                grid=form.grid(),
                acknowledged=request.POST.getlist("acknowledge"),
                by=request.user,
            )
        except AssessmentWarningsNotAcknowledged as exc:
            warnings = exc.warnings
        else:
            messages.success(
                request, "Assessment amended; the earlier values are kept in its history."
            )
            return redirect("patients:assessment_detail", pk=assessment.pk)
    return _form_page(
        request, form, assessment.patient, title="Amend scar assessment", warnings=warnings
    )


def _grid_prefill(request) -> dict[str, int]:
    """Grid counts carried in the link (e.g. "start an assessment from the scar register"); the
    clinician edits them before saving. Only grid cells with whole numbers are taken."""
    cells = {
        cell_name(region.value, scar_type.value)
        for region in FacialRegion
        for scar_type in scoring.EccaScarType
    }
    return {
        name: int(value)
        for name, value in request.GET.items()
        if name in cells and value.isdigit() and int(value) <= MAX_COUNT_PER_CELL
    }


def _saved_message(assessment) -> str:
    return (
        f"Assessment saved: ECCA {assessment.ecca_score}, "
        f"Goodman & Baron {assessment.gb_quantitative_score}."
    )


def _form_page(request, form, patient, *, title: str, warnings=(), recorded_today=()):
    context = {
        "recorded_today": recorded_today,
        "form": form,
        "patient": patient,
        "title": title,
        "warnings": warnings,
        "acknowledged": request.POST.getlist("acknowledge"),
        "scar_types": list(scoring.EccaScarType),
        "grades": list(scoring.GoodmanBaronGrade),
        "cadi_copyright": scoring.CADI_COPYRIGHT,
        "dlqi_copyright": scoring.DLQI_COPYRIGHT,
        "dlqi_answers": list(scoring.DlqiAnswer),
        "dlqi_work_problems": list(scoring.DlqiWorkProblem),
    }
    return render(request, "patients/assessment_form.html", context)


@permission_required("patients.view_scarassessment", raise_exception=True)
def assessment_detail(request, pk: int):
    assessment = get_assessment_for_user(request.user, pk)
    access_record(request, patient=assessment.patient, obj=assessment)
    context = {
        "assessment": assessment,
        "patient": assessment.patient,
        **_scar_grid(assessment),
        "gb_counts": [(s, n) for s, n in assessment.gb_counts().items()],
        "cadi": _answers(assessment.cadi_answers(), scoring.CADI_ITEM_TOPICS),
        "dlqi": _dlqi_answers(assessment) if assessment.dlqi_recorded else None,
        "dlqi_unanswered": assessment.dlqi_unanswered() if assessment.dlqi_recorded else [],
        "dlqi_bands_source": scoring.DLQI_BANDS_SOURCE,
        "dlqi_copyright": scoring.DLQI_COPYRIGHT,
        "acknowledged_warnings": _acknowledged(assessment),
        "history": assessment_change_log(assessment),
        "archive_form": ArchiveForm(what="assessment", example=ASSESSMENT_ARCHIVE_EXAMPLE),
    }
    return render(request, "patients/assessment_detail.html", context)


def _scar_grid(assessment: ScarAssessment) -> dict:
    """The stored counts laid out as the form's grid: a row per region, a column per ECCA type,
    with each type's total, its ECCA grade and weight."""
    counts = {(c.region, c.scar_type): c.count for c in assessment.scar_counts.all()}
    scar_types = list(scoring.EccaScarType)
    grid = [
        (region, [counts.get((region.value, t.value), 0) for t in scar_types])
        for region in FacialRegion
    ]
    type_totals = [sum(row[1][i] for row in grid) for i in range(len(scar_types))]
    return {
        "scar_types": scar_types,
        "grid": [(region, cells, sum(cells)) for region, cells in grid],
        "type_totals": [
            (total, scoring.ecca_grade(total), t.weight)
            for total, t in zip(type_totals, scar_types, strict=True)
        ],
        "grand_total": sum(type_totals),
    }


def _answers(answers, topics):
    return None if answers is None else list(zip(topics, answers, strict=True))


def _acknowledged(assessment) -> list[dict]:
    # Stored as ISO text in JSON; shown in the clinic's local time.
    return [
        entry | {"at": dt.datetime.fromisoformat(entry["at"]) if entry.get("at") else None}
        for entry in assessment.acknowledged_warnings or []
    ]


def _dlqi_answers(assessment) -> list[tuple[str, str]]:
    """(topic, the answer in words with its score) for each item, as recorded."""
    rows = []
    for number, (name, topic) in enumerate(
        zip(DLQI_FIELDS, scoring.DLQI_ITEM_TOPICS, strict=True), 1
    ):
        answer = getattr(assessment, name)
        if number == scoring.DLQI_WORK_ITEM:
            problem = assessment.dlqi_7_problem
            score = scoring.dlqi_work_item_score(answer, problem)
            words = [scoring.DlqiWorkAnswer(answer).label] if answer else []
            if problem:
                words.append(f"problem at work or study: {scoring.DlqiWorkProblem(problem).label}")
            shown = ", ".join(words) if words else "unanswered"
        else:
            score = scoring.dlqi_item_score(number, answer)
            shown = scoring.DlqiAnswer(answer).label if answer else "unanswered"
        rows.append((topic, shown if score is None else f"{shown} ({score})"))
    return rows


@require_POST
@permission_required("patients.change_scarassessment", raise_exception=True)
def assessment_archive_view(request, pk: int):
    assessment = get_assessment_for_user(request.user, pk, perm="patients.change_scarassessment")
    archive_from_request(request, assessment, what="assessment", leaves="scores or trends")
    return redirect("patients:assessment_detail", pk=assessment.pk)
