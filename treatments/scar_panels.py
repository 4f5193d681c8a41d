"""The scar register's section of the patient chart (front desk never sees it: it needs
`treatments.view_scar`). Queries: the register's three, plus one for the assessment link."""

from clinic.panels import Panel, register_chart_panel
from treatments.scar_views import map_context

register_chart_panel(
    Panel(
        name="scars",
        template="treatments/scars/_chart_panel.html",
        permission="treatments.view_scar",
        context=lambda request, patient: map_context(request, patient) | {"next": "chart"},
        order=18,
        tab="scars",
    )
)
