"""The permission matrix: every URL pattern, filled in with real objects, for every role and
method, against the outcome written in one table (EXPECTED below).

The URL list comes from the URL configuration itself, so a new URL without a row in the table
fails `test_every_url_has_a_row`. The admin's pages for the clinic's own models are included.

Outcomes: a status code, or "login" for a redirect to the sign-in page. Within one URL the roles
run in the order anonymous, front desk, dermatologist, clinic admin, GET then POST (an empty form),
so a POST that changes state (a check-in) is seen by the roles after it.

To see the actual table after a change: MATRIX_PRINT=1 pytest tests/test_permission_matrix.py -s
"""

import contextlib
import datetime as dt
import os

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from patients.models import AccessLog
from scheduling.models import CalendarFeed
from tests.conftest import client_for
from tests.factories import PatientFactory, PhotoConsentFactory, ScarAssessmentFactory
from tests.scheduling.factories import AppointmentFactory, RoomFactory
from tests.treatments.factories import (
    AdverseEventFactory,
    ClinicalPhotoFactory,
    SkinTestFactory,
    TopicalRegimenFactory,
    TreatmentSessionFactory,
)
from tests.treatments.scar_factories import place_scar
from treatments.models import ReferralLetter

ROLES = ("anonymous", "front_desk", "dermatologist", "clinic_admin")
ADMIN_APPS = ("patients", "treatments", "scheduling", "clinic")
LOGIN = "login"


