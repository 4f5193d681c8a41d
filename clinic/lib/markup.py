"""Escaping for markup written in Python (the calendar grid, the dashboard's lists, the chart's
SVG), hundreds of values a page."""

import html


def escape(value: object) -> str:
    """What django.utils.html.escape writes, as a plain str: without its check of every call
    for lazy arguments, and without a SafeString that each f-string converts again."""
    return html.escape(str(value))
