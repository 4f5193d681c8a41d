"""`{% calendar_grid grid caption %}`: the calendar table, and `{% visit_list visits %}`: the lists
under it; both written by scheduling.grid_html."""

from functools import partial

from django import template
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString

from scheduling import clock
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
