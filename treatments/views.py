from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clinic.archive import ArchiveForm, archive_from_request
from clinic.panels import chart_url
from patients.access import get_patient_for_user
from patients.audit import access_record
from patients.history import histories_of, history_entries
from treatments.access import get_session_for_user, get_skin_test_for_user, get_topical_for_user
from treatments.forms import (
    AdverseEventForm,
    SessionForm,
    SkinTestForm,
    SkinTestReadingForm,
    TopicalRegimenForm,
    TopicalStopForm,
    procedure_formsets,
)
from treatments.modalities import Modality
from treatments.models import TreatmentSession
from treatments.scar_queries import attach_linked_scars
from treatments.scar_services import register_scars, scar_picks_save
from treatments.services import (
    HardStopped,
    WarningsNotAcknowledged,
    adverse_event_record,
    session_amend,
    session_log,
    skin_test_record,
    topical_start,
    topical_stop,
)


@permission_required("treatments.add_treatmentsession", raise_exception=True)
def session_create(request, pk: int):
    patient = get_patient_for_user(
        request.user, pk, perm="treatments.add_treatmentsession", adding=True
    )
    session = TreatmentSession(patient=patient)
    return _session_page(request, session, title="Log treatment session", service=session_log)


@permission_required("treatments.change_treatmentsession", raise_exception=True)
def session_update(request, pk: int):
    session = get_session_for_user(request.user, pk, perm="treatments.change_treatmentsession")
    return _session_page(request, session, title="Amend treatment session", service=session_amend)


def _session_page(request, session: TreatmentSession, *, title: str, service):
    """One page for the session and all its procedures. On a valid POST the rules run: hard
    stops show on their procedure, warnings must be ticked, and only then is anything saved."""
    data = request.POST or None
    form = SessionForm(data, instance=session, patient=session.patient, user=request.user)
    formsets = procedure_formsets(
        data, session=session, add=request.GET.getlist("add"), scars=register_scars(session)
    )
    warnings = []
    if data is not None and form.is_valid() and all(fs.is_valid() for fs in formsets):
        saved, warnings = _save_session(request, form, formsets, service)
        if saved is not None:
            messages.success(request, _saved_message(saved))
            return redirect("treatments:session_detail", pk=saved.pk)
    context = {
        "form": form,
        "formsets": formsets,
        "patient": session.patient,
        "session": session,
        "title": title,
        "warnings": warnings,
        "formsets_have_errors": data is not None and any(fs.total_error_count() for fs in formsets),
        "acknowledged": request.POST.getlist("acknowledge"),
        "modalities": list(Modality),
    }
    return render(request, "treatments/session_form.html", context)


def _save_session(request, form, formsets, service) -> tuple[TreatmentSession | None, list]:
    """Runs the service on the valid forms. Returns the saved session, or None with the warnings
    still to tick; hard stops and other refusals are put on the form where they belong."""
    filled = [f for fs in formsets for f in fs.forms if f.instance.pk or f.has_changed()]
    procedures = [f.save(commit=False) for f in filled]
    changed = [p for p, f in zip(procedures, filled, strict=True) if f.has_changed()]
    kwargs = {"changed": changed} if service is session_amend else {}
    try:
        with transaction.atomic():
            saved = service(
                session=form.save(commit=False),
                procedures=procedures,
                acknowledged=request.POST.getlist("acknowledge"),
                by=request.user,
                **kwargs,
            )
            scar_picks_save(filled, procedures)
    except WarningsNotAcknowledged as exc:
        return None, exc.warnings
    except HardStopped as exc:
        for stop in exc.stops:
            filled[stop.procedure_index].add_error(None, stop.message)
    except ValidationError as exc:
        form.add_error(None, exc)
    else:
        return saved, []
    return None, []


def _saved_message(session: TreatmentSession) -> str:
    due = session.next_session_due
    return "Session saved." + (f" Next session due {due:%d %b %Y}." if due else "")


