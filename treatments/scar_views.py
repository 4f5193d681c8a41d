"""The scar register: the face map with a patient's scars, placing a scar, and each scar's page
(edit, status at a visit, treatments, history, archive, dismiss the punch suggestion)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from clinic.archive import ArchiveForm, archive_from_request
from clinic.panels import chart_url
from patients.access import get_patient_for_user
from patients.audit import access_record
from patients.history import Change, HistoryEntry, history_entries
from treatments.access import get_scar_for_user
from treatments.scar_forms import ScarEditForm, ScarPlaceForm, ScarStatusForm
from treatments.scar_map import COLOUR_MODES, face_map, legend
from treatments.scar_queries import patient_register, scar_treatments, subcisions_over
from treatments.scar_services import assessment_prefill, scar_place, scar_status_record, scar_update

KEPT_BETWEEN_PLACEMENTS = ("scar_type", "width_mm", "depth", "view")
ARCHIVE_EXAMPLE = "placed by mistake, or a duplicate of another scar"


def map_context(request, patient, *, register=None) -> dict:
    """The diagram and the response figures, for the register page and the chart panel."""
    register = register or patient_register(patient)
    colour_by = request.GET.get("colour") if request.GET.get("colour") in COLOUR_MODES else "status"
    return {
        "patient": patient,
        "register": register,
        "views": face_map(register.scars, colour_by=colour_by),
        "colour_by": colour_by,
        "colour_label": COLOUR_MODES[colour_by],
        "colour_modes": COLOUR_MODES,
        "legend": legend(colour_by),
        "assessment_url": _assessment_url(patient, register.scars),
    }


def _assessment_url(patient, scars) -> str:
    """ "Start an assessment from the register": the grid prefilled with the active scars per
    region and type, carried in the link (patients does not read treatments)."""
    url = reverse("patients:assessment_create", args=[patient.pk])
    return f"{url}?{urlencode(assessment_prefill(scars) | {'from': 'scars'})}"


@permission_required("treatments.view_scar", raise_exception=True)
def scar_register(request, pk: int):
    patient = get_patient_for_user(request.user, pk, perm="treatments.view_scar")
    form = None
    if request.method == "POST":
        if not request.user.has_perm("treatments.add_scar"):
            raise PermissionDenied
        patient.refuse_new_records()
        form = ScarPlaceForm(request.POST, patient=patient)
        if form.is_valid() and _placed(request, form):
            kept = {k: request.POST.get(k, "") for k in KEPT_BETWEEN_PLACEMENTS}
            url = reverse("treatments:scar_register", args=[patient.pk])
            return redirect(f"{url}?{urlencode(kept)}#place")
    else:
        access_record(request, patient=patient, label=f"Scar register of {patient.full_name}")
    if form is None and request.user.has_perm("treatments.add_scar"):
        initial = {k: request.GET[k] for k in KEPT_BETWEEN_PLACEMENTS if request.GET.get(k)}
        form = ScarPlaceForm(initial=initial, patient=patient)
    context = map_context(request, patient) | {"form": form}
    return render(request, "treatments/scars/register.html", context)


def _placed(request, form) -> bool:
    try:
        scar = scar_place(scar=form.save(commit=False), by=request.user)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    messages.success(request, f"Placed scar {scar.number} ({scar.get_region_display()}).")
    return True


@permission_required("treatments.view_scar", raise_exception=True)
def scar_detail(request, pk: int):
    scar = get_scar_for_user(request.user, pk)
    form = ScarEditForm(request.POST or None, instance=scar)
    if request.method == "POST":
        if not request.user.has_perm("treatments.change_scar"):
            raise PermissionDenied
        if _refused_archived(request, scar):
            return redirect("treatments:scar_detail", pk=scar.pk)
        if form.is_valid():
            scar_update(scar=form.save(commit=False), by=request.user)
            messages.success(request, "Scar amended; the earlier values are kept in its history.")
            return redirect("treatments:scar_detail", pk=scar.pk)
    else:
        access_record(request, patient=scar.patient, obj=scar)
    return render(request, "treatments/scars/detail.html", _detail_context(scar, form))


def _history(scar, statuses, treatments) -> list[HistoryEntry]:
    """Amendments (simple-history), each status recorded and each treatment, newest first."""
    entries = history_entries(scar, created="Placed")
    previous = "(none)"
    for change in sorted(statuses, key=lambda c: c.created_at):
        label = f"{change.get_status_display()} on {change.recorded_on:%d %b %Y}"
        entries.append(
            HistoryEntry(
                change.created_at,
                change.recorded_by.username,
                "Status recorded",
                [Change("Status", previous, label)],
            )
        )
        previous = label
    for link in treatments:
        kind = f"Treated: {link.procedure.MODALITY.label} on {link.performed_on:%d %b %Y}"
        clinician = link.procedure.session.clinician.username
        entries.append(HistoryEntry(link.created_at, clinician, kind))
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def _detail_context(scar, form, status_form=None) -> dict:
    statuses = list(scar.status_changes.select_related("recorded_by"))
    treatments = scar_treatments(scar)
    return {
        "scar": scar,
        "patient": scar.patient,
        "form": form,
        "status_form": status_form or ScarStatusForm(),
        "statuses": statuses,
        "treatments": treatments,
        "subcisions": subcisions_over(scar),
        "history": _history(scar, statuses, treatments),
        "archive_form": ArchiveForm(what="scar", example=ARCHIVE_EXAMPLE),
    }


def _refused_archived(request, scar) -> bool:
    """An archived scar, or a scar of an archived patient, is read-only."""
    scar.patient.refuse_new_records()
    if scar.is_archived:
        messages.error(request, "This scar is archived: its record can be read, not changed.")
    return scar.is_archived


@require_POST
@permission_required("treatments.change_scar", raise_exception=True)
def scar_status(request, pk: int):
    scar = get_scar_for_user(request.user, pk, perm="treatments.change_scar")
    if _refused_archived(request, scar):
        return redirect("treatments:scar_detail", pk=scar.pk)
    form = ScarStatusForm(request.POST)
    if form.is_valid():
        scar_status_record(scar=scar, by=request.user, **form.cleaned_data)
        messages.success(request, f"Recorded scar {scar.number} as {form.cleaned_data['status']}.")
        return redirect("treatments:scar_detail", pk=scar.pk)
    context = _detail_context(scar, ScarEditForm(instance=scar), status_form=form)
    return render(request, "treatments/scars/detail.html", context, status=200)


@require_POST
@permission_required("treatments.change_scar", raise_exception=True)
def scar_archive(request, pk: int):
    scar = get_scar_for_user(request.user, pk, perm="treatments.change_scar")
    archive_from_request(request, scar, what="scar", leaves="the register or its figures")
    return redirect("treatments:scar_detail", pk=scar.pk)


@require_POST
@permission_required("treatments.change_scar", raise_exception=True)
def scar_dismiss_suggestion(request, pk: int):
    scar = get_scar_for_user(request.user, pk, perm="treatments.change_scar")
    scar.suggestion_dismissed_at = timezone.now()
    scar.updated_by = request.user
    scar.save(update_fields=["suggestion_dismissed_at", "updated_by", "updated_at"])
    messages.info(request, f"Scar {scar.number} is no longer suggested for punch excision.")
    if request.POST.get("next") == "chart":
        return redirect(chart_url(scar.patient_id, "scars", "scars"))
    return redirect("treatments:scar_detail", pk=scar.pk)
