"""`{% large_result_list cl %}`: the admin's `{% result_list cl %}` table for the lists of tables
that grow without bound (`clinic.paging.LargeTableAdmin`), with the same markup at a fraction of
the cost.

Django's `items_for_result` works out every cell from scratch: it looks the column's field up
again, builds its classes, asks for the empty-value text, reverses the row's change URL, parses
and re-encodes the preserved filters into it, and wraps each cell with `format_html`. Here
everything that is the same for every row is worked out once per column and per page; each
cell only fetches and formats its value. Choice labels, dates and plain text take quick paths
that write what Django writes (tests/clinic/test_admin_large_lists.py compares the two);
every other value goes through Django's own `display_for_field` / `display_for_value`.
Editable lists, pop-ups and lists linked by another field than the primary key go through
Django's own code.
"""

import datetime as dt
import html
from collections.abc import Callable

from django import template
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _coerce_field_name,
    items_for_result,
    result_headers,
    result_hidden_fields,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import display_for_field, display_for_value, lookup_field
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.dates import MONTHS_3
from django.utils.formats import get_format, localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

register = template.Library()

_PLACEHOLDER = 918273645  # stands for the row's primary key in the change URL, once per page


def _row_url(cl: ChangeList) -> Callable[[models.Model], str] | None:
    """The change URL of a row, from one reversed URL with the preserved filters added."""
    pk_field = cl.lookup_opts.pk
    if not isinstance(pk_field, models.AutoField | models.BigAutoField | models.IntegerField):
        return None
    try:
        url = cl.url_for_result(cl.model(**{pk_field.attname: _PLACEHOLDER}))
    except NoReverseMatch:
        return None
    url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
    before, found, after = url.partition(str(_PLACEHOLDER))
    if not found:
        return None
    attname = pk_field.attname
    return lambda obj: f"{before}{int(getattr(obj, attname))}{after}"


class _Dates:
    """Writes a date or a local date-time as Django's `localize` does, for the formats the
    clinic's language uses ("j M Y" and "j M Y, P": "4 Mar 2026, 9:30 a.m."), with the
    translated words looked up once a page instead of a DateFormat per value. Any other format
    goes through Django."""

    DATE = "j M Y"
    DATETIME = "j M Y, P"

    def __init__(self) -> None:
        self.fast_date = get_format("DATE_FORMAT") == self.DATE
        self.fast_datetime = get_format("DATETIME_FORMAT") == self.DATETIME
        self.months = {month: MONTHS_3[month].title() for month in MONTHS_3}
        self.words = {
            name: gettext(name) for name in ("a.m.", "p.m.", "noon", "midnight")
        }  # fmt: skip

    def date(self, value: dt.date) -> str:
        if not self.fast_date:
            return localize(value)
        return f"{value.day} {self.months[value.month]} {value.year:04d}"

    def datetime(self, value: dt.datetime) -> str:
        value = template_localtime(value)
        if not self.fast_datetime:
            return localize(value)
        hour, minute = value.hour, value.minute
        if minute == 0 and hour in (0, 12):
            time = self.words["midnight" if hour == 0 else "noon"]
        else:
            clock = f"{hour % 12 or 12}:{minute:02d}" if minute else f"{hour % 12 or 12}"
            time = f"{clock} {self.words['p.m.' if hour > 11 else 'a.m.']}"
        return f"{value.day} {self.months[value.month]} {value.year:04d}, {time}"


