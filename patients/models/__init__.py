"""The patients app's models, one module per record: the patient, photo consent, scar
assessments and the access trail. Import them from here."""

from patients.models.access_log import (
    AccessLog,
)
from patients.models.assessment import (
    CADI_FIELDS,
    DLQI_FIELDS,
    DLQI_WORK_PROBLEM_FIELD,
    GB_COUNT_FIELDS,
    MAX_COUNT_PER_CELL,
    MAX_KELOID_AREA_CM2,
    EccaScarTypeChoices,
    FacialRegion,
    GoodmanBaronGradeChoices,
    ScarAssessment,
    ScarAssessmentQuerySet,
    ScarCount,
)
from patients.models.consent import (
    ConsentUse,
    PhotoConsent,
    PhotoConsentQuerySet,
)
from patients.models.patient import (
    EARLIEST_BIRTH_DATE,
    ArchiveState,
    FitzpatrickType,
    Patient,
    PatientArchived,
    PatientQuerySet,
    PregnancyStatus,
    SexAtBirth,
)

__all__ = [
    "CADI_FIELDS",
    "DLQI_FIELDS",
    "DLQI_WORK_PROBLEM_FIELD",
    "EARLIEST_BIRTH_DATE",
    "GB_COUNT_FIELDS",
    "MAX_COUNT_PER_CELL",
    "MAX_KELOID_AREA_CM2",
    "AccessLog",
    "ArchiveState",
    "ConsentUse",
    "EccaScarTypeChoices",
    "FacialRegion",
    "FitzpatrickType",
    "GoodmanBaronGradeChoices",
    "Patient",
    "PatientArchived",
    "PatientQuerySet",
    "PhotoConsent",
    "PhotoConsentQuerySet",
    "PregnancyStatus",
    "ScarAssessment",
    "ScarAssessmentQuerySet",
    "ScarCount",
    "SexAtBirth",
]
