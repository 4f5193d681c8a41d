"""Reads for the scar register, the chart panel and the outcomes report: a fixed number of
queries however many scars a patient (or the clinic) has."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, cast

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from patients.models import Patient
from treatments.models import (
    Procedure,
    Scar,
    ScarStatusChange,
    ScarTreatment,
    SubcisionProcedure,
    TreatmentSession,
)
from treatments.scar_response import (
    ModalityResponseRow,
    ResponseStep,
    ScarFacts,
    cross_response,
    is_punch_candidate,
    response_by_modality,
)

PICKING_MODALITIES = ("cross", "punch")


@dataclass
class Register:
    scars: list[Scar]
    facts: dict[int, ScarFacts] = field(default_factory=dict)

    @property
    def response(self) -> list[ResponseStep]:
        return cross_response(self.facts.values())

    @property
    def candidates(self) -> list[Scar]:
        return [s for s in self.scars if is_punch_candidate(self.facts[s.pk])]

    @property
    def active_count(self) -> int:
        return sum(1 for s in self.scars if s.status == "active")


def _current_links() -> QuerySet[ScarTreatment]:
    # A treatment counts while its session does (an archived session leaves the response).
    return ScarTreatment.objects.filter(
        Q(cross__session__archived_at__isnull=True, cross__isnull=False)
        | Q(punch__session__archived_at__isnull=True, punch__isnull=False)
    )


def patient_register(patient: Patient) -> Register:
    """Three queries: the scars (with their number of treatments), their treatments with the
    session dates, and their status changes; one when there are no scars."""
    scars = list(Scar.objects.of_patient(patient).for_map())
    if not scars:
        return Register([])
    treated: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    links = _current_links().filter(scar__patient=patient, scar__archived_at__isnull=True)
    for scar_id, cross_at, punch_at in links.values_list(
        "scar_id", "cross__session__performed_at", "punch__session__performed_at"
    ):
        kind, at = ("cross", cross_at) if cross_at else ("punch", punch_at)
        treated[scar_id].append((kind, timezone.localtime(at).date()))
    statuses: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    changes = ScarStatusChange.objects.filter(scar__patient=patient, scar__archived_at__isnull=True)
    for scar_id, status, day in changes.values_list("scar_id", "status", "recorded_on"):
        statuses[scar_id].append((status, day))
    facts = {
        s.pk: ScarFacts(
            number=s.number,
            scar_type=s.scar_type,
            status=s.status,
            treatments=tuple(treated[s.pk]),
            statuses=tuple(statuses[s.pk]),
            suggestion_dismissed=s.suggestion_dismissed_at is not None,
        )
        for s in scars
    }
    return Register(scars, facts)


def scar_treatments(scar: Scar) -> list[ScarTreatment]:
    return list(
        scar.treatments.select_related(
            "cross__session__clinician", "punch__session__clinician"
        ).order_by("created_at")
    )


def subcisions_over(scar: Scar) -> list[SubcisionProcedure]:
    """Subcisions of the patient's current sessions that treated the scar's region (regions are a
    JSON list, filtered here rather than in SQL so SQLite and PostgreSQL read the same)."""
    rows = SubcisionProcedure.objects.filter(
        session__patient_id=scar.patient_id, session__archived_at__isnull=True
    ).select_related("session")
    return [row for row in rows if scar.region in row.regions]


def clinic_response(
    modalities: Sequence[str] = PICKING_MODALITIES,
    *,
    sessions: QuerySet[TreatmentSession] | None = None,
) -> list[ModalityResponseRow]:
    """Per-scar response for the outcomes report: one query over every current scar of a
    current patient treated in `sessions` (the report's filtered sessions; all current sessions
    when None), counting only those sessions."""
    cross = Q(treatments__cross__isnull=False, treatments__cross__session__archived_at__isnull=True)
    punch = Q(treatments__punch__isnull=False, treatments__punch__session__archived_at__isnull=True)
    if sessions is not None:
        chosen = sessions.values("pk")
        cross &= Q(treatments__cross__session__in=chosen)
        punch &= Q(treatments__punch__session__in=chosen)
    rows = (
        Scar.objects.current()
        .filter(patient__archived_at__isnull=True)
        .annotate(
            cross_n=Count("treatments", filter=cross, distinct=True),
            punch_n=Count("treatments", filter=punch, distinct=True),
        )
        .filter(Q(cross_n__gt=0) | Q(punch_n__gt=0))
        .values_list("status", "cross_n", "punch_n")
    )
    return response_by_modality(
        ((status, [("cross", c), ("punch", p)]) for status, c, p in rows), modalities
    )


class _LinkedScars(Protocol):
    """A CROSS or punch procedure once `attach_linked_scars` has set the scars it treated."""

    linked_scars: list[Scar]


def attach_linked_scars(procedures: list[Procedure]) -> list[Procedure]:
    """Sets `linked_scars` on each CROSS and punch procedure of a session, in one query."""
    picking = [p for p in procedures if p.MODALITY.value in PICKING_MODALITIES]
    if not picking:
        return procedures
    by_key: dict[tuple[str, int | None], list[Scar]] = defaultdict(list)
    links = ScarTreatment.objects.filter(
        Q(cross__in=[p for p in picking if p.MODALITY.value == "cross"])
        | Q(punch__in=[p for p in picking if p.MODALITY.value == "punch"])
    ).select_related("scar")
    for link in links.order_by("scar__number"):
        key = ("cross", link.cross_id) if link.cross_id else ("punch", link.punch_id)
        by_key[key].append(link.scar)
    for procedure in picking:
        cast(_LinkedScars, procedure).linked_scars = by_key[
            (procedure.MODALITY.value, procedure.pk)
        ]
    return procedures