class _Column:
    def __init__(
        self,
        cl: ChangeList,
        index: int,
        name,
        first_row: models.Model,
        link: bool,
        dates: _Dates,
    ):
        self.name = name
        self.model_admin = cl.model_admin
        self.empty = cl.model_admin.get_empty_value_display()
        self.link = link
        classes = [f"field-{_coerce_field_name(name, index)}"]
        f, attr, _ = lookup_field(name, first_row, cl.model_admin)
        self.field = f if f is not None and not f.auto_created else None
        self.boolean = False
        if self.field is None:
            if name == "action_checkbox":
                classes = ["action-checkbox"]
            self.empty = getattr(attr, "empty_value_display", self.empty)
            self.boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                self.boolean = getattr(attr.fget, "boolean", False)
        elif isinstance(self.field, models.DateField | models.TimeField | models.ForeignKey):
            classes.append("nowrap")
        self.classes = escape(" ".join(classes))
        self.related = self.field is not None and isinstance(
            self.field.remote_field, models.ManyToOneRel
        )
        # How a field's value is written, where display_for_field would redo per cell what
        # can be done once: a choice's label, a date's format.
        self.write: Callable[[object], str] | None = None
        field, empty = self.field, self.empty
        if field is None or self.related:
            pass
        elif getattr(field, "flatchoices", None):
            try:
                labels = {value: str(label) for value, label in field.flatchoices}
            except TypeError:  # unhashable choices: display_for_field knows what to do
                pass
            else:
                self.write = lambda value: labels.get(value, empty)
        elif isinstance(field, models.DateTimeField | models.DateField):
            write = dates.datetime if isinstance(field, models.DateTimeField) else dates.date
            blank = field.empty_values
            self.write = lambda value: empty if value in blank else write(value)
        elif type(field) in (models.CharField, models.TextField, models.EmailField):
            # A string is shown as itself (display_for_value); anything else goes through Django.
            blank = field.empty_values
            self.write = lambda value: (
                empty
                if value in blank
                else value
                if type(value) is str
                else display_for_field(value, field, empty)
            )

    def cell(self, obj: models.Model) -> tuple[str, str]:
        """The cell's class attribute and its escaped contents."""
        classes = self.classes
        try:
            if self.field is not None:
                value = getattr(obj, self.name)
                if isinstance(value, str) and value.strip() == "":
                    value = ""
                if self.related:
                    shown = self.empty if value is None else value
                elif self.write is not None:
                    shown = self.write(value)
                else:
                    shown = display_for_field(value, self.field, self.empty, avoid_link=self.link)
            else:
                _, _, value = lookup_field(self.name, obj, self.model_admin)
                if isinstance(value, str) and value.strip() == "":
                    value = ""
                shown = display_for_value(value, self.empty, self.boolean)
                if isinstance(value, dt.date | dt.time):
                    classes = f"{classes} nowrap"
        except ObjectDoesNotExist:
            shown = self.empty
        return classes, _escape(shown)


def _escape(value) -> str:
    """conditional_escape without its lazy-string wrapper: the same text, for every cell."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _fast_rows(cl: ChangeList) -> list[ResultList] | None:
    rows = list(cl.result_list)
    if cl.formset or cl.is_popup or cl.to_field or not rows:
        return None
    row_url = _row_url(cl)
    if row_url is None:
        return None
    links = cl.list_display_links
    dates = _Dates()
    columns = []
    for index, name in enumerate(cl.list_display):
        if links is None:
            link = False
        elif not links:
            link = not any(column.link for column in columns)
        else:
            link = name in links
        columns.append(_Column(cl, index, name, rows[0], link, dates))
    linked_first = [not any(c.link for c in columns[:i]) for i in range(len(columns))]
    results = []
    for obj in rows:
        cells = []
        for column, first in zip(columns, linked_first, strict=True):
            classes, shown = column.cell(obj)
            if column.link:
                tag = "th" if first else "td"
                cells.append(
                    f'<{tag} class="{classes}"><a href="{conditional_escape(row_url(obj))}">'
                    f"{shown}</a></{tag}>"
                )
            else:
                cells.append(f'<td class="{classes}">{shown}</td>')
        # Every value above is escaped: the classes, the URL and each cell's contents.
        results.append(ResultList(None, [mark_safe("".join(cells))]))  # noqa: S308 - see above
    return results


def large_result_list(cl: ChangeList) -> dict:
    """The context of Django's `result_list`, with the rows written by `_fast_rows`."""
    headers = list(result_headers(cl))
    results = _fast_rows(cl)
    if results is None:
        results = [ResultList(None, items_for_result(cl, obj, None)) for obj in cl.result_list]
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": results,
    }


@register.tag(name="large_result_list")
def large_result_list_tag(parser, token) -> InclusionAdminNode:
    return InclusionAdminNode(
        parser,
        token,
        func=large_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
