from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clinic.archive import ArchiveForm, archive_from_request
from patients.access import get_patient_for_user
from patients.audit import access_record
from patients.models import AccessLog, ConsentUse, ScarAssessment
from treatments.access import get_photo_for_user
from treatments.compare import choose_pair
from treatments.forms import PhotoVisitForm, photo_rows
from treatments.models import PROCEDURE_MODELS, ClinicalPhoto
from treatments.photos import (
    PhotoUpload,
    has_clinical_photo_consent,
    photo_series,
    photos_store,
)

SIZES = {"full": "image", "display": "display", "thumb": "thumbnail"}


@permission_required("treatments.add_clinicalphoto", raise_exception=True)
def photo_upload(request, pk: int):
    """Several photos in one go, a row per standard view. Each file stands or falls alone: good
    ones are stored, refused ones say why, and nothing of a refused file is kept."""
    patient = get_patient_for_user(
        request.user, pk, perm="treatments.add_clinicalphoto", adding=True
    )
    consent = has_clinical_photo_consent(patient)
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    visit = PhotoVisitForm(data, patient=patient, session_pk=request.GET.get("session"))
    rows = photo_rows(data, files)
    stored = []
    if consent and data is not None and visit.is_valid() and rows.is_valid():
        uploads = [_upload_of(row) for row in rows]
        outcomes = photos_store(
            patient=patient, uploads=uploads, visit=visit.cleaned_data, by=request.user
        )
        for row, outcome in zip(rows, outcomes, strict=True):
            if outcome and outcome.refusal:
                row.add_error("file", outcome.refusal)
        stored = [o.photo for o in outcomes if o and o.photo]
        refused = sum(1 for row in rows if row.errors)
        if stored:
            messages.success(
                request, f"{len(stored)} photo{'s' if len(stored) != 1 else ''} stored."
            )
        if stored and not refused:
            return redirect("patients:detail", pk=patient.pk)
        if not stored and not refused:
            visit.add_error(None, "Choose at least one photo to upload.")
    context = {"patient": patient, "visit": visit, "rows": rows, "consent": consent}
    return render(request, "treatments/photo_upload.html", context, status=200)


@permission_required("treatments.view_clinicalphoto", raise_exception=True)
def photo_file(request, pk: int, size: str):
    """The only way a photo's bytes leave the server: permission checked, access logged, never
    cached by a browser or proxy."""
    if size not in SIZES:
        raise Http404
    photo = get_photo_for_user(request.user, pk)
    access_record(request, patient=photo.patient, action=AccessLog.Action.VIEW, obj=photo)
    return _file_response(getattr(photo, SIZES[size]))


def _file_response(field, *, filename: str | None = None) -> FileResponse:
    response = FileResponse(
        field.open("rb"),
        content_type="image/jpeg",
        as_attachment=filename is not None,
        filename=filename or "",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required("treatments.view_clinicalphoto", raise_exception=True)
def photo_detail(request, pk: int):
    photo = get_photo_for_user(request.user, pk)
    access_record(request, patient=photo.patient, obj=photo)
    consents = photo.patient.current_consents()
    context = {
        "photo": photo,
        "patient": photo.patient,
        "teaching": ConsentUse.TEACHING in consents,
        "publication": ConsentUse.PUBLICATION in consents,
        "archive_form": ArchiveForm(what="photo", example="the wrong patient's photo"),
    }
    return render(request, "treatments/photo_detail.html", context)


@permission_required("treatments.export_clinicalphoto", raise_exception=True)
def photo_export(request, pk: int, use: str):
    """A download for teaching or publication, only while that consent stands."""
    photo = get_photo_for_user(request.user, pk, perm="treatments.export_clinicalphoto")
    if use not in (ConsentUse.TEACHING, ConsentUse.PUBLICATION):
        raise Http404
    if use not in photo.patient.current_consents():
        raise PermissionDenied("No consent in force for this use.")
    access_record(request, patient=photo.patient, action=AccessLog.Action.EXPORT, obj=photo)
    return _file_response(photo.image, filename=f"photo-{photo.pk}-{use}.jpg")


@require_POST
@permission_required("treatments.change_clinicalphoto", raise_exception=True)
def photo_archive_view(request, pk: int):
    photo = get_photo_for_user(request.user, pk, perm="treatments.change_clinicalphoto")
    archive_from_request(request, photo, what="photo", leaves="the timeline")
    return redirect("treatments:photo_detail", pk=photo.pk)


def _upload_of(row) -> PhotoUpload | None:
    data = row.cleaned_data
    if not data.get("file"):
        return None
    return PhotoUpload(
        upload=data["file"],
        view=data["view"],
        lighting=data["lighting"],
        close_up_region=data["close_up_region"],
        notes=data["notes"],
    )


@permission_required("treatments.view_clinicalphoto", raise_exception=True)
def photo_compare(request, pk: int):
    """Two photos of the same view and lighting side by side: baseline and latest by default."""
    patient = get_patient_for_user(request.user, pk, perm="treatments.view_clinicalphoto")
    photos = list(
        ClinicalPhoto.objects.current()
        .filter(patient=patient)
        .select_related("session")
        .prefetch_related(*(f"session__{m.related_name()}" for m in PROCEDURE_MODELS))
    )
    series = photo_series(photos)
    pair = choose_pair(
        series,
        series_choice=request.GET.get("series", ""),
        before_id=request.GET.get("before", ""),
        after_id=request.GET.get("after", ""),
    )
    if pair.mismatched:
        messages.warning(
            request, "These two photos differ in view or lighting: the comparison may mislead."
        )
    for photo in pair.shown or [None]:
        access_record(request, patient=patient, obj=photo)
    before, after = pair.before, pair.after
    scores = _scores_on(patient, [p.taken_on for p in pair.shown])
    context = {
        "patient": patient,
        "series": [("|".join(k), s) for k, s in series.items()],
        "series_value": "|".join(pair.key) if pair.key else "",
        "candidates": pair.candidates,
        "before": before,
        "after": after,
        "before_score": scores.get(before.taken_on) if before else None,
        "after_score": scores.get(after.taken_on) if after else None,
    }
    return render(request, "treatments/photo_compare.html", context)


def _scores_on(patient, days) -> dict:
    """The latest assessment on or before each day (one query)."""
    assessments = list(
        # Superseded same-day assessments do not count here either.
        ScarAssessment.objects.latest_of_each_day().filter(patient=patient).order_by("assessed_on")
    )
    found = {}
    for day in days:
        earlier = [a for a in assessments if a.assessed_on <= day]
        found[day] = earlier[-1] if earlier else None
    return found
