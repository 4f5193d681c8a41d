"""`{% calendar_grid grid caption %}`: the calendar table, and `{% visit_list visits %}`: the lists
under it; both written by scheduling.grid_html. `{% my_day_items %}` and `{% arrival_items %}`:
the dashboard's visit lists, written by scheduling.dashboard_html."""

from functools import partial

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.safestring import SafeString

from scheduling import clock, dashboard_html
from scheduling.grid_html import render_grid, render_visit_list

register = template.Library()


@register.simple_tag(takes_context=True)
def calendar_grid(context, grid, caption: str) -> SafeString:
    request = context["request"]
    user = request.user
    return render_grid(
        grid,
        caption=caption,
        mode=context.get("mode", ""),
        can_check_in=user.has_perm("scheduling.check_in_appointment"),
        can_book=user.has_perm("scheduling.add_appointment"),
        here=request.get_full_path(),
        csrf_token=partial(get_token, request),
        today=clock.today(),
    )


@register.simple_tag
def visit_list(visits) -> SafeString:
    return render_visit_list(visits)


@register.simple_tag(takes_context=True)
def my_day_items(context, visits) -> SafeString:
    """The dermatologist's dashboard list (scheduling.dashboard_html)."""
    request = context["request"]
    return dashboard_html.my_day_items(
        visits,
        link_patients=request.user.has_perm("patients.view_patient"),
        here=reverse("dashboard"),
        csrf_token=partial(get_token, request),
    )


@register.simple_tag(takes_context=True)
def arrival_items(context, visits) -> SafeString:
    """The front desk's arrivals list (scheduling.dashboard_html)."""
    request = context["request"]
    return dashboard_html.arrival_items(
        visits, here=reverse("dashboard"), csrf_token=partial(get_token, request)
    )
