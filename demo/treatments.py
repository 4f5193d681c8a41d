"""A believable treatment history for the demo clinic: CROSS series on ice pick scars, a laser
course, combination sessions, an adverse event and topical regimens. Idempotent."""

import datetime as dt
import io
import random
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from demo.clinic import demo_course
from patients.models import Patient
from treatments.models import (
    AdverseEvent,
    CrossProcedure,
    LaserProcedure,
    Lighting,
    PeelProcedure,
    PhotoView,
    SubcisionProcedure,
    TopicalRegimen,
    TreatmentSession,
)
from treatments.photos import has_clinical_photo_consent, photo_store
from treatments.services import session_log, session_warnings_for


def _cross(rng: random.Random) -> CrossProcedure:
    return CrossProcedure(
        tca_concentration_percent=Decimal(rng.choice([65, 80, 100])),
        applicator=rng.choice(["wooden_stick", "toothpick"]),
        frost_reached=True,
        scars_treated=rng.randint(6, 24),
        regions=rng.sample(["left_cheek", "right_cheek", "left_temple", "forehead"], 2),
        immediate_endpoint="Uniform white frost in each scar",
    )


def _subcision(rng: random.Random) -> SubcisionProcedure:
    return SubcisionProcedure(
        instrument="nokor",
        gauge=18,
        regions=rng.sample(["left_cheek", "right_cheek"], 1),
        scars_treated=rng.randint(3, 8),
        immediate_endpoint="Scars released, expected bruising",
    )


def _laser(rng: random.Random) -> LaserProcedure:
    return LaserProcedure(
        device_name="eCO2 Plus",
        laser_type="fractional_co2",
        wavelength_nm=10600,
        pulse_energy_mj=Decimal(rng.choice([12, 15, 18])),
        density_percent=Decimal(rng.choice([10, 12, 15])),
        spot_size_mm=Decimal("0.12"),
        passes=2,
        cooling="air",
        regions=["left_cheek", "right_cheek"],
        immediate_endpoint="Pinpoint bleeding, mild oedema",
    )


def _peel() -> PeelProcedure:
    return PeelProcedure(
        agent="glycolic",
        concentration_percent=Decimal(35),
        contact_time_minutes=Decimal(3),
        frost_level=0,
        neutralised=True,
        regions=["forehead", "left_cheek", "right_cheek", "chin"],
    )


def _plan(rng: random.Random, visits: int, course: str = "cross") -> list:
    """Procedure builders per visit, by the patient's course (demo.clinic.demo_course): CROSS
    series with a combination with subcision now and then; laser courses that start with one
    CROSS; glycolic peel series."""
    plan = []
    for visit in range(visits):
        if course == "peel":
            plan.append(lambda: [_peel()])
        elif course == "laser":
            plan.append((lambda: [_cross(rng)]) if visit == 0 else (lambda: [_laser(rng)]))
        elif visit == 1 and rng.random() < 0.5:
            plan.append(lambda: [_cross(rng), _subcision(rng)])  # the classic combination
        elif visit >= 3 and rng.random() < 0.4:
            plan.append(lambda: [_laser(rng)])
        else:
            plan.append(lambda: [_cross(rng)])
    return plan


