"""The compare page's before/after pickers, written in Python: a series may hold a hundred
photos and each picker lists them all, which a template loop renders ten times slower."""

import html
from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from clinic.templatetags.clinic_format import day

register = template.Library()


@register.simple_tag
def photo_date_options(candidates: Iterable, selected) -> SafeString:
    """An <option> per photo, by date ("4 Mar 2025"), the selected photo's marked."""
    chosen = getattr(selected, "pk", None)
    return mark_safe(  # noqa: S308 - every value is escaped here
        "".join(
            f'<option value="{int(photo.pk)}"{" selected" if photo.pk == chosen else ""}>'
            f"{html.escape(day(photo.taken_on))}</option>"
            for photo in candidates
        )
    )
