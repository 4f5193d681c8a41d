"""The treatment history section of the patient chart (registered in clinic.panels)."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, F, Q, QuerySet, Window, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from clinic.lib.compiled import CompiledRows
from clinic.panels import Panel, register_chart_panel
from patients.models import ConsentUse
from treatments.modalities import Modality
from treatments.modality_sql import session_modalities_sql
from treatments.models import AdverseEvent, ClinicalPhoto, ReferralLetter, TreatmentSession
from treatments.outcomes import FOLLOW_UP_DAYS, response_per_modality
from treatments.patient_outcomes import (
    LatestSession,
    attach_procedures,
    latest_session,
    photo_days,
    score_snapshots,
    session_facts,
    timeline_sessions_since,
)
from treatments.photos import photo_series
from treatments.timeline import MODALITY_LETTERS, build_timeline, table_rows

# The chart shows the newest sessions and photos; "show all" lists the rest. Ten sessions and a
# strip of six photos per series are a screen each, and 100 thumbnails would be 100 requests.
SESSIONS_SHOWN = 10
PHOTOS_PER_SERIES = 6
SERIES = ["view", "close_up_region", "lighting"]


def _book_next_url(
    patient, session: TreatmentSession | LatestSession | None, modalities
) -> str | None:
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
    # Queries, whatever the number of sessions: sessions with clinicians and their modalities,
    # one per modality they have (at most six), adverse events, topicals, skin tests, and the
    # latest session when the list is filtered.
    sessions = TreatmentSession.objects.current().filter(patient=patient)
    chosen = request.GET.get("modality")
    modality = Modality(chosen) if chosen in Modality._value2member_map_ else None
    modalities = RawSQL(*session_modalities_sql())  # noqa: S611 - names from the models
    timeline = sessions.select_related("clinician").annotate(modality_values=modalities)
    if modality is not None:
        timeline = timeline.filter(**{f"{modality.value}_procedures__isnull": False}).distinct()
    # The newest SESSIONS_SHOWN (one more is read to know whether there are more): a chart of
    # years of treatment stays one screen and a fixed number of rows until "show all".
    show_all = request.GET.get("sessions") == "all"
    timeline = list(timeline if show_all else timeline[: SESSIONS_SHOWN + 1])
    more = not show_all and len(timeline) > SESSIONS_SHOWN
    timeline = timeline[:SESSIONS_SHOWN] if more else timeline
    # One query per modality the listed sessions have, like with_procedures() without
    # prefetch_related's related manager and queryset per session and relation.
    present = {m for s in timeline for m in (s.modality_values or "").split(",") if m}
    attach_procedures(timeline, present)
    prefetch_related_objects(timeline, "adverse_events")
    latest = (timeline[0] if timeline else None) if modality is None else sessions.first()
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
    see the same line in the summary's latest treatment."""
    if request.user.has_perm("treatments.view_treatmentsession"):
        return {"due": None}
    latest = latest_session(patient, with_due_date=True)
    modalities = latest.modalities if latest else ()
    return {
        "patient": patient,
        "due": latest.next_session_due if latest else None,
        "kind": modalities[0].label if modalities else "",
        "overdue": bool(latest and latest.next_session_due < timezone.localdate()),
        "book_next_url": _book_next_url(patient, latest, modalities),
    }


def latest_session_panel(request, patient) -> dict:
    """The chart summary's line on treatment: the latest session (its day, clinician, modalities
    and side effects, with any still ongoing from earlier sessions), how many sessions there are
    in all, and when the next is due. Two queries: the latest session with its modalities and
    the total, and the adverse events."""
    latest = latest_session(patient)
    if latest is None:
        return {"patient": patient, "latest": None, "total": 0}
    return {
        "patient": patient,
        "latest": latest,
        "total": latest.total,
        "modalities": ", ".join(m.label for m in latest.modalities),
        # The latest session's side effects, and any still ongoing from earlier sessions.
        "adverse_events": list(
            AdverseEvent.objects.filter(
                Q(session_id=latest.pk)
                | Q(
                    session__patient=patient,
                    session__archived_at__isnull=True,
                    resolved_on__isnull=True,
                )
            )
        ),
        "overdue": bool(latest.next_session_due and latest.next_session_due < timezone.localdate()),
        "book_next_url": _book_next_url(patient, latest, latest.modalities),
    }


