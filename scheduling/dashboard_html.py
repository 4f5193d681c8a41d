"""The dashboard's visit lists, written in Python.

A dermatologist of a clinic group has thirty visits a day and the front desk's arrivals list
shows thirty; through the template language each row cost some forty lookups, filters and tags,
more than the rest of the dashboard. These write the same rows (the templates keep the frame).
Every value from the database or a user is escaped here.
"""

from collections.abc import Callable, Iterable

from django.utils.safestring import SafeString, mark_safe

from clinic.lib.markup import escape
from clinic.templatetags.clinic_format import url_for
from scheduling import rules
from scheduling.models import VisitDisplay
from scheduling.visits import Visit


class _Csrf:
    """The CSRF input, asked for once and only if a form is written (like {% csrf_token %})."""

    def __init__(self, token: Callable[[], str]):
        self._token = token
        self._input = ""

    def __str__(self) -> str:
        if not self._input:
            self._input = (
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(self._token())}">'
            )
        return self._input


def _head(a: VisitDisplay, patient_html: str, where: str) -> str:
    status = escape(a.status)
    return (
        '<li class="list-group-item d-flex flex-wrap gap-2 align-items-center" '
        f'data-appointment="{int(a.pk)}">'  # type: ignore[attr-defined]
        f'<span class="font-monospace">{a.time_range}</span> {patient_html} '
        f'<span class="text-secondary">{escape(a.kind_label)}{where}</span> '
        f'<span class="badge status-badge status-{status}">{escape(a.status_label)}</span>'
    )


def my_day_items(
    visits: Iterable[Visit], *, link_patients: bool, here: str, csrf_token: Callable[[], str]
) -> SafeString:
    """The signed-in dermatologist's visits, each with its next step and details link."""
    csrf, here = _Csrf(csrf_token), escape(here)
    out = []
    for a in visits:
        name = escape(a.patient.full_name)
        patient = (
            f'<a href="{url_for(a.patient_id, "patients:detail")}">{name}</a>'
            if link_patients
            else name
        )
        where = f" · {escape(a.room.name)}" if a.room else ""
        out.append(_head(a, patient, where))
        out.append('<span class="ms-auto d-flex gap-2">')
        actions = a.available_actions
        for step, label, tone in (
            (rules.Action.START_TREATMENT, "Start treatment", "primary"),
            (rules.Action.COMPLETE, "Complete visit", "success"),
        ):
            if step in actions:
                out.append(
                    f'<form method="post" action="{url_for(a.pk, "scheduling:progress")}">{csrf}'
                    f'<input type="hidden" name="to" value="{step}">'
                    f'<input type="hidden" name="next" value="{here}">'
                    f'<button type="submit" class="btn btn-sm btn-{tone}">{label}</button></form>'
                )
                break
        out.append(
            f'<a class="btn btn-sm btn-link" href="{url_for(a.pk, "scheduling:detail")}">'
            "Details</a></span></li>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped


def arrival_items(
    visits: Iterable[Visit], *, here: str, csrf_token: Callable[[], str]
) -> SafeString:
    """Today's expected and waiting patients, each with a check-in button while allowed."""
    csrf, here = _Csrf(csrf_token), escape(here)
    people: dict[int, str] = {}
    out = []
    for a in visits:
        name = escape(a.patient.full_name)
        patient = f'<a href="{url_for(a.pk, "scheduling:detail")}">{name}</a>'
        if a.dermatologist_id not in people:
            user = a.dermatologist
            people[a.dermatologist_id] = escape(user.get_full_name() or user.username)
        where = f" · Dr {people[a.dermatologist_id]}"
        if a.room:
            where += f" · {escape(a.room.name)}"
        out.append(_head(a, patient, where))
        if rules.Action.CHECK_IN in a.available_actions:
            out.append(
                f'<form method="post" action="{url_for(a.pk, "scheduling:check_in")}" '
                f'class="ms-auto">{csrf}<input type="hidden" name="next" value="{here}">'
                '<button type="submit" class="btn btn-sm btn-success" '
                f'aria-label="Check in {name}">Check in</button></form>'
            )
        out.append("</li>")
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped
