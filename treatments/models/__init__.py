"""What was done at a treatment session, with the parameters needed to repeat or audit it.

Units are in field names or help text; physical ranges are enforced by the database as well as
the forms. Every model keeps its history; nothing here is deleted from the app. One module per
kind of record (limits, session, the procedure base and procedures, fillers, peels, care,
photos, letters, scars); everything is importable
from `treatments.models` as before.
"""

from treatments.models.care import (
    AdverseEvent,
    AdverseEventType,
    Severity,
    SkinTest,
    SkinTestResult,
    TopicalAgent,
    TopicalRegimen,
    TopicalRegimenQuerySet,
)
from treatments.models.fillers import (
    FillerMaterial,
    FillerProcedure,
    InjectionDepth,
    InjectionDevice,
    InjectionTechnique,
)
from treatments.models.letters import (
    ReferralLetter,
)
from treatments.models.limits import (
    LIMITS,
    Limit,
    validate_regions,
)
from treatments.models.peels import (
    FrostLevel,
    PeelAgent,
    PeelProcedure,
)
from treatments.models.photos import (
    LIGHTING_LABELS,
    ClinicalPhoto,
    ClinicalPhotoQuerySet,
    Lighting,
    PhotoView,
    photo_storage,
    photo_view_label,
)
from treatments.models.procedure_base import (
    Procedure,
)
from treatments.models.procedures import (
    ABLATIVE_LASERS,
    PROCEDURE_MODEL_BY_MODALITY,
    PROCEDURE_MODELS,
    Closure,
    Cooling,
    CrossApplicator,
    CrossProcedure,
    LaserProcedure,
    LaserType,
    PunchProcedure,
    PunchTechnique,
    SubcisionInstrument,
    SubcisionProcedure,
)
from treatments.models.scars import (
    Scar,
    ScarDepth,
    ScarQuerySet,
    ScarStatus,
    ScarStatusChange,
    ScarTreatment,
    ScarType,
)
from treatments.models.session import (
    Anaesthesia,
    SessionWarning,
    TreatmentSession,
    TreatmentSessionQuerySet,
)

__all__ = [
    "ABLATIVE_LASERS",
    "LIGHTING_LABELS",
    "LIMITS",
    "PROCEDURE_MODELS",
    "PROCEDURE_MODEL_BY_MODALITY",
    "AdverseEvent",
    "AdverseEventType",
    "Anaesthesia",
    "ClinicalPhoto",
    "ClinicalPhotoQuerySet",
    "Closure",
    "Cooling",
    "CrossApplicator",
    "CrossProcedure",
    "FillerMaterial",
    "FillerProcedure",
    "FrostLevel",
    "InjectionDepth",
    "InjectionDevice",
    "InjectionTechnique",
    "LaserProcedure",
    "LaserType",
    "Lighting",
    "Limit",
    "PeelAgent",
    "PeelProcedure",
    "PhotoView",
    "Procedure",
    "PunchProcedure",
    "PunchTechnique",
    "ReferralLetter",
    "Scar",
    "ScarDepth",
    "ScarQuerySet",
    "ScarStatus",
    "ScarStatusChange",
    "ScarTreatment",
    "ScarType",
    "SessionWarning",
    "Severity",
    "SkinTest",
    "SkinTestResult",
    "SubcisionInstrument",
    "SubcisionProcedure",
    "TopicalAgent",
    "TopicalRegimen",
    "TopicalRegimenQuerySet",
    "TreatmentSession",
    "TreatmentSessionQuerySet",
    "photo_storage",
    "photo_view_label",
    "validate_regions",
]