register_chart_panel(
    Panel(
        name="latest_session",
        template="treatments/_latest_session_panel.html",
        permission="treatments.view_treatmentsession",
        context=latest_session_panel,
        order=14,
    )
)
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
        tab="treatments",
    )
)


def photo_panel(request, patient) -> dict:
    # Queries, whatever the number of photos: photos with their sessions (one), and the
    # patient's consents come from the chart's own prefetch.
    # Only what the strip shows: a photo row has twenty columns (sizes, checksums, EXIF).
    photos = (
        ClinicalPhoto.objects.current()
        .filter(patient=patient)
        .select_related("session")
        .only(
            "pk",
            "patient_id",
            "taken_on",
            "view",
            "close_up_region",
            "lighting",
            "session__performed_at",
        )
    )
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
        tab="photos",
    )
)


# The chart's timeline covers this many days up to the patient's latest event; years of history
# (hundreds of sessions and photo days) are one click away, and on the progress summary.
TIMELINE_DAYS = 365


def timeline_window(days: list[dt.date], *, whole: bool) -> dt.date | None:
    """The first day the chart's timeline shows: TIMELINE_DAYS before the latest of `days`, or
    None (everything) when asked for the whole history or when it all fits."""
    if whole or not days:
        return None
    since = max(days) - dt.timedelta(days=TIMELINE_DAYS)
    return since if min(days) < since else None


@dataclass(frozen=True, slots=True)
class LetterLink:
    """A referral letter as the timeline links to it."""

    pk: int
    recipient: str
    updated_at: dt.datetime


def _letter_links_of(patient_pk: int) -> "QuerySet[ReferralLetter, tuple[int, str, dt.datetime]]":
    return ReferralLetter.objects.filter(patient_id=patient_pk).values_list(
        "pk", "recipient", "updated_at"
    )


# Newest first (the model's ordering); compiled once.
_letter_links = CompiledRows(_letter_links_of)


def outcomes_panel(request, patient) -> dict:
    """The progress timeline (scores with sessions and photo dates on one time axis) over the
    last year of the patient's history, or all of it on request, and the response per modality
    over all of it. Queries, whatever the history's length: assessments with their ice pick
    counts (none: the chart read them), every session's modalities (one), the shown sessions
    with clinicians (one) and their procedures (one per modality they had), photo days (one),
    referral letters (one)."""
    snapshots = score_snapshots(patient)
    facts = session_facts(patient)
    photo_dates = photo_days(patient)
    everything = [s.day for s in snapshots] + [f.day for f in facts] + photo_dates
    whole = request.GET.get("timeline") == "all"
    since = timeline_window(everything, whole=whole)
    # Procedure tables of modalities none of the shown sessions had are not read.
    had = {m for f in facts if since is None or f.day >= since for m in f.modalities}
    shown = timeline_sessions_since(patient, since, had)
    if since is not None:
        snapshots_shown = [s for s in snapshots if s.day >= since]
        photo_dates = [d for d in photo_dates if d >= since]
    else:
        snapshots_shown = snapshots
    labels = {m.value: m.label for m in Modality}
    used = list(dict.fromkeys(v for s in shown for v, _ in s.modalities))
    return {
        "patient": patient,
        "timeline": build_timeline(snapshots_shown, shown, photo_dates),
        "rows": table_rows(snapshots_shown, shown, photo_dates),
        "since": since,
        "whole": whole,
        "first_day": min(everything, default=None),
        "responses": [
            (labels.get(r.modality, r.modality), r) for r in response_per_modality(snapshots, facts)
        ],
        "legend": [(v, labels.get(v, v), MODALITY_LETTERS.get(v, "?")) for v in used],
        "follow_up_days": FOLLOW_UP_DAYS,
        "letters": [LetterLink(*row) for row in _letter_links(patient.pk)],
    }


register_chart_panel(
    Panel(
        name="outcomes",
        template="treatments/_outcomes_panel.html",
        permission="treatments.view_treatmentsession",
        context=outcomes_panel,
        order=18,
        tab="progress",
    )
)