def _walk(patterns, ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from _walk(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{ns}:{p.name}" if ns else p.name


def url_names() -> list[str]:
    """Every named URL of the app, and the admin's pages for the clinic's own models."""
    names = []
    for name in _walk(get_resolver().url_patterns):
        page = name.removeprefix("admin:")
        own_model = page.startswith(tuple(f"{app}_" for app in ADMIN_APPS))
        if name.startswith("admin:") and not own_model and page != "index":
            continue
        names.append(name)
    return sorted(set(names))


# ---------------------------------------------------------------------------------------------
# The table: url name -> {method: (anonymous, front desk, dermatologist, clinic admin)}
# ---------------------------------------------------------------------------------------------

L = LOGIN
EXPECTED: dict[str, dict[str, tuple]] = {
    "admin:patients_accesslog_add": {"get": (L, 302, 302, 403), "post": (L, 302, 302, 403)},
    "admin:patients_accesslog_change": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 403)},
    "admin:patients_accesslog_changelist": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 200)},
    "admin:patients_accesslog_delete": {"get": (L, 302, 302, 403), "post": (L, 302, 302, 403)},
    "admin:patients_accesslog_history": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 200)},
    "admin:patients_accesslog_patient_report": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 200),
    },
    "admin:index": {"get": (302, 302, 302, 200), "post": (302, 302, 302, 200)},
    "admin:patients_patient_add": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 200)},
    "admin:patients_patient_change": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 200)},
    "admin:patients_patient_changelist": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 200)},
    "admin:patients_patient_delete": {"get": (L, 302, 302, 403), "post": (L, 302, 302, 403)},
    "admin:patients_patient_history": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 200)},
    "admin:patients_patient_simple_history": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 403),
    },
    "admin:patients_photoconsent_add": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 200)},
    "admin:patients_photoconsent_change": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 200)},
    "admin:patients_photoconsent_changelist": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 200),
    },
    "admin:patients_photoconsent_delete": {"get": (L, 302, 302, 403), "post": (L, 302, 302, 403)},
    "admin:patients_photoconsent_history": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 200)},
    "admin:patients_photoconsent_simple_history": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 403),
    },
    "admin:patients_scarassessment_add": {"get": (L, 302, 302, 403), "post": (L, 302, 302, 403)},
    "admin:patients_scarassessment_change": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 403)},
    "admin:patients_scarassessment_changelist": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 200),
    },
    "admin:patients_scarassessment_delete": {"get": (L, 302, 302, 403), "post": (L, 302, 302, 403)},
    "admin:patients_scarassessment_history": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 200),
    },
    "admin:patients_scarassessment_simple_history": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 403),
    },
    "admin:scheduling_appointment_add": {"get": (L, 302, 302, 403), "post": (L, 302, 302, 403)},
    "admin:scheduling_appointment_change": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 403)},
    "admin:scheduling_appointment_changelist": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 200),
    },
    "admin:scheduling_appointment_delete": {"get": (L, 302, 302, 403), "post": (L, 302, 302, 403)},
    "admin:scheduling_appointment_history": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 200)},
    "admin:scheduling_appointment_simple_history": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 403),
    },
    "admin:scheduling_room_add": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 200)},
    "admin:scheduling_room_change": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 200)},
    "admin:scheduling_room_changelist": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 200)},
    "admin:scheduling_room_delete": {"get": (L, 302, 302, 403), "post": (L, 302, 302, 403)},
    "admin:scheduling_room_history": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 200)},
    "admin:scheduling_room_simple_history": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 403)},
    "admin:treatments_adverseevent_add": {"get": (L, 302, 302, 403), "post": (L, 302, 302, 403)},
    "admin:treatments_adverseevent_change": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 403)},
    "admin:treatments_adverseevent_changelist": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 200),
    },
    "admin:treatments_adverseevent_delete": {"get": (L, 302, 302, 403), "post": (L, 302, 302, 403)},
    "admin:treatments_adverseevent_history": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 200),
    },
    "admin:treatments_adverseevent_simple_history": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 403),
    },
    "admin:treatments_clinicalphoto_add": {"get": (L, 302, 302, 403), "post": (L, 302, 302, 403)},
    "admin:treatments_clinicalphoto_change": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 403),
    },
    "admin:treatments_clinicalphoto_changelist": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 200),
    },
    "admin:treatments_clinicalphoto_delete": {
        "get": (L, 302, 302, 403),
        "post": (L, 302, 302, 403),
    },
    "admin:treatments_clinicalphoto_history": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 200),
    },
    "admin:treatments_clinicalphoto_simple_history": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 403),
    },
    "admin:treatments_scar_add": {"get": (L, 302, 302, 403), "post": (L, 302, 302, 403)},
    "admin:treatments_scar_change": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 403)},
    "admin:treatments_scar_changelist": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 200)},
    "admin:treatments_scar_delete": {"get": (L, 302, 302, 403), "post": (L, 302, 302, 403)},
    "admin:treatments_scar_history": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 200)},
    "admin:treatments_scar_simple_history": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 403),
    },
    "admin:treatments_skintest_add": {"get": (L, 302, 302, 403), "post": (L, 302, 302, 403)},
    "admin:treatments_skintest_change": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 403)},
    "admin:treatments_skintest_changelist": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 200)},
    "admin:treatments_skintest_delete": {"get": (L, 302, 302, 403), "post": (L, 302, 302, 403)},
    "admin:treatments_skintest_history": {"get": (L, 302, 302, 200), "post": (L, 302, 302, 200)},
    "admin:treatments_skintest_simple_history": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 403),
    },
    "admin:treatments_topicalregimen_add": {"get": (L, 302, 302, 403), "post": (L, 302, 302, 403)},
    "admin:treatments_topicalregimen_change": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 403),
    },
    "admin:treatments_topicalregimen_changelist": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 200),
    },
    "admin:treatments_topicalregimen_delete": {
        "get": (L, 302, 302, 403),
        "post": (L, 302, 302, 403),
    },
    "admin:treatments_topicalregimen_history": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 200),
    },
    "admin:treatments_topicalregimen_simple_history": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 403),
    },
    "admin:treatments_treatmentsession_add": {
        "get": (L, 302, 302, 403),
        "post": (L, 302, 302, 403),
    },
    "admin:treatments_treatmentsession_change": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 403),
    },
    "admin:treatments_treatmentsession_changelist": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 200),
    },
    "admin:treatments_treatmentsession_delete": {
        "get": (L, 302, 302, 403),
        "post": (L, 302, 302, 403),
    },
    "admin:treatments_treatmentsession_history": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 200),
    },
    "admin:treatments_treatmentsession_simple_history": {
        "get": (L, 302, 302, 200),
        "post": (L, 302, 302, 403),
    },
    "dashboard": {"get": (L, 200, 200, 200), "post": (L, 200, 200, 200)},
    "favicon": {"get": (301, 301, 301, 301), "post": (301, 301, 301, 301)},
    "healthz": {"get": (200, 200, 200, 200), "post": (200, 200, 200, 200)},
    "login": {"get": (200, 200, 200, 200), "post": (200, 200, 200, 200)},
    "logout": {"get": (L, 405, 405, 405), "post": (L, L, L, L)},
    "password_change": {"get": (L, 200, 200, 200), "post": (L, 200, 200, 200)},
    "password_change_done": {"get": (L, 200, 200, 200), "post": (L, 405, 405, 405)},
    "patients:archive": {"get": (L, 405, 405, 405), "post": (L, 403, 403, 302)},
    "patients:assessment_archive": {"get": (L, 405, 405, 405), "post": (L, 403, 302, 302)},
    "patients:assessment_create": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "patients:assessment_detail": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "patients:assessment_update": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "patients:consent_create": {"get": (L, 200, 200, 200), "post": (L, 200, 200, 200)},
    "patients:consent_withdraw": {"get": (L, 200, 200, 200), "post": (L, 200, 200, 200)},
    "patients:create": {"get": (L, 200, 200, 200), "post": (L, 200, 200, 200)},
    "patients:detail": {"get": (L, 200, 200, 200), "post": (L, 200, 200, 200)},
    "patients:history": {"get": (L, 200, 200, 200), "post": (L, 200, 200, 200)},
    "patients:list": {"get": (L, 200, 200, 200), "post": (L, 200, 200, 200)},
    "patients:update": {"get": (L, 200, 200, 200), "post": (L, 200, 200, 200)},
    "scheduling:book": {"get": (L, 200, 403, 200), "post": (L, 200, 403, 200)},
    "scheduling:cancel": {"get": (L, 200, 403, 200), "post": (L, 200, 403, 200)},
    "scheduling:check_in": {"get": (L, 405, 405, 405), "post": (L, 302, 403, 302)},
    "scheduling:day": {"get": (L, 200, 200, 200), "post": (L, 200, 200, 200)},
    "scheduling:detail": {"get": (L, 200, 200, 200), "post": (L, 200, 200, 200)},
    "scheduling:feed": {"get": (L, 403, 200, 403), "post": (L, 403, 200, 403)},
    "scheduling:ical": {"get": (200, 200, 200, 200), "post": (200, 200, 200, 200)},
    "scheduling:no_show": {"get": (L, 405, 405, 405), "post": (L, 302, 403, 302)},
    "scheduling:progress": {"get": (L, 405, 405, 405), "post": (L, 403, 302, 302)},
    "scheduling:reschedule": {"get": (L, 200, 403, 200), "post": (L, 200, 403, 200)},
    "scheduling:rooms": {"get": (L, 200, 200, 200), "post": (L, 200, 200, 200)},
    "scheduling:series": {"get": (L, 200, 403, 200), "post": (L, 200, 403, 200)},
    "scheduling:week": {"get": (L, 200, 200, 200), "post": (L, 200, 200, 200)},
    "treatments:adverse_event_create": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:photo_archive": {"get": (L, 405, 405, 405), "post": (L, 403, 302, 302)},
    "treatments:photo_capture": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:photo_capture_store": {"get": (L, 405, 405, 405), "post": (L, 403, 302, 302)},
    "treatments:photo_compare": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:photo_detail": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:photo_export": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:photo_file": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:photo_thumb": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:photo_upload": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:fhir_export": {"get": (L, 403, 200, 403), "post": (L, 403, 200, 403)},
    "treatments:filler_lots": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:letter_create": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:letter_print": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:letter_update": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:outcomes_dataset_csv": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:outcomes_report": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:outcomes_report_csv": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:progress_summary": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:scar_archive": {"get": (L, 405, 405, 405), "post": (L, 403, 302, 302)},
    "treatments:scar_detail": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:scar_dismiss_suggestion": {
        "get": (L, 405, 405, 405),
        "post": (L, 403, 302, 302),
    },
    "treatments:scar_register": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:scar_status": {"get": (L, 405, 405, 405), "post": (L, 403, 200, 200)},
    "treatments:session_archive": {"get": (L, 405, 405, 405), "post": (L, 403, 302, 302)},
    "treatments:session_create": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:session_detail": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:session_update": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:skin_test_create": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:skin_test_read": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:topical_create": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "treatments:topical_stop": {"get": (L, 403, 200, 200), "post": (L, 403, 200, 200)},
    "two_factor": {"get": (L, 200, 200, 200), "post": (L, 200, 200, 200)},
    "two_factor_verify": {"get": (L, 302, 302, 302), "post": (L, 302, 302, 302)},
}


