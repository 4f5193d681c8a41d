"""Sections that other apps contribute to the patient chart and the dashboard.

`patients` must not import `scheduling` or `treatments` (imports run one way), yet the chart shows
appointments and sessions. Each app registers its sections here from its AppConfig.ready(); the
chart and dashboard views render whatever is registered, each section behind its own permission.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    permission: str
    # (request, subject) -> template context; subject is the patient for chart panels, None
    # for dashboard panels. Must run a constant number of queries.
    context: Callable[[HttpRequest, Any], dict]
    order: int = 100


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    template: str
    context: dict


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


def chart_panels(request: HttpRequest, patient) -> list[RenderedPanel]:
    return _render(_CHART, request, patient)


def dashboard_panels(request: HttpRequest) -> list[RenderedPanel]:
    return _render(_DASHBOARD, request, None)