def seed_treatments() -> int:
    clinician = User.objects.filter(username="dermatologist").first()
    if clinician is None:
        return 0
    created = 0
    now = timezone.now()
    for patient in Patient.objects.filter(mrn__startswith="DEMO-").order_by("mrn"):
        if patient.sessions.exists():
            continue
        rng = random.Random(f"treatments-{patient.mrn}")
        assessed = list(patient.assessments.values_list("assessed_on", flat=True))
        if len(assessed) < 2:
            continue
        # A session a few days after each assessment but the last (the course's follow-up).
        for day, procedures in zip(
            assessed[:-1], _plan(rng, len(assessed) - 1, demo_course(patient.mrn)), strict=True
        ):
            performed_at = timezone.make_aware(
                dt.datetime.combine(day + dt.timedelta(days=rng.randint(0, 3)), dt.time(10, 30))
            )
            if performed_at > now:
                continue
            with transaction.atomic():
                session = TreatmentSession(
                    patient=patient,
                    clinician=clinician,
                    performed_at=performed_at,
                    consent_confirmed=True,
                    anaesthesia="topical",
                    anaesthesia_agent="EMLA 5 % under occlusion, 45 min",
                    photos_taken=patient.has_photo_consent("clinical"),
                    aftercare_given="Bland emollient, SPF 50, no make-up for 48 h",
                )
                built = procedures()
                acknowledged = [w.code for w in session_warnings_for(session, built)]
                session_log(
                    session=session, procedures=built, acknowledged=acknowledged, by=clinician
                )
                if built[0].MODALITY.value == "peel" and rng.random() < 0.15:
                    AdverseEvent.objects.create(
                        session=session,
                        event_type="pih",
                        severity="mild",
                        onset_on=session.performed_on + dt.timedelta(days=7),
                        recorded_by=clinician,
                    )
                if built[0].MODALITY.value == "laser" and rng.random() < 0.5:
                    AdverseEvent.objects.create(
                        session=session,
                        event_type="prolonged_erythema",
                        severity="mild",
                        onset_on=session.performed_on,
                        resolved_on=session.performed_on + dt.timedelta(days=9),
                        duration_days=9,
                        recorded_by=clinician,
                    )
            created += 1
        if rng.random() < 0.6:
            TopicalRegimen.objects.create(
                patient=patient,
                agent=rng.choice(["adapalene", "adapalene_bpo", "azelaic_acid"]),
                strength_percent=Decimal(rng.choice(["0.3", "0.1", "15"])),
                frequency=rng.choice(["nightly", "alternate nights"]),
                started_on=assessed[0] - dt.timedelta(days=30),
                prescribed_by=clinician,
            )
    return created


# Placeholder photos: drawn with Pillow, an outline and dots, never a face. The dots (scars)
# thin out visit by visit, so compare shows a visible change.
PHOTO_VIEWS = [PhotoView.FRONTAL, PhotoView.LEFT_OBLIQUE, PhotoView.RIGHT_OBLIQUE]


def _placeholder(view: str, scars: int, seed: str, label: str) -> bytes:
    rng = random.Random(seed)
    image = Image.new("RGB", (1200, 900), (232, 226, 220))
    draw = ImageDraw.Draw(image)
    shift = {"frontal": 0, "left_oblique": -120, "right_oblique": 120}.get(view, 0)
    cx, cy = 600 + shift, 450
    draw.ellipse(
        (cx - 260, cy - 340, cx + 260, cy + 340), fill=(226, 190, 160), outline=(120, 90, 70)
    )
    for _ in range(scars):
        x = cx + rng.randint(-200, 200)
        y = cy + rng.randint(-60, 260)
        r = rng.randint(3, 7)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(150, 95, 80))
    draw.text((30, 30), f"DEMO PLACEHOLDER - {label}", fill=(60, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def seed_photos(*, patients: int = 6) -> int:
    created = 0
    candidates = [
        p
        for p in Patient.objects.filter(mrn__startswith="DEMO-").order_by("mrn")
        if has_clinical_photo_consent(p) and p.assessments.count() >= 2
    ][:patients]
    for patient in candidates:
        if patient.photos.exists():
            continue
        assessments = list(patient.assessments.order_by("assessed_on"))
        first_ice_pick = max(assessments[0].ecca_score // 3, 20)
        for visit, assessment in enumerate(assessments):
            scars = max(4, int(first_ice_pick * (1 - 0.18 * visit)))
            for view in PHOTO_VIEWS:
                data = _placeholder(
                    view, scars, f"{patient.mrn}-{view}", f"{patient.mrn} {assessment.assessed_on}"
                )
                upload = SimpleUploadedFile("demo.jpg", data, content_type="image/jpeg")
                photo_store(
                    patient=patient,
                    upload=upload,
                    view=view,
                    lighting=Lighting.DIFFUSE,
                    taken_on=assessment.assessed_on,
                    assessment=assessment,
                    session=patient.sessions.filter(
                        performed_at__date__gte=assessment.assessed_on,
                        performed_at__date__lte=assessment.assessed_on + dt.timedelta(days=3),
                    ).first(),
                    by=assessment.assessor,
                )
                created += 1
    return created
