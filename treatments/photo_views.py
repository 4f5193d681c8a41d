from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clinic.archive import ArchiveForm, archive_from_request
from clinic.middleware import CAMERA_PERMISSIONS_POLICY
from clinic.panels import chart_url
from patients.access import get_patient_for_user
from patients.audit import access_record
from patients.models import AccessLog, ConsentUse
from treatments.access import get_photo_for_user
from treatments.capture import (
    baseline_sources,
    capture_link,
    capture_response,
    capture_steps,
    capture_store,
)
from treatments.compare import Pair, choose_pair, compare_context, latest_on_or_before
from treatments.forms import PhotoRowForm, PhotoVisitForm, photo_rows
from treatments.photos import (
    assessments_of,
    comparable_photos,
    has_clinical_photo_consent,
    photo_rows_store,
    photo_series,
    photos_compared,
    stored_message,
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
    if consent and data is not None and visit.is_valid() and rows.is_valid():
        stored = photo_rows_store(
            patient=patient, rows=rows, visit=visit.cleaned_data, by=request.user
        )
        if stored:
            messages.success(request, stored_message(len(stored)))
        refused = any(row.errors for row in rows)
        if stored and not refused:
            return redirect(chart_url(patient.pk, "photos"))
        if not stored and not refused:
            visit.add_error(None, "Choose at least one photo to upload.")
    context = {"patient": patient, "visit": visit, "rows": rows, "consent": consent}
    return render(request, "treatments/photo_upload.html", context, status=200)


@permission_required("treatments.add_clinicalphoto", raise_exception=True)
def photo_capture(request, pk: int):
    """The tablet's camera with the baseline of the same view ghosted over it, one view of the
    standard series after another. The only page allowed to use the camera."""
    patient = get_patient_for_user(
        request.user, pk, perm="treatments.add_clinicalphoto", adding=True
    )
    access_record(request, patient=patient)
    consent = has_clinical_photo_consent(patient)
    context = {
        "patient": patient,
        "consent": consent,
        "link": capture_link(PhotoVisitForm(request.GET or None, patient=patient)),
        "steps": capture_steps(),
        "row": PhotoRowForm(initial={"view": request.GET.get("view", "frontal")}),
        "baselines": baseline_sources(patient) if consent else {},
    }
    response = render(request, "treatments/photo_capture.html", context)
    response["Permissions-Policy"] = CAMERA_PERMISSIONS_POLICY
    return response


@require_POST
@permission_required("treatments.add_clinicalphoto", raise_exception=True)
def photo_capture_store(request, pk: int):
    """One picture from the capture page (camera or file fallback), through the upload
    pipeline."""
    patient = get_patient_for_user(
        request.user, pk, perm="treatments.add_clinicalphoto", adding=True
    )
    if not has_clinical_photo_consent(patient):
        raise PermissionDenied("No photo consent for the clinical record.")
    captured = capture_store(
        patient=patient, data=request.POST, files=request.FILES, by=request.user
    )
    return capture_response(request, patient, captured)


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


@permission_required("treatments.view_clinicalphoto", raise_exception=True)
def photo_compare(request, pk: int):
    """Two photos of the same view and lighting side by side: baseline and latest by default."""
    patient = get_patient_for_user(request.user, pk, perm="treatments.view_clinicalphoto")
    series = photo_series(comparable_photos(patient))
    chosen = choose_pair(
        series,
        series_choice=request.GET.get("series", ""),
        before_id=request.GET.get("before", ""),
        after_id=request.GET.get("after", ""),
    )
    whole = photos_compared(patient, chosen.shown)
    pair = Pair(
        chosen.key,
        chosen.candidates,
        whole.get(chosen.before.pk) if chosen.before else None,
        whole.get(chosen.after.pk) if chosen.after else None,
    )
    if pair.mismatched:
        messages.warning(
            request, "These two photos differ in view or lighting: the comparison may mislead."
        )
    for photo in pair.shown or [None]:
        access_record(request, patient=patient, obj=photo)
    scores = latest_on_or_before(assessments_of(patient), [p.taken_on for p in pair.shown])
    context = {"patient": patient, **compare_context(series, pair, scores)}
    return render(request, "treatments/photo_compare.html", context)