def expected_outcomes(name: str) -> dict[str, tuple]:
    return EXPECTED[name]


# ---------------------------------------------------------------------------------------------
# Filling in the URLs
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def world(dermatologist, front_desk, clinic_admin):
    patient = PatientFactory()
    consent = PhotoConsentFactory(patient=patient, use="clinical")
    PhotoConsentFactory(patient=patient, use="teaching")
    session = TreatmentSessionFactory(patient=patient, clinician=dermatologist)
    tomorrow = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    tomorrow += dt.timedelta(days=1)
    access = AccessLog.objects.create(
        user=dermatologist, username="alice", action="view", patient=patient
    )
    return {
        "access_log": access,
        "room": RoomFactory(),
        "adverse_event": AdverseEventFactory(session=session),
        "patient": patient,
        "consent": consent,
        "assessment": ScarAssessmentFactory(patient=patient, assessor=dermatologist),
        "session": session,
        "letter": ReferralLetter.objects.create(
            patient=patient,
            recipient="Dr Smith",
            subject="Progress",
            body="Text",
            created_by=dermatologist,
        ),
        "photo": ClinicalPhotoFactory(patient=patient),
        "scar": place_scar(patient, dermatologist),
        "topical": TopicalRegimenFactory(patient=patient),
        "skin_test": SkinTestFactory(patient=patient, read_on=None, result=""),
        "appointment": AppointmentFactory(
            patient=patient, dermatologist=dermatologist, starts_at=tomorrow
        ),
        "dermatologist": dermatologist,
        "token": CalendarFeed.reset_for(dermatologist),
        "users": {
            "front_desk": front_desk,
            "dermatologist": dermatologist,
            "clinic_admin": clinic_admin,
        },
    }


