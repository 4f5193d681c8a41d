"""Photos taken on the capture page: the standard series, the baseline of each view for the
camera's ghost, and one picture at a time through the same pipeline as uploads
(treatments/photos.py)."""

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from patients.models import Patient
from treatments.forms import STANDARD_VIEWS, PhotoRowForm, PhotoVisitForm
from treatments.models import ClinicalPhoto, PhotoView
from treatments.photos import PhotoUpload, UploadOutcome, photos_store

# What the page carries from where it was started (a session or an assessment) to each store.
LINKS = ("session", "assessment")


def capture_steps() -> list[tuple[str, str]]:
    """The standard series, in the order the page walks through it."""
    return [(view.value, view.label) for view in STANDARD_VIEWS]


def next_view(view: str) -> str:
    """The view after `view` in the standard series; the last one stays put."""
    order = [step for step, _ in capture_steps()]
    if view not in order:
        return order[0]
    return order[min(order.index(view) + 1, len(order) - 1)]


def baseline_sources(patient: Patient) -> dict[str, dict[str, str]]:
    """For each series (view|region|lighting), its baseline: the oldest current photo, served
    through the private, permission-checked photo URL. One query."""
    photos = (
        ClinicalPhoto.objects.current()
        .filter(patient=patient)
        .order_by("taken_on", "pk")
        .only("pk", "view", "close_up_region", "lighting", "taken_on")
    )
    found: dict[str, dict[str, str]] = {}
    for photo in photos:
        key = "|".join(photo.series_key)
        if key not in found:
            found[key] = {
                "url": reverse("treatments:photo_file", args=[photo.pk, "display"]),
                "taken_on": f"{photo.taken_on:%d %b %Y}",
            }
    return found


def capture_link(visit: PhotoVisitForm) -> dict[str, Any]:
    """The session or assessment the page was started from, if it is the patient's; else none."""
    if not visit.is_bound or not visit.is_valid():
        return {}
    return {name: visit.cleaned_data[name] for name in LINKS if visit.cleaned_data.get(name)}


@dataclass(frozen=True)
class Captured:
    outcome: UploadOutcome
    view: str
    seconds: float  # server time spent validating, cleaning and storing the picture


def capture_store(
    *, patient: Patient, data: QueryDict, files: MultiValueDict[str, UploadedFile], by: Any
) -> Captured:
    """One picture, with its view and lighting, through the upload pipeline (content check,
    orientation, metadata removed, derivatives, duplicate check)."""
    started = time.perf_counter()
    visit = PhotoVisitForm(data, patient=patient)
    row = PhotoRowForm(data, files)
    view = data.get("view", "")
    outcome: UploadOutcome | None
    if not visit.is_valid() or not row.is_valid():
        errors = [*visit.errors.values(), *row.errors.values()]
        outcome = UploadOutcome(refusal=str(errors[0][0]))
    elif not row.cleaned_data.get("file"):
        outcome = UploadOutcome(refusal="No picture was received: take or choose one.")
    else:
        clean = row.cleaned_data
        upload = PhotoUpload(
            upload=clean["file"],
            view=clean["view"],
            lighting=clean["lighting"],
            close_up_region=clean["close_up_region"] if clean["view"] == PhotoView.CLOSE_UP else "",
            notes=clean["notes"],
        )
        (outcome,) = photos_store(
            patient=patient, uploads=[upload], visit=visit.cleaned_data, by=by
        )
    return Captured(
        outcome=outcome or UploadOutcome(), view=view, seconds=time.perf_counter() - started
    )


def wants_json(request: HttpRequest) -> bool:
    """The page's script asks for JSON; the plain form fallback (no script) gets a page."""
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def capture_response(request: HttpRequest, patient: Patient, captured: Captured) -> HttpResponse:
    """JSON for the page's script, or a redirect back to the page with a message for the plain
    form. `Server-Timing` gives the time the store took, for the page to show."""
    photo, refusal = captured.outcome.photo, captured.outcome.refusal
    response: HttpResponse
    if wants_json(request):
        if photo is None:
            response = JsonResponse({"error": refusal}, status=400)
        else:
            response = JsonResponse(_stored(photo), status=201)
    else:
        if photo is None:
            messages.error(request, refusal)
        else:
            messages.success(request, f"{photo.view_label} photo stored.")
        following = next_view(captured.view) if photo is not None else captured.view
        query = {"view": following, **{k: request.POST[k] for k in LINKS if request.POST.get(k)}}
        url = reverse("treatments:photo_capture", args=[patient.pk])
        response = redirect(f"{url}?{urlencode(query)}")
    response["Server-Timing"] = f"store;dur={captured.seconds * 1000:.1f}"
    return response


def _stored(photo: ClinicalPhoto) -> dict[str, Any]:
    return {
        "id": photo.pk,
        "view": photo.view,
        "label": photo.view_label,
        "taken_on": f"{photo.taken_on:%d %b %Y}",
        "detail": reverse("treatments:photo_detail", args=[photo.pk]),
        "display": reverse("treatments:photo_file", args=[photo.pk, "display"]),
    }
