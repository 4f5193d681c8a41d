"""Sections that other apps contribute to the patient chart and the dashboard.

`patients` must not import `scheduling` or `treatments` (imports run one way), yet the chart shows
appointments and sessions. Each app registers its sections here from its AppConfig.ready(); the
chart and dashboard views render whatever is registered, each section behind its own permission.

The chart is in tabs: a summary that opens fast with what every visit needs (safety flags, the
latest scores and session, appointments), and one tab per history (progress, treatments, photos,
scar register). A patient of years has hundreds of sessions and photos: drawn on one page they
made the chart the slowest page of the app, and most visits need only the summary.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    permission: str
    # (request, subject) -> template context; subject is the patient for chart panels, None
    # for dashboard panels. Must run a constant number of queries.
    context: Callable[[HttpRequest, Any], dict]
    order: int = 100
    tab: str = "summary"  # chart panels: the tab of CHART_TABS they appear on


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    template: str
    context: dict


# The chart's tabs in order: (slug for ?tab=, label). The patients app draws the summary's own
# sections and the progress tab's assessments; every other section is a registered panel.
CHART_TABS = [
    ("summary", "Summary"),
    ("progress", "Progress"),
    ("treatments", "Treatments"),
    ("photos", "Photos"),
    ("scars", "Scar register"),
]
SUMMARY = "summary"

_CHART: dict[str, Panel] = {}
_DASHBOARD: dict[str, Panel] = {}


def register_chart_panel(panel: Panel) -> None:
    _CHART[panel.name] = panel


def register_dashboard_panel(panel: Panel) -> None:
    _DASHBOARD[panel.name] = panel


def _render(registry: dict[str, Panel], request: HttpRequest, subject) -> list[RenderedPanel]:
    return [
        RenderedPanel(p.name, p.template, p.context(request, subject))
        for p in sorted(registry.values(), key=lambda p: (p.order, p.name))
        if request.user.has_perm(p.permission)
    ]


def chart_panels(request: HttpRequest, patient, tab: str = SUMMARY) -> list[RenderedPanel]:
    """The sections of one tab of the chart that the user may see, in order."""
    on_tab = {name: p for name, p in _CHART.items() if p.tab == tab}
    return _render(on_tab, request, patient)


def chart_tabs(request: HttpRequest, *, extra: frozenset[str] = frozenset()) -> list[tuple]:
    """(slug, label) of the tabs the user has something on: the summary always, another tab
    when a panel on it is theirs to see, or when it is in `extra` (sections the chart view draws
    itself, like the progress tab's assessments)."""
    seen = {p.tab for p in _CHART.values() if request.user.has_perm(p.permission)}
    seen |= extra | {SUMMARY}
    return [(slug, label) for slug, label in CHART_TABS if slug in seen]


def chart_url(patient_pk: int, tab: str = SUMMARY, anchor: str = "") -> str:
    """The address of a tab of the patient's chart: where a saved record sends the user back."""
    url = reverse("patients:detail", args=[patient_pk])
    if tab != SUMMARY:
        url += f"?tab={tab}"
    return url + (f"#{anchor}" if anchor else "")


def dashboard_panels(request: HttpRequest) -> list[RenderedPanel]:
    return _render(_DASHBOARD, request, None)
