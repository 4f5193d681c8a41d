"""Storing and reading clinical photos. Files go through the storage API only, under names the
server makes up; the upload's own name and metadata are never kept."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.forms.formsets import BaseFormSet
from django.utils import timezone

from patients.models import ConsentUse, Patient, ScarAssessment
from treatments import imaging
from treatments.compare import P, SeriesKey
from treatments.models import (
    LIGHTING_LABELS,
    PROCEDURE_MODELS,
    ClinicalPhoto,
    TreatmentSession,
    photo_storage,
    photo_view_label,
)


class PhotoConsentMissing(Exception):
    """The patient has no consent in force for photographs in the clinical record."""


class DuplicatePhoto(Exception):
    def __init__(self, existing: ClinicalPhoto):
        super().__init__(f"duplicate of photo {existing.pk}")
        self.existing = existing


def has_clinical_photo_consent(patient: Patient) -> bool:
    return patient.photo_consents.in_force(ConsentUse.CLINICAL).exists()


def _checked_upload(patient: Patient, upload: UploadedFile) -> imaging.ProcessedPhoto:
    """The upload validated and cleaned, or refused (see photo_store); nothing is stored yet."""
    patient.refuse_new_records()
    if not has_clinical_photo_consent(patient):
        raise PhotoConsentMissing
    if upload.size is not None and upload.size > settings.PHOTO_MAX_UPLOAD_BYTES:
        # Refused before reading a byte into memory.
        limit = settings.PHOTO_MAX_UPLOAD_BYTES // (1024 * 1024)
        raise imaging.ImageRejected(f"The file is larger than {limit} MB.")
    processed = imaging.process_upload(
        upload.read(),
        max_bytes=settings.PHOTO_MAX_UPLOAD_BYTES,
        max_pixels=settings.PHOTO_MAX_PIXELS,
    )
    existing = patient.photos.filter(sha256=processed.sha256).first()
    if existing is not None:
        raise DuplicatePhoto(existing)
    return processed


def _save_with_files(photo: ClinicalPhoto, processed: imaging.ProcessedPhoto) -> None:
    """Writes the three files under a made-up name and saves the row; if anything fails, the
    files written so far are removed."""
    stem = f"{photo.patient.pk}/{uuid.uuid4().hex}"
    written: list[str] = []
    try:
        with transaction.atomic():
            for field, content, suffix in (
                (photo.image, processed.image, ""),
                (photo.display, processed.display, "-display"),
                (photo.thumbnail, processed.thumbnail, "-thumb"),
            ):
                field.save(f"{stem}{suffix}.jpg", ContentFile(content), save=False)
                written.append(field.name)
            photo.save()
    except Exception:
        # The row was never committed, so these files belong to nothing: remove them rather
        # than leave orphans holding a patient's face.
        # photo_storage (treatments/models/photos.py) has no return annotation yet.
        storage = photo_storage()  # type: ignore[no-untyped-call]
        for name in written:
            storage.delete(name)
        raise


def photo_store(
    *,
    patient: Patient,
    upload: UploadedFile,
    view: str,
    lighting: str,
    taken_on: dt.date | None = None,
    close_up_region: str = "",
    session: TreatmentSession | None = None,
    assessment: ScarAssessment | None = None,
    notes: str = "",
    by: User,
) -> ClinicalPhoto:
    """Validates, cleans and stores one photo with its display size and thumbnail.

    Raises PhotoConsentMissing, imaging.ImageRejected, DuplicatePhoto or ValidationError; in every
    case nothing is stored.
    """
    processed = _checked_upload(patient, upload)
    captured_at = (
        timezone.make_aware(processed.captured_at) if processed.captured_at is not None else None
    )
    photo = ClinicalPhoto(
        patient=patient,
        taken_on=taken_on or (captured_at.date() if captured_at else timezone.localdate()),
        view=view,
        close_up_region=close_up_region,
        lighting=lighting,
        session=session,
        assessment=assessment,
        width=processed.width,
        height=processed.height,
        file_size=len(processed.image),
        sha256=processed.sha256,
        captured_at=captured_at,
        notes=notes,
        uploaded_by=by,
    )
    photo.full_clean(exclude=["image", "display", "thumbnail"])
    _save_with_files(photo, processed)
    return photo


@dataclass(frozen=True)
class PhotoUpload:
    """One row of a batch upload: the file and what it shows."""

    upload: UploadedFile
    view: str
    lighting: str
    close_up_region: str = ""
    notes: str = ""


@dataclass(frozen=True)
class UploadOutcome:
    photo: ClinicalPhoto | None = None
    refusal: str = ""  # why the file was not stored, as the user should read it


def photos_store(
    *, patient: Patient, uploads: Sequence[PhotoUpload | None], visit: Mapping[str, Any], by: Any
) -> list[UploadOutcome | None]:
    """Several photos of one visit. Each file stands or falls alone: good ones are stored,
    refused ones say why, and nothing of a refused file is kept. None rows (no file) give None."""
    outcomes: list[UploadOutcome | None] = []
    for row in uploads:
        if row is None:
            outcomes.append(None)
            continue
        name = row.upload.name
        try:
            photo = photo_store(
                patient=patient,
                upload=row.upload,
                view=row.view,
                close_up_region=row.close_up_region,
                lighting=row.lighting,
                notes=row.notes,
                by=by,
                **visit,
            )
        except imaging.ImageRejected as exc:
            outcomes.append(UploadOutcome(refusal=f"{name}: {exc}"))
        except DuplicatePhoto as exc:
            existing = exc.existing
            outcomes.append(
                UploadOutcome(
                    refusal=f"{name} is already stored ({existing.view_label}, "
                    f"{existing.taken_on:%d %b %Y}); it was not stored again."
                )
            )
        except (PhotoConsentMissing, ValidationError) as exc:
            outcomes.append(UploadOutcome(refusal=str(getattr(exc, "messages", [exc])[0] or exc)))
        else:
            outcomes.append(UploadOutcome(photo=photo))
    return outcomes


def photo_series(photos: Iterable[P]) -> dict[SeriesKey, list[P]]:
    """Photos grouped into comparable series (same view, region and lighting), oldest first."""
    series: dict[SeriesKey, list[P]] = defaultdict(list)
    for photo in sorted(photos, key=lambda p: (p.taken_on, p.pk)):
        series[photo.series_key].append(photo)
    return dict(series)


def photo_rows_store(
    *, patient: Patient, rows: BaseFormSet[Any], visit: Mapping[str, Any], by: Any
) -> list[ClinicalPhoto]:
    """Stores the valid rows of the upload formset; each refused row gets its reason as an error
    on its file field. Returns the stored photos."""
    uploads = [_upload_of(row.cleaned_data) for row in rows]
    outcomes = photos_store(patient=patient, uploads=uploads, visit=visit, by=by)
    for row, outcome in zip(rows, outcomes, strict=True):
        if outcome and outcome.refusal:
            row.add_error("file", outcome.refusal)
    return [o.photo for o in outcomes if o and o.photo]


def _upload_of(data: Mapping[str, Any]) -> PhotoUpload | None:
    if not data.get("file"):
        return None
    return PhotoUpload(
        upload=data["file"],
        view=data["view"],
        lighting=data["lighting"],
        close_up_region=data.get("close_up_region", ""),
        notes=data.get("notes", ""),
    )


def stored_message(count: int) -> str:
    return f"{count} photo{'s' if count != 1 else ''} stored."


@dataclass(frozen=True, slots=True)
class PhotoChoice:
    """A photo as the compare page's pickers know it: date, view and lighting. A patient may have
    hundreds of photos; only the two compared are read whole (`photos_compared`)."""

    pk: int
    taken_on: dt.date
    view: str
    close_up_region: str
    lighting: str

    @property
    def series_key(self) -> tuple[str, str, str]:
        return (self.view, self.close_up_region, self.lighting)

    @property
    def view_label(self) -> str:
        return photo_view_label(self.view, self.close_up_region)

    @property
    def lighting_label(self) -> str:
        return LIGHTING_LABELS.get(self.lighting, self.lighting)


def comparable_photos(patient: Patient) -> list[PhotoChoice]:
    """The patient's current photos, oldest first, as the compare page's pickers need them (one
    query of five columns)."""
    rows = (
        ClinicalPhoto.objects.current()
        .filter(patient=patient)
        .order_by("taken_on", "pk")
        .values_list("pk", "taken_on", "view", "close_up_region", "lighting")
    )
    return [PhotoChoice(*row) for row in rows]


def photos_compared(patient: Patient, chosen: Iterable[PhotoChoice]) -> dict[int, ClinicalPhoto]:
    """The chosen photos whole, by id, with their sessions and procedures (one query, and one per
    procedure table when a photo was taken in a session)."""
    ids = [photo.pk for photo in chosen]
    if not ids:
        return {}
    photos = (
        ClinicalPhoto.objects.current()
        .filter(patient=patient, pk__in=ids)
        .select_related("session")
        .prefetch_related(*(f"session__{m.related_name()}" for m in PROCEDURE_MODELS))
    )
    return {photo.pk: photo for photo in photos}


@dataclass(frozen=True, slots=True)
class DayScores:
    """The scores the compare page shows beside a photo."""

    assessed_on: dt.date
    ecca_score: int
    gb_quantitative_score: int


def assessments_of(patient: Patient) -> list[DayScores]:
    """The scores of the patient's assessments that count, oldest first: of several on one day,
    the last recorded (as `latest_of_each_day`), chosen here from plain rows (one query of three
    columns; a full row has some sixty)."""
    rows = (
        ScarAssessment.objects.current()
        .filter(patient=patient)
        .order_by("assessed_on", "created_at", "pk")
        .values_list("assessed_on", "ecca_score", "gb_quantitative_score")
    )
    # A later row of the same day replaces the earlier one and keeps the day's place.
    last_of_day = {row[0]: DayScores(*row) for row in rows}
    return list(last_of_day.values())
