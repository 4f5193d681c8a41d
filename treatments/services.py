"""Writes for treatment sessions: a session, its procedures and its acknowledged warnings are
saved together or not at all."""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from patients.models import ConsentUse, Patient
from treatments import safety
from treatments.modalities import suggest_next_session
from treatments.models import (
    PROCEDURE_MODELS,
    AdverseEvent,
    Procedure,
    SessionWarning,
    SkinTest,
    TopicalRegimen,
    TreatmentSession,
)


class WarningsNotAcknowledged(Exception):
    """The session raised safety warnings that the clinician has not acknowledged yet."""

    def __init__(self, warnings: list[safety.SafetyWarning]):
        super().__init__(", ".join(w.code for w in warnings))
        self.warnings = warnings


class HardStopped(Exception):
    def __init__(self, stops: list[safety.HardStop]):
        super().__init__("; ".join(s.message for s in stops))
        self.stops = stops


def patient_facts(*, patient: Patient, on: dt.date) -> safety.PatientFacts:
    """What the safety rules need to know of the patient on the day of the session."""
    # Tests placed by that day, oldest first, so the rules can take the most recent; a reading
    # recorded after the session's day is not known on that day.
    skin_tests = [
        test.fact()
        if test.read_on is None or test.read_on <= on
        else safety.SkinTestFact(test.tested_on)
        for test in patient.skin_tests.filter(
            material=safety.PMMA_COLLAGEN, tested_on__lte=on
        ).order_by("tested_on", "pk")
    ]
    return safety.PatientFacts(
        **patient.risk_factors(),
        has_clinical_photo_consent=patient.photo_consents.in_force(
            ConsentUse.CLINICAL, on=on
        ).exists(),
        date_of_birth=patient.date_of_birth,
        pmma_skin_tests=tuple(skin_tests),
    )


def prior_procedures(
    *, patient: Patient, exclude_session: TreatmentSession | None = None
) -> list[safety.PriorProcedure]:
    """Every earlier procedure of the patient, one query per modality."""
    prior: list[safety.PriorProcedure] = []
    # Each modality's model declares its own `session` key; the abstract base cannot, so the
    # lookups are spelt as strings the type checker does not resolve on the base.
    of_patient = {"session__patient": patient, "session__archived_at__isnull": True}
    for model in PROCEDURE_MODELS:
        rows = model._default_manager.filter(**of_patient).select_related(*["session"])
        if exclude_session is not None and exclude_session.pk:
            rows = rows.exclude(**{"session": exclude_session})
        prior += [row.prior(row.session_performed_on()) for row in rows]
    return prior


def session_check(
    *, session: TreatmentSession, procedures: Sequence[Procedure]
) -> tuple[list[safety.SafetyWarning], list[safety.HardStop]]:
    """The warnings to acknowledge and the hard stops for this session as entered."""
    on = session.performed_on
    facts = patient_facts(patient=session.patient, on=on)
    planned = [p.planned() for p in procedures]
    warnings = safety.session_warnings(
        patient=facts,
        procedures=planned,
        performed_on=on,
        prior=prior_procedures(patient=session.patient, exclude_session=session),
        photos_taken=session.photos_taken,
        antiviral_prophylaxis=session.antiviral_prophylaxis,
    )
    return warnings, safety.hard_stops(patient=facts, procedures=planned, performed_on=on)


def _save_procedures(
    session: TreatmentSession, procedures: Sequence[Procedure], changed: Sequence[Procedure] | None
) -> None:
    # Unchanged procedures are checked by the rules but not saved again, so the history shows
    # only real amendments.
    for procedure in procedures if changed is None else changed:
        procedure.session = session  # type: ignore[attr-defined]  # declared per modality
        procedure.full_clean()
        procedure.save()


def _record_acknowledgements(
    session: TreatmentSession,
    warnings: list[safety.SafetyWarning],
    acknowledged: set[str],
    by: User,
) -> None:
    already = set(session.acknowledged_warnings.values_list("code", flat=True))
    missing = [w for w in warnings if w.code not in acknowledged | already]
    if missing:
        raise WarningsNotAcknowledged(missing)
    now = timezone.now()
    for warning in warnings:
        if warning.code in already:
            continue
        SessionWarning.objects.create(
            session=session,
            code=warning.code,
            severity=warning.severity,
            message=warning.message,
            acknowledged_by=by,
            acknowledged_at=now,
        )


@transaction.atomic
def session_log(
    *,
    session: TreatmentSession,
    procedures: Sequence[Procedure],
    acknowledged: Iterable[str] = (),
    by: User,
) -> TreatmentSession:
    """Saves a session with its procedures and acknowledged warnings, all or nothing.

    Raises HardStopped or WarningsNotAcknowledged (nothing saved) when the rules say so.
    """
    session.patient.refuse_new_records()
    if not procedures:
        raise ValidationError("Add at least one procedure to the session.")
    warnings, stops = session_check(session=session, procedures=procedures)
    if stops:
        raise HardStopped(stops)
    missing = [w for w in warnings if w.code not in set(acknowledged)]
    if missing:
        raise WarningsNotAcknowledged(missing)
    session.fitzpatrick_type = session.patient.fitzpatrick_type
    session.updated_by = by
    if session.next_session_due is None:
        session.next_session_due = suggest_next_session(
            session.performed_on, [p.interval_kind() for p in procedures]
        )
    session.full_clean()
    session.save()
    _save_procedures(session, procedures, None)
    _record_acknowledgements(session, warnings, set(acknowledged), by)
    return session


@transaction.atomic
def session_amend(
    *,
    session: TreatmentSession,
    procedures: Sequence[Procedure],
    changed: Sequence[Procedure] | None = None,
    acknowledged: Iterable[str] = (),
    by: User,
) -> TreatmentSession:
    """Saves changes to a session and its procedures; history keeps the earlier values. Only
    warnings not acknowledged before need acknowledging now. `procedures` is every procedure
    of the session (the rules look at all of them); `changed` the ones to write."""
    if not procedures:
        raise ValidationError("A session keeps at least one procedure.")
    warnings, stops = session_check(session=session, procedures=procedures)
    if stops:
        raise HardStopped(stops)
    session.updated_by = by
    session.full_clean()
    session.save()
    _save_procedures(session, procedures, changed)
    _record_acknowledgements(session, warnings, set(acknowledged), by)
    return session


@transaction.atomic
def adverse_event_record(*, event: AdverseEvent, by: User) -> AdverseEvent:
    event.session.patient.refuse_new_records()
    event.recorded_by = by
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def topical_start(
    *, regimen: TopicalRegimen, by: User, acknowledged: Sequence[safety.SafetyWarning] = ()
) -> TopicalRegimen:
    """Starts a topical; warnings the prescriber acknowledged are kept on the regimen."""
    regimen.patient.refuse_new_records()
    regimen.prescribed_by = by
    if acknowledged:
        regimen.acknowledged_warning = " ".join(w.message for w in acknowledged)
    regimen.full_clean()
    regimen.save()
    return regimen


@transaction.atomic
def topical_stop(*, regimen: TopicalRegimen, stopped_on: dt.date) -> TopicalRegimen:
    regimen.stopped_on = stopped_on
    regimen.full_clean()
    regimen.save(update_fields=["stopped_on"])
    return regimen


@transaction.atomic
def skin_test_record(*, test: SkinTest, by: User) -> SkinTest:
    if test.pk is None:
        test.patient.refuse_new_records()
    test.recorded_by = by
    test.full_clean()
    test.save()
    return test


def session_warnings_for(
    session: TreatmentSession, procedures: Sequence[Procedure]
) -> list[safety.SafetyWarning]:
    return session_check(session=session, procedures=procedures)[0]
