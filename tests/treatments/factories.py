"""Factories for treatment records. Sessions are logged through the real service."""

import datetime as dt
import io
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from patients.models import ConsentUse
from tests.factories import PatientFactory, PhotoConsentFactory, UserFactory
from treatments.models import (
    AdverseEvent,
    ClinicalPhoto,
    CrossApplicator,
    CrossProcedure,
    FillerProcedure,
    SkinTest,
    SkinTestResult,
    SubcisionInstrument,
    SubcisionProcedure,
    TopicalAgent,
    TopicalRegimen,
    TreatmentSession,
)
from treatments.photos import has_clinical_photo_consent, photo_store
from treatments.services import session_log, session_warnings_for


def cross(**values) -> CrossProcedure:
    defaults = {
        "tca_concentration_percent": Decimal(100),
        "applicator": CrossApplicator.WOODEN_STICK,
        "frost_reached": True,
        "scars_treated": 12,
        "regions": ["left_cheek", "right_cheek"],
    }
    return CrossProcedure(**(defaults | values))


def subcision(**values) -> SubcisionProcedure:
    defaults = {"instrument": SubcisionInstrument.NOKOR, "gauge": 18, "regions": ["left_cheek"]}
    return SubcisionProcedure(**(defaults | values))


def filler(**values) -> FillerProcedure:
    defaults = {
        "product": "Restylane Vital",
        "material": "hyaluronic_acid",
        "lot_number": "HA-1001",
        "expiry_date": timezone.localdate() + dt.timedelta(days=300),
        "volume_ml": Decimal("0.5"),
        "device": "needle",
        "gauge": 30,
        "depth": "intradermal",
        "technique": "serial_puncture",
        "regions": ["left_cheek"],
    }
    return FillerProcedure(**(defaults | values))


class TreatmentSessionFactory(factory.django.DjangoModelFactory):
    """`procedures=[cross(), subcision()]` (default: one CROSS). Warnings are acknowledged."""

    class Meta:
        model = TreatmentSession

    patient = factory.SubFactory(PatientFactory)
    clinician = factory.SubFactory(UserFactory)
    performed_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    consent_confirmed = True

    @classmethod
    def _create(cls, model_class, *args, procedures=None, **kwargs):
        session = model_class(**kwargs)
        procedures = procedures if procedures is not None else [cross()]
        codes = [w.code for w in session_warnings_for(session, procedures)]
        return session_log(
            session=session, procedures=procedures, acknowledged=codes, by=kwargs["clinician"]
        )


class AdverseEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdverseEvent

    session = factory.SubFactory(TreatmentSessionFactory)
    event_type = "prolonged_erythema"
    severity = "mild"
    onset_on = factory.LazyAttribute(lambda e: e.session.performed_on)


class TopicalRegimenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopicalRegimen

    patient = factory.SubFactory(PatientFactory)
    agent = TopicalAgent.ADAPALENE
    strength_percent = Decimal("0.3")
    frequency = "nightly"
    started_on = dt.date(2026, 1, 1)


class SkinTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkinTest

    patient = factory.SubFactory(PatientFactory)
    product = "Bellafill"
    tested_on = dt.date(2026, 1, 1)
    read_on = dt.date(2026, 1, 29)
    result = SkinTestResult.NEGATIVE


def _jpeg_bytes(seed: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (96 + seed % 50, 72), (120, 90, 80)).save(buffer, "JPEG")
    return buffer.getvalue()


class ClinicalPhotoFactory(factory.django.DjangoModelFactory):
    """Stored through photo_store, so files and checksums are real; gives the patient consent."""

    class Meta:
        model = ClinicalPhoto

    patient = factory.SubFactory(PatientFactory)
    view = "frontal"
    lighting = "diffuse"
    taken_on = dt.date(2026, 1, 10)

    @classmethod
    def _create(cls, model_class, *args, patient, **kwargs):
        if not has_clinical_photo_consent(patient):
            PhotoConsentFactory(patient=patient, use=ConsentUse.CLINICAL)
        data = _jpeg_bytes(ClinicalPhoto.objects.count())
        return photo_store(
            patient=patient,
            upload=SimpleUploadedFile("photo.jpg", data, "image/jpeg"),
            by=None,
            **kwargs,
        )