URL_OBJECT = {
    "patients:consent_withdraw": lambda w: [w["patient"].pk, w["consent"].pk],
    "scheduling:week": lambda w: [w["dermatologist"].pk],
    "scheduling:ical": lambda w: [w["token"]],
    "treatments:photo_file": lambda w: [w["photo"].pk, "thumb"],
    "treatments:photo_export": lambda w: [w["photo"].pk, "teaching"],
}
BY_PREFIX = [
    ("patients:assessment_create", "patient"),
    ("patients:assessment_", "assessment"),
    ("patients:", "patient"),
    ("scheduling:", "appointment"),
    ("treatments:session_create", "patient"),
    ("treatments:topical_create", "patient"),
    ("treatments:skin_test_create", "patient"),
    ("treatments:photo_upload", "patient"),
    ("treatments:photo_compare", "patient"),
    ("treatments:photo_capture", "patient"),
    ("treatments:progress_summary", "patient"),
    ("treatments:letter_create", "patient"),
    ("treatments:fhir_export", "patient"),
    ("treatments:letter_", "letter"),
    ("treatments:scar_register", "patient"),
    ("treatments:scar_", "scar"),
    ("treatments:session_", "session"),
    ("treatments:adverse_event_", "session"),
    ("treatments:topical_", "topical"),
    ("treatments:skin_test_", "skin_test"),
    ("treatments:photo_", "photo"),
]


def _admin_object(world, name: str):
    model_page = name.removeprefix("admin:")
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if model_page.startswith(prefix):
            found = next((v for v in world.values() if isinstance(v, model)), None)
            return found if found is not None else model._default_manager.first()
    return None


def fill(name: str, world) -> str:
    if name in URL_OBJECT:
        return reverse(name, args=URL_OBJECT[name](world))
    with contextlib.suppress(NoReverseMatch):  # the URL takes arguments: filled in below
        return reverse(name)
    if name.startswith("admin:"):
        if name == "admin:patients_accesslog_patient_report":
            return reverse(name, args=[world["patient"].pk])
        obj = _admin_object(world, name)
        if obj is None:
            pytest.fail(f"No object to fill in {name}")
        if name.endswith("_simple_history"):
            return reverse(name, args=[obj.pk, obj.history.first().history_id])
        return reverse(name, args=[obj.pk])
    key = next(key for prefix, key in BY_PREFIX if name.startswith(prefix))
    return reverse(name, args=[world[key].pk])


def outcome(response) -> int | str:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


def run_url(name: str, world) -> dict[str, tuple]:
    url = fill(name, world)
    found: dict[str, list] = {"get": [], "post": []}
    for role in ROLES:
        client = Client() if role == "anonymous" else client_for(world["users"][role])
        for method in ("get", "post"):
            found[method].append(outcome(getattr(client, method)(url)))
    return {method: tuple(values) for method, values in found.items()}


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------


def test_every_url_has_a_row():
    missing = [name for name in url_names() if name not in EXPECTED]
    stale = [name for name in EXPECTED if name not in url_names()]
    assert missing == [], f"URLs without a row in the permission matrix: {missing}"
    assert stale == [], f"Rows for URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", url_names())
def test_permission_matrix(name, world):
    actual = run_url(name, world)
    if os.environ.get("MATRIX_PRINT"):
        print(f"\nMATRIX {name!r}: {actual!r},")
        return
    assert actual == expected_outcomes(name), name


def test_the_matrix_covers_every_role_and_method():
    for name, methods in EXPECTED.items():
        assert set(methods) == {"get", "post"}, name
        assert all(len(row) == len(ROLES) for row in methods.values()), name