@permission_required("treatments.view_treatmentsession", raise_exception=True)
def session_detail(request, pk: int):
    session = get_session_for_user(request.user, pk)
    access_record(request, patient=session.patient, obj=session)
    history = history_entries(session, created="Logged")
    # One history query per modality the session has, however many procedures of it.
    procedures = session.procedures()
    for model in {type(p) for p in procedures}:
        of_model = [p for p in procedures if type(p) is model]
        records = histories_of(of_model)
        for procedure in of_model:
            history += history_entries(
                procedure,
                created=f"{procedure.MODALITY.label} added",
                records=records[procedure.pk],
            )
    history.sort(key=lambda entry: entry.at, reverse=True)
    context = {
        "session": session,
        "patient": session.patient,
        "procedures": attach_linked_scars(session.procedures()),
        "warnings": session.acknowledged_warnings.select_related("acknowledged_by"),
        "history": history,
        "archive_form": ArchiveForm(what="session", example="logged for the wrong patient"),
    }
    return render(request, "treatments/session_detail.html", context)


@require_POST
@permission_required("treatments.change_treatmentsession", raise_exception=True)
def session_archive_view(request, pk: int):
    session = get_session_for_user(request.user, pk, perm="treatments.change_treatmentsession")
    archive_from_request(request, session, what="session", leaves="the timeline")
    return redirect("treatments:session_detail", pk=session.pk)


@permission_required("treatments.add_adverseevent", raise_exception=True)
def adverse_event_create(request, pk: int):
    session = get_session_for_user(request.user, pk, perm="treatments.add_adverseevent")
    session.patient.refuse_new_records()
    form = AdverseEventForm(request.POST or None, session=session)
    if form.is_valid():
        event = adverse_event_record(event=form.save(commit=False), by=request.user)
        messages.success(request, f"Recorded adverse event: {event}.")
        return redirect("treatments:session_detail", pk=session.pk)
    context = {"form": form, "session": session, "patient": session.patient}
    return render(request, "treatments/adverse_event_form.html", context)


@permission_required("treatments.add_topicalregimen", raise_exception=True)
def topical_create(request, pk: int):
    patient = get_patient_for_user(
        request.user, pk, perm="treatments.add_topicalregimen", adding=True
    )
    form = TopicalRegimenForm(request.POST or None, patient=patient)
    if form.is_valid():
        regimen = topical_start(
            regimen=form.save(commit=False), by=request.user, acknowledged=form.warnings
        )
        messages.success(request, f"Started {regimen}.")
        return redirect(chart_url(patient.pk, "treatments"))
    context = {"form": form, "patient": patient, "title": "Start a topical regimen"}
    return render(request, "treatments/simple_form.html", context)


@permission_required("treatments.change_topicalregimen", raise_exception=True)
def topical_stop_view(request, pk: int):
    regimen = get_topical_for_user(request.user, pk, perm="treatments.change_topicalregimen")
    form = TopicalStopForm(request.POST or None)
    if form.is_valid():
        try:
            topical_stop(regimen=regimen, stopped_on=form.cleaned_data["stopped_on"])
        except ValidationError as exc:
            form.add_error("stopped_on", exc.messages[0])
        else:
            messages.success(request, f"Stopped {regimen.get_agent_display().lower()}.")
            return redirect(chart_url(regimen.patient_id, "treatments"))
    context = {"form": form, "patient": regimen.patient, "title": f"Stop {regimen}"}
    return render(request, "treatments/simple_form.html", context)


@permission_required("treatments.change_skintest", raise_exception=True)
def skin_test_read(request, pk: int):
    test = get_skin_test_for_user(request.user, pk, perm="treatments.change_skintest")
    if test.read_on is not None:
        messages.info(request, "This skin test has been read already.")
        return redirect(chart_url(test.patient_id, "treatments"))
    form = SkinTestReadingForm(request.POST or None, instance=test)
    if form.is_valid():
        try:
            skin_test_record(test=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Recorded the reading: {test}.")
            return redirect(chart_url(test.patient_id, "treatments"))
    context = {"form": form, "patient": test.patient, "title": f"Read the {test.product} skin test"}
    return render(request, "treatments/simple_form.html", context)


@permission_required("treatments.add_skintest", raise_exception=True)
def skin_test_create(request, pk: int):
    patient = get_patient_for_user(request.user, pk, perm="treatments.add_skintest", adding=True)
    form = SkinTestForm(request.POST or None, patient=patient)
    if form.is_valid():
        try:
            skin_test_record(test=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Skin test recorded.")
            return redirect(chart_url(patient.pk, "treatments"))
    context = {"form": form, "patient": patient, "title": "Record a skin test"}
    return render(request, "treatments/simple_form.html", context)
