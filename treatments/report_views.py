"""The clinic outcomes report, its CSV export and the de-identified per-session data set."""

import csv
import itertools
import time

from django import forms
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from patients.audit import access_record, access_record_many
from patients.models import AccessLog
from scheduling.models import dermatologists
from treatments.models import AdverseEventType, FillerProcedure
from treatments.outcomes import BAND_ALL, BASELINE_LOOKBACK_DAYS, FOLLOW_UP_WINDOW_DAYS, SMALL_N
from treatments.report import (
    DATASET_HEADER,
    ReportFilters,
    dataset_rows,
    filtered_sessions,
    group_label,
    outcomes_report,
)
from treatments.scar_queries import clinic_response
from treatments.timeline import change_bars

REPORT_PERMISSION = "treatments.view_treatmentsession"


class ReportFilterForm(forms.Form):
    start = forms.DateField(
        label="Sessions from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="to", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    dermatologist = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="All dermatologists"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dermatologist"].queryset = dermatologists()
        for name, field in self.fields.items():
            css = "form-select" if name == "dermatologist" else "form-control"
            field.widget.attrs["class"] = f"{css} {css}-sm"

    def filters(self) -> ReportFilters:
        if not self.is_valid():
            return ReportFilters()
        data = self.cleaned_data
        chosen = data.get("dermatologist")
        return ReportFilters(data.get("start"), data.get("end"), chosen.pk if chosen else None)


def _rows(request):
    form = ReportFilterForm(request.GET or None)
    filters = form.filters()
    return form, filters, outcomes_report(filters)


@permission_required(REPORT_PERMISSION, raise_exception=True)
def outcomes_report_view(request):
    started = time.perf_counter()
    form, filters, rows = _rows(request)
    elapsed_ms = round(1000 * (time.perf_counter() - started))
    labelled = [(group_label(r.group), r) for r in rows]
    changes = [
        (f"{label}, {f.label}", f.ecca)
        for label, r in labelled
        if r.band == BAND_ALL
        for f in r.follow_ups
        if f.ecca.n
    ]
    chart = change_bars([(label, s.median, s.q1, s.q3, s.n, s.small) for label, s in changes])
    context = {
        "form": form,
        "rows": labelled,
        "chart": chart,
        "query": request.GET.urlencode(),
        "event_labels": dict(AdverseEventType.choices),
        "small_n": SMALL_N,
        "window_days": FOLLOW_UP_WINDOW_DAYS,
        "lookback_days": BASELINE_LOOKBACK_DAYS,
        "elapsed_ms": elapsed_ms,
        "scar_response": clinic_response(sessions=filtered_sessions(filters)),
    }
    return render(request, "treatments/outcomes_report.html", context)


def _csv_response(name: str) -> tuple[HttpResponse, csv.writer]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response, csv.writer(response)


def _fmt(value) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


@permission_required(REPORT_PERMISSION, raise_exception=True)
def outcomes_report_csv(request):
    _, _, rows = _rows(request)
    response, writer = _csv_response("outcomes-report")
    header = ["group", "skin_type_band", "patients", "sessions", "sessions_per_patient"]
    for label in ("3m", "6m"):
        for score in ("ecca", "gb"):
            header += [f"{score}_change_{label}_{k}" for k in ("n", "median", "q1", "q3")]
        header += [f"ecca_50pct_responders_{label}", f"ecca_50pct_responders_{label}_n"]
    header += ["adverse_events_per_100_sessions", f"n_under_{SMALL_N}"]
    writer.writerow(header)
    for r in rows:
        line = [group_label(r.group), r.band, r.patients, r.sessions, _fmt(r.sessions_per_patient)]
        for f in r.follow_ups:
            for s in (f.ecca, f.gb):
                line += [s.n, _fmt(s.median), _fmt(s.q1), _fmt(s.q3)]
            line += [f.ecca_responders.count, f.ecca_responders.n]
        line.append("; ".join(f"{e}={_fmt(rate)}" for e, _, rate in r.adverse_events))
        line.append("yes" if r.small else "")
        writer.writerow(line)
    access_record(
        request, patient=None, action=AccessLog.Action.EXPORT, label="Outcomes report (CSV)"
    )
    return response


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


@permission_required(REPORT_PERMISSION, raise_exception=True)
def outcomes_dataset_csv(request):
    """Streamed: at 100k patients the data set is hundreds of thousands of rows."""
    form = ReportFilterForm(request.GET or None)
    writer = csv.writer(_Echo())
    lines = itertools.chain([DATASET_HEADER], dataset_rows(form.filters()))
    response = StreamingHttpResponse(
        (writer.writerow(line) for line in lines), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="outcomes-sessions-deidentified-{stamp}.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    access_record(
        request,
        patient=None,
        action=AccessLog.Action.EXPORT,
        label="De-identified per-session data set (CSV)",
    )
    return response


LOT_RESULTS_LIMIT = 500


@permission_required(REPORT_PERMISSION, raise_exception=True)
def filler_lots(request):
    """Every patient and session that received a filler lot, for recalls: product, expiry,
    volume and who injected it. Sessions archived as entered in error are listed, marked."""
    lot = request.GET.get("lot", "").strip()[:50]
    found = []
    if lot:
        found = list(
            FillerProcedure.objects.filter(lot_number__iexact=lot)
            .select_related("session__patient", "session__clinician")
            .order_by("session__performed_at", "pk")[:LOT_RESULTS_LIMIT]
        )
        access_record_many(request, [p.session for p in found], label=f"filler lot {lot}")
    context = {"lot": lot, "found": found, "limit": LOT_RESULTS_LIMIT}
    return render(request, "treatments/filler_lots.html", context)
