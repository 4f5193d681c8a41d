"""One patient's acne scar record as a FHIR R4 Bundle (type collection), built as plain JSON.

Resources: Patient; Practitioner for each clinician named; Observation for each score of each
assessment that counts (a local CodeSystem for ECCA, Goodman & Baron, the ice pick count, CADI and
DLQI: we found no LOINC code for these totals, so none is claimed); Procedure for each procedure
(parameters in a note, regions as body sites); AdverseEvent; Consent for each photo use; Media
for each photo's metadata (no image bytes: the content's url is the permission-checked file view).
Validated against fhir.resources (R4B models, which match R4 for these resources) in the tests.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from patients.models import Patient, PhotoConsent, ScarAssessment
from treatments.models import AdverseEvent, ClinicalPhoto, Procedure, TreatmentSession
from treatments.patient_outcomes import sessions_with_procedures

SCORE_SYSTEM = "https://acne-scar-clinic.example/fhir/CodeSystem/scar-scores"
MODALITY_SYSTEM = "https://acne-scar-clinic.example/fhir/CodeSystem/scar-modalities"
CONSENT_USE_SYSTEM = "https://acne-scar-clinic.example/fhir/CodeSystem/photo-consent-uses"
MRN_SYSTEM = "https://acne-scar-clinic.example/fhir/NamingSystem/mrn"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

SCORES = (
    ("ecca_score", "ecca", "ECCA score (Dreno 2007), 0-540", "exam"),
    ("gb_quantitative_score", "gb-quantitative", "Goodman & Baron quantitative, 0-84", "exam"),
    ("gb_grade", "gb-grade", "Goodman & Baron qualitative grade, 1-4", "exam"),
    ("ice_pick", "ice-pick-count", "Ice pick scar count", "exam"),
    ("cadi_score", "cadi", "Cardiff Acne Disability Index, 0-15", "survey"),
    ("dlqi_score", "dlqi", "Dermatology Life Quality Index, 0-30", "survey"),
)
GENDER = {"female": "female", "male": "male", "intersex": "other"}


Resource = dict[str, Any]
Reference = dict[str, str]
PhotoUrl = Callable[[ClinicalPhoto], str]


def _instant(value: dt.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def _ref(kind: str, id_: str) -> Reference:
    return {"reference": f"{kind}/{id_}"}


def _practitioner(user: User) -> Resource:
    return {
        "resourceType": "Practitioner",
        "id": f"practitioner-{user.pk}",
        "name": [{"text": user.get_full_name() or user.get_username()}],
    }


def _patient(patient: Patient, pid: str) -> Resource:
    resource: Resource = {
        "resourceType": "Patient",
        "id": pid,
        "identifier": [{"system": MRN_SYSTEM, "value": patient.mrn}],
        "name": [{"family": patient.last_name, "given": [patient.first_name]}],
        "birthDate": patient.date_of_birth.isoformat(),
        "gender": GENDER.get(patient.sex_at_birth, "unknown"),
        "active": not patient.is_archived,
    }
    telecom = [{"system": "phone", "value": patient.phone}] if patient.phone else []
    if patient.email:
        telecom.append({"system": "email", "value": patient.email})
    if telecom:
        resource["telecom"] = telecom
    return resource


def _observation(
    a: ScarAssessment, subject: Reference, value: int, *, code: str, display: str, category: str
) -> Resource:
    return {
        "resourceType": "Observation",
        "id": f"obs-{a.pk}-{code}",
        "status": "amended" if a.was_amended else "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": category}]}],
        "code": {
            "coding": [{"system": SCORE_SYSTEM, "code": code, "display": display}],
            "text": display,
        },
        "subject": subject,
        "effectiveDateTime": a.assessed_on.isoformat(),
        "performer": [_ref("Practitioner", f"practitioner-{a.assessor_id}")],
        "valueInteger": int(value),
    }


def _observations(
    patient: Patient, subject: Reference, practitioners: dict[int, Resource]
) -> list[Resource]:
    """One Observation per recorded score of each assessment that counts (the last of each day);
    adds each assessor to `practitioners`."""
    assessments = (
        ScarAssessment.objects.latest_of_each_day()
        .filter(patient=patient)
        .select_related("assessor")
        .prefetch_related("scar_counts")
        .order_by("assessed_on")
    )
    resources: list[Resource] = []
    for a in assessments:
        practitioners.setdefault(a.assessor_id, _practitioner(a.assessor))
        ice_pick = sum(c.count for c in a.scar_counts.all() if c.scar_type == "ice_pick")
        for field, code, display, category in SCORES:
            value = ice_pick if field == "ice_pick" else getattr(a, field)
            if value is None:
                continue
            resources.append(
                _observation(a, subject, value, code=code, display=display, category=category)
            )
    return resources


def _procedure(
    session: TreatmentSession, procedure: Procedure, id_: str, subject: Reference
) -> Resource:
    resource: Resource = {
        "resourceType": "Procedure",
        "id": id_,
        "status": "completed",
        "code": {
            "coding": [
                {
                    "system": MODALITY_SYSTEM,
                    "code": procedure.MODALITY.value,
                    "display": procedure.MODALITY.label,
                }
            ],
            "text": procedure.MODALITY.label,
        },
        "subject": subject,
        "performedDateTime": _instant(session.performed_at),
        "performer": [{"actor": _ref("Practitioner", f"practitioner-{session.clinician_id}")}],
        "note": [{"text": procedure.summary()}],
    }
    if procedure.regions:
        resource["bodySite"] = [{"text": label} for label in procedure.region_labels().split(", ")]
    return resource


def _procedures(
    sessions: list[TreatmentSession],
    subject: Reference,
    practitioners: dict[int, Resource],
    procedure_ids: dict[int, list[str]],
) -> list[Resource]:
    """One Procedure per procedure of each session; adds each clinician to `practitioners` and
    each procedure's id to `procedure_ids` under its session's pk."""
    resources: list[Resource] = []
    for s in sessions:
        practitioners.setdefault(s.clinician_id, _practitioner(s.clinician))
        for p in s.procedures():
            id_ = f"procedure-{p.MODALITY.value}-{p.pk}"
            procedure_ids.setdefault(s.pk, []).append(id_)
            resources.append(_procedure(s, p, id_, subject))
    return resources


def _adverse_event(e: AdverseEvent, subject: Reference, suspects: list[str]) -> Resource:
    resource: Resource = {
        "resourceType": "AdverseEvent",
        "id": f"adverse-event-{e.pk}",
        "actuality": "actual",
        "event": {"text": e.get_event_type_display()},
        "subject": subject,
        "date": e.onset_on.isoformat(),
        "severity": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/adverse-event-severity",
                    "code": e.severity,
                }
            ]
        },
        "outcome": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/adverse-event-outcome",
                    "code": "resolved" if e.resolved_on else "ongoing",
                }
            ]
        },
    }
    if suspects:
        resource["suspectEntity"] = [{"instance": _ref("Procedure", id_)} for id_ in suspects]
    return resource


def _adverse_events(
    sessions: list[TreatmentSession], subject: Reference, procedure_ids: dict[int, list[str]]
) -> list[Resource]:
    """The sessions' adverse events, each naming that session's procedures as suspects."""
    events = AdverseEvent.objects.filter(session__in=[s.pk for s in sessions])
    return [_adverse_event(e, subject, procedure_ids.get(e.session_id, [])) for e in events]


def _consent(c: PhotoConsent, subject: Reference) -> Resource:
    return {
        "resourceType": "Consent",
        "id": f"consent-{c.pk}",
        "status": "inactive" if c.withdrawn_on else "active",
        "scope": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                    "code": "patient-privacy",
                }
            ]
        },
        "category": [{"text": "Clinical photography"}],
        "patient": subject,
        "dateTime": c.given_on.isoformat(),
        "policyRule": {"text": "Clinic photography consent form"},
        "provision": {
            "type": "permit",
            "purpose": [
                {
                    "system": CONSENT_USE_SYSTEM,
                    "code": c.use,
                    "display": c.get_use_display(),
                }
            ],
            **(
                {
                    "period": {
                        "start": c.given_on.isoformat(),
                        "end": c.withdrawn_on.isoformat(),
                    }
                }
                if c.withdrawn_on
                else {}
            ),
        },
    }


def _consents(patient: Patient, subject: Reference) -> list[Resource]:
    consents = PhotoConsent.objects.filter(patient=patient).order_by("given_on", "pk")
    return [_consent(c, subject) for c in consents]


def _media(photo: ClinicalPhoto, subject: Reference, photo_url: PhotoUrl) -> Resource:
    return {
        "resourceType": "Media",
        "id": f"photo-{photo.pk}",
        "identifier": [{"system": "urn:ietf:rfc:6920", "value": f"ni:///sha-256;{photo.sha256}"}],
        "status": "completed",
        "type": {
            "coding": [
                {"system": "http://terminology.hl7.org/CodeSystem/media-type", "code": "image"}
            ]
        },
        "view": {"text": f"{photo.view_label}, {photo.get_lighting_display()}"},
        "subject": subject,
        "createdDateTime": photo.taken_on.isoformat(),
        "width": photo.width,
        "height": photo.height,
        "content": {
            "contentType": "image/jpeg",
            "url": photo_url(photo),
            "size": photo.file_size,
            "title": f"{photo.view_label} {photo.taken_on:%Y-%m-%d}",
        },
    }


def _all_media(patient: Patient, subject: Reference, photo_url: PhotoUrl) -> list[Resource]:
    photos = ClinicalPhoto.objects.current().filter(patient=patient).order_by("taken_on", "pk")
    return [_media(photo, subject, photo_url) for photo in photos]


def _bundle(resources: list[Resource], base_url: str) -> dict[str, Any]:
    base = base_url.rstrip("/")
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _instant(timezone.now()),
        "entry": [
            {"fullUrl": f"{base}/{r['resourceType']}/{r['id']}", "resource": r} for r in resources
        ],
    }


def patient_bundle(patient: Patient, *, base_url: str, photo_url: PhotoUrl) -> dict[str, Any]:
    """The Bundle as a dict. `photo_url(photo)` gives the absolute URL of a photo's file view."""
    pid = f"patient-{patient.pk}"
    subject = _ref("Patient", pid)
    practitioners: dict[int, Resource] = {}
    resources = [_patient(patient, pid), *_observations(patient, subject, practitioners)]
    sessions = sessions_with_procedures(patient)
    procedure_ids: dict[int, list[str]] = {}
    resources += _procedures(sessions, subject, practitioners, procedure_ids)
    resources += _adverse_events(sessions, subject, procedure_ids)
    resources += _consents(patient, subject)
    resources += _all_media(patient, subject, photo_url)
    # Practitioners come right after the Patient, in the order they were first named.
    resources[1:1] = list(practitioners.values())
    return _bundle(resources, base_url)
