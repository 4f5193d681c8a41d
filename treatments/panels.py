"""The treatment history section of the patient chart (registered in clinic.panels)."""

from urllib.parse import urlencode

from django.db.models import Count, Exists, F, OuterRef, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from clinic.panels import Panel, register_chart_panel
from patients.models import ConsentUse
from treatments.modalities import Modality
from treatments.models import PROCEDURE_MODELS, ClinicalPhoto, TreatmentSession
from treatments.outcomes import FOLLOW_UP_DAYS
from treatments.patient_outcomes import attach_procedures, patient_outcomes, photo_days
from treatments.photos import photo_series
from treatments.timeline import MODALITY_LETTERS, build_timeline, table_rows

SESSIONS_SHOWN = 30
PHOTOS_PER_SERIES = 20
SERIES = ["view", "close_up_region", "lighting"]


def _book_next_url(patient, session: TreatmentSession | None, modalities) -> str | None:
    """A link to the calendar's booking page, prefilled for the next session, if there is one."""
    if session is None or session.next_session_due is None:
        return None
    try:
        url = reverse("scheduling:book")
    except NoReverseMatch:
        return None
    query = {"patient": patient.pk, "date": session.next_session_due.isoformat()}
    if modalities:
        query["kind"] = modalities[0].value
    query["dermatologist"] = session.clinician_id
    return f"{url}?{urlencode(query)}"


def treatment_panel(request, patient) -> dict:
    # Queries, whatever the number of sessions: sessions with clinicians, one per modality (6),
    # adverse events, topicals, skin tests, and the latest session when the timeline is filtered.
    sessions = TreatmentSession.objects.current().filter(patient=patient)
    chosen = request.GET.get("modality")
    modality = Modality(chosen) if chosen in Modality._value2member_map_ else None
    timeline = sessions.select_related("clinician")
    if modality is not None:
        timeline = timeline.filter(**{f"{modality.value}_procedures__isnull": False}).distinct()
    # The newest SESSIONS_SHOWN (one more is read to know whether there are more): a chart of
    # years of treatment stays one screen and a fixed number of rows until "show all".
    show_all = request.GET.get("sessions") == "all"
    timeline = list(timeline if show_all else timeline[: SESSIONS_SHOWN + 1])
    more = not show_all and len(timeline) > SESSIONS_SHOWN
    timeline = timeline[:SESSIONS_SHOWN] if more else timeline
    # One query per modality and one for adverse events, like with_procedures() without
    # prefetch_related's related manager per session and relation.
    attach_procedures(timeline)
    prefetch_related_objects(timeline, "adverse_events")
    latest = timeline[0] if timeline and modality is None else sessions.first()
    today = timezone.localdate()
    topicals = list(patient.topicals.select_related("prescribed_by"))
    return {
        "patient": patient,
        "sessions": timeline,
        "more_sessions": more,
        "modalities": list(Modality),
        "modality": modality,
        "latest": latest,
        "latest_modalities": ", ".join(m.label for m in latest.modalities()) if latest else "",
        "book_next_url": _book_next_url(patient, latest, latest.modalities() if latest else []),
        "overdue": bool(latest and latest.next_session_due and latest.next_session_due < today),
        "current_topicals": [t for t in topicals if t.is_current_on(today)],
        "past_topicals": [
            t for t in topicals if t.stopped_on is not None and t.stopped_on <= today
        ],
        "skin_tests": list(patient.skin_tests.all()),
    }


def next_session_panel(request, patient) -> dict:
    """For the front desk: when the next treatment is due and its kind, to book it. No clinical
    detail beyond what an appointment shows anyway. One query, and none for clinicians, who
    see the same line in the treatment section."""
    if request.user.has_perm("treatments.view_treatmentsession"):
        return {"due": None}
    flags = {
        f"has_{model.MODALITY.value}": Exists(model.objects.filter(session=OuterRef("pk")))
        for model in PROCEDURE_MODELS
    }
    latest = (
        TreatmentSession.objects.current()
        .filter(patient=patient, next_session_due__isnull=False)
        .annotate(**flags)
        .order_by("-performed_at")
        .first()
    )
    modalities = [
        m.MODALITY for m in PROCEDURE_MODELS if latest and getattr(latest, f"has_{m.MODALITY}")
    ]
    return {
        "patient": patient,
        "due": latest.next_session_due if latest else None,
        "kind": modalities[0].label if modalities else "",
        "overdue": bool(latest and latest.next_session_due < timezone.localdate()),
        "book_next_url": _book_next_url(patient, latest, modalities),
    }


register_chart_panel(
    Panel(
        name="next_session",
        template="treatments/_next_session_panel.html",
        permission="scheduling.add_appointment",
        context=next_session_panel,
        order=15,
    )
)
register_chart_panel(
    Panel(
        name="treatments",
        template="treatments/_chart_panel.html",
        permission="treatments.view_treatmentsession",
        context=treatment_panel,
        order=20,
    )
)


def photo_panel(request, patient) -> dict:
    # Queries, whatever the number of photos: photos with their sessions (one), and the
    # patient's consents come from the chart's own prefetch.
    photos = ClinicalPhoto.objects.current().filter(patient=patient).select_related("session")
    if request.GET.get("photos") != "all":
        # The newest PHOTOS_PER_SERIES of each series, and each series' size, in the same query.
        newest_first = [F("taken_on").desc(), F("pk").desc()]
        photos = photos.annotate(
            newness=Window(RowNumber(), partition_by=SERIES, order_by=newest_first),
            in_series=Window(Count("pk"), partition_by=SERIES),
        ).filter(newness__lte=PHOTOS_PER_SERIES)
    series = photo_series(photos)
    consents = patient.current_consents()
    return {
        "patient": patient,
        "series": [("|".join(key), items) for key, items in series.items()],
        # For the template: each series with how many older photos "show all" would add.
        "rows": [
            ("|".join(key), items, getattr(items[0], "in_series", len(items)) - len(items))
            for key, items in series.items()
        ],
        "consent": ConsentUse.CLINICAL in consents,
        "teaching": ConsentUse.TEACHING in consents,
        "publication": ConsentUse.PUBLICATION in consents,
    }


register_chart_panel(
    Panel(
        name="photos",
        template="treatments/_photo_panel.html",
        permission="treatments.view_clinicalphoto",
        context=photo_panel,
        order=30,
    )
)


def outcomes_panel(request, patient) -> dict:
    """The progress timeline (scores with sessions and photo dates on one time axis) and the
    response per modality. Queries, whatever the history's length: assessments with their ice
    pick counts (one), sessions with clinicians and one per modality (seven), photo days (one),
    referral letters (one)."""
    data = patient_outcomes(patient)
    days = photo_days(patient)
    labels = {m.value: m.label for m in Modality}
    used = list(dict.fromkeys(v for s in data.timeline_sessions for v, _ in s.modalities))
    return {
        "patient": patient,
        "timeline": build_timeline(data.snapshots, data.timeline_sessions, days),
        "rows": table_rows(data.snapshots, data.timeline_sessions, days),
        "responses": [(labels.get(r.modality, r.modality), r) for r in data.responses],
        "legend": [(v, labels.get(v, v), MODALITY_LETTERS.get(v, "?")) for v in used],
        "follow_up_days": FOLLOW_UP_DAYS,
        "letters": list(patient.referral_letters.only("pk", "recipient", "updated_at")),
    }


register_chart_panel(
    Panel(
        name="outcomes",
        template="treatments/_outcomes_panel.html",
        permission="treatments.view_treatmentsession",
        context=outcomes_panel,
        order=18,
    )
)
