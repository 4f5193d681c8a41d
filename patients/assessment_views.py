from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clinic.audit import access_record
from patients import scoring
from patients.access import get_assessment_for_user, get_patient_for_user
from patients.forms import ArchiveAssessmentForm, ScarAssessmentForm
from patients.history import assessment_change_log
from patients.models import FacialRegion
from patients.services import assessment_amend, assessment_record


@permission_required("patients.add_scarassessment", raise_exception=True)
def assessment_create(request, pk: int):
    patient = get_patient_for_user(
        request.user, pk, perm="patients.add_scarassessment", adding=True
    )
    form = ScarAssessmentForm(request.POST or None, patient=patient, user=request.user)
    if form.is_valid():
        assessment = assessment_record(
            assessment=form.save(commit=False), grid=form.grid(), by=request.user
        )
        messages.success(
            request,
            f"Assessment saved: ECCA {assessment.ecca_score}, "
            f"Goodman & Baron {assessment.gb_quantitative_score}.",
        )
        return redirect("patients:detail", pk=patient.pk)
    return _form_page(request, form, patient, title="Record scar assessment")


@permission_required("patients.change_scarassessment", raise_exception=True)
def assessment_update(request, pk: int):
    assessment = get_assessment_for_user(request.user, pk, perm="patients.change_scarassessment")
    form = ScarAssessmentForm(
        request.POST or None, instance=assessment, patient=assessment.patient, user=request.user
    )
    if form.is_valid():
        assessment_amend(assessment=form.save(commit=False), grid=form.grid(), by=request.user)
        messages.success(request, "Assessment amended; the earlier values are kept in its history.")
        return redirect("patients:assessment_detail", pk=assessment.pk)
    return _form_page(request, form, assessment.patient, title="Amend scar assessment")


def _form_page(request, form, patient, *, title: str):
    context = {
        "form": form,
        "patient": patient,
        "title": title,
        "scar_types": list(scoring.EccaScarType),
        "grades": list(scoring.GoodmanBaronGrade),
        "cadi_copyright": scoring.CADI_COPYRIGHT,
        "dlqi_copyright": scoring.DLQI_COPYRIGHT,
    }
    return render(request, "patients/assessment_form.html", context)


@permission_required("patients.view_scarassessment", raise_exception=True)
def assessment_detail(request, pk: int):
    assessment = get_assessment_for_user(request.user, pk)
    access_record(request, patient=assessment.patient, obj=assessment)
    counts = {(c.region, c.scar_type): c.count for c in assessment.scar_counts.all()}
    scar_types = list(scoring.EccaScarType)
    grid = [
        (region, [counts.get((region.value, t.value), 0) for t in scar_types])
        for region in FacialRegion
    ]
    type_totals = [sum(row[1][i] for row in grid) for i in range(len(scar_types))]
    context = {
        "assessment": assessment,
        "patient": assessment.patient,
        "scar_types": scar_types,
        "grid": [(region, cells, sum(cells)) for region, cells in grid],
        "type_totals": [
            (total, scoring.ecca_grade(total), t.weight)
            for total, t in zip(type_totals, scar_types, strict=True)
        ],
        "grand_total": sum(type_totals),
        "gb_counts": [(s, n) for s, n in assessment.gb_counts().items()],
        "cadi": _answers(assessment.cadi_answers(), scoring.CADI_ITEM_TOPICS),
        "dlqi": _answers(assessment.dlqi_answers(), scoring.DLQI_ITEM_TOPICS),
        "history": assessment_change_log(assessment),
        "archive_form": ArchiveAssessmentForm(),
    }
    return render(request, "patients/assessment_detail.html", context)


def _answers(answers, topics):
    return None if answers is None else list(zip(topics, answers, strict=True))


@require_POST
@permission_required("patients.change_scarassessment", raise_exception=True)
def assessment_archive_view(request, pk: int):
    assessment = get_assessment_for_user(request.user, pk, perm="patients.change_scarassessment")
    form = ArchiveAssessmentForm(request.POST)
    if assessment.is_archived:
        messages.info(request, "This assessment was already archived.")
    elif form.is_valid():
        assessment.archive(reason=form.cleaned_data["reason"], by=request.user)
        messages.success(request, "Assessment archived: it no longer counts in scores or trends.")
    else:
        messages.error(request, "Give a reason to archive the assessment.")
    return redirect("patients:assessment_detail", pk=assessment.pk)
