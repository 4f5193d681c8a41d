"""Counting rows for pages of very large tables.

An admin list of a million appointments spends longer on `SELECT COUNT(*)` than on its page. When
nothing narrows the list, PostgreSQL's own estimate of the table's rows (kept by ANALYZE and
autovacuum) stands in for the count: the admin shows "about" that many, and paging still works
(Django clamps a page past the end). Any filter or search, and any other database, counts exactly.
"""

import html
from functools import cache

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from clinic.lib.quick_widgets import QuickActionForm

# Below this, counting exactly is cheap; above it, an estimate within a few per cent will do.
ESTIMATE_FROM_ROWS = 50_000
MAX_PAGE = 100_000  # a page number past this counts as this (and lands on the last page)
# The name a page's count is read back under, from its own query; no model field has it.
_COUNT_COLUMN = "capped_page_count"


def _table_rows_sql(queryset: QuerySet) -> tuple[str, list] | None:
    """For an unfiltered queryset, a scalar subquery giving its rows: on PostgreSQL the table's
    estimate when it is large, its exact count when small; elsewhere the exact count. None for a
    filtered queryset."""
    if queryset.query.where or queryset.query.distinct:
        return None
    connection = connections[queryset.db]
    table = queryset.model._meta.db_table
    count = f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}"  # noqa: S608 - quoted name
    if connection.vendor != "postgresql":
        return count, []
    # The COUNT(*) subquery runs only when the estimate is small (an InitPlan is lazy).
    estimate = "SELECT CASE WHEN reltuples >= %s THEN reltuples::bigint ELSE ({}) END"
    sql = estimate.format(count) + " FROM pg_class WHERE oid = %s::regclass"
    return sql, [ESTIMATE_FROM_ROWS, table]


def estimated_rows(queryset: QuerySet) -> int | None:
    """For an unfiltered queryset on PostgreSQL: the table's estimated rows when it is large, its
    exact count when small, in one query. None elsewhere (count as usual)."""
    connection = connections[queryset.db]
    table_rows = _table_rows_sql(queryset)
    if connection.vendor != "postgresql" or table_rows is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(*table_rows)
        return cursor.fetchone()[0]


class LargeTablePaginator(Paginator):
    """Counts an unfiltered list by the table's estimate on PostgreSQL. Told the page the list
    will show (`page_number`, as LargeTableAdmin does from the request), it reads that page with
    its count in one query, and `page()` hands those rows back:

    - an unfiltered list's page query carries the table's rows as a scalar subquery (the
      estimate, or COUNT(*) of the table), whatever the list joins;
    - a filtered list of one table's rows (the patients' search) is read with a window count
      over its first `FOLD_CAP` matches (`read_capped_page`); a longer one is counted exactly by
      a second query, as is any other filtered list.

    A page past the end finds no row to carry the count: counted separately, as before."""

    # Reading past this many rows to count them in the page's query would cost more than the
    # separate count it saves.
    FOLD_CAP = 1000
    page_number: int | None = None

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            count = self._read_page_with_count()
            if count is not None:
                return count
            rows = estimated_rows(self.object_list)
            if rows is not None:
                return rows
        return super().count

    def _read_page_with_count(self) -> int | None:
        number = self.page_number
        if number is None or not 1 <= number <= MAX_PAGE or self.orphans:
            return None
        offset = (number - 1) * self.per_page
        table_rows = _table_rows_sql(self.object_list)
        if table_rows is not None:
            rows_sql = RawSQL(*table_rows)  # noqa: S611 - the model's table name, quoted
            counted = self.object_list.annotate(**{_COUNT_COLUMN: rows_sql})
            rows = list(counted[offset : offset + self.per_page])
            if not rows and offset:
                return None
            count = rows[0].__dict__[_COUNT_COLUMN] if rows else 0
            for row in rows:
                del row.__dict__[_COUNT_COLUMN]
            self.read_page = (number, rows)
            return count
        # The cap reaches past the page, so a capped read still holds the page's rows.
        cap = max(self.FOLD_CAP, offset + self.per_page)
        read = read_capped_page(self.object_list, offset=offset, limit=self.per_page, cap=cap)
        if read is None or read[1] is None:
            return None
        rows, count = read
        self.read_page = (number, rows)
        return count if count <= cap else None

    def page(self, number) -> Page:
        read = getattr(self, "read_page", None)
        number = self.validate_number(number)
        if read is not None and read[0] == number:
            return self._get_page(read[1], number, self)
        return super().page(number)


@cache
def _checkbox_label(language: str | None) -> str:
    """The tick box's label in the active language, looked up once (not once a row)."""
    return gettext("Select this object for an action - {}")


class LargeTableAdmin:
    """For ModelAdmins of tables that grow without bound (appointments, sessions, the audit
    trail): no second count of the whole table, an estimated count of an unfiltered list, a
    filtered list's page and count in one query, no date drill-down (date_hierarchy reads every
    row's date to list the years), 25 rows a page: Django admin spends about a millisecond of
    rendering per row, so 50 rows alone put a clinic group's lists past 50 ms."""

    paginator = LargeTablePaginator
    show_full_result_count = False
    date_hierarchy = None
    list_per_page = 25
    # The same table, its rows written with per-column work done once per page.
    change_list_template = "admin/large_change_list.html"
    # The same actions drop-down, written without the form templates.
    action_form = QuickActionForm
    # When set, the fields a page's rows load (`QuerySet.only`): the columns, what str() of the
    # row and of its related rows reads, and what the access trail reads (a patient's MRN). A
    # field missed costs a query a row, which the admin query budget tests catch. Actions get
    # their own, whole rows.
    list_fields: list[str] | None = None

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        if self.list_fields:
            queryset = queryset.only(*self.list_fields)
        paginator = super().get_paginator(  # type: ignore[misc]
            request, queryset, per_page, orphans, allow_empty_first_page
        )
        try:
            # The page ChangeList will ask for, read as it reads it.
            paginator.page_number = int(request.GET.get(PAGE_VAR, 1))
        except ValueError:
            paginator.page_number = 1
        return paginator

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)  # type: ignore[misc]
        read = getattr(changelist.paginator, "read_page", None)
        if not changelist.multi_page and read is not None and read[0] == 1:
            # A list of one page: ChangeList would read it again, unpaged; these are its rows.
            changelist.result_list = read[1]
        elif self.list_fields and isinstance(changelist.result_list, QuerySet):
            changelist.result_list = changelist.result_list.only(*self.list_fields)
        return changelist

    def action_checkbox(self, obj) -> SafeString:
        """The row's tick box, as Django's own, written out directly: Django renders a form
        widget through the template engine for each row, a third of a list's rendering."""
        label = _checkbox_label(get_language()).format(html.escape(str(obj)))
        return mark_safe(  # noqa: S308 - the translation as Django leaves it, the values escaped
            f'<input type="checkbox" name="{ACTION_CHECKBOX_NAME}" '
            f'value="{html.escape(str(obj.pk))}" class="action-select" aria-label="{label}">'
        )


def _ordering_columns(queryset: QuerySet) -> list[str] | None:
    """The queryset's ordering as "column ASC|DESC" on the capped subquery's own columns, or None
    when it orders by anything but the model's own columns (a relation, an expression)."""
    query = queryset.query
    opts = queryset.model._meta
    ordering = query.order_by or (opts.ordering if query.default_ordering else ())
    if not ordering:
        return None
    quote = connections[queryset.db].ops.quote_name
    names, defer = query.deferred_loading
    columns = []
    for item in ordering:
        if not isinstance(item, str) or item == "?":
            return None
        name = item.removeprefix("-")
        field = opts.pk if name == "pk" else opts._forward_fields_map.get(name)
        # Ordering by a relation's name follows the related model's ordering: not a column here.
        if field is None or field.model is not queryset.model or "__" in name:
            return None
        if field.is_relation and name != field.attname:
            return None
        # The outer query sees only the columns the subquery loads (`only`, `defer`).
        deferred = field.name in names if defer else bool(names) and field.name not in names
        if deferred and field is not opts.pk:
            return None
        direction = "DESC" if item.startswith("-") else "ASC"
        columns.append(f'"capped".{quote(field.column)} {direction}')
    return columns


def read_capped_page(
    queryset: QuerySet, *, offset: int, limit: int, cap: int
) -> tuple[list, int | None] | None:
    """Rows offset to offset + limit of the queryset, and how many of its first cap + 1 rows there
    are, in one query:

        SELECT "capped".*, COUNT(*) OVER () FROM (<queryset> LIMIT cap + 1) "capped"
        ORDER BY <the queryset's ordering> LIMIT limit OFFSET offset

    The subquery reads its rows in index order and stops at the cap, as a capped count does; the
    window counts them as they pass, and the outer ORDER BY is the order they already come in, so
    PostgreSQL sorts nothing twice. The count is None when the page is past the end (no row to
    carry it). None altogether for a queryset that is not a plain list of one table's rows
    ordered by its columns: the caller counts and reads separately."""
    query = queryset.query
    if query.is_empty():
        return [], 0
    ordering = _ordering_columns(queryset)
    plain = (
        queryset._iterable_class is ModelIterable
        and not query.extra_select
        and not query.annotation_select
        and not queryset._prefetch_related_lookups
        and not queryset.model._meta.parents
    )
    if ordering is None or not plain:
        return None
    compiler = queryset[: cap + 1].query.get_compiler(using=queryset.db)
    try:
        inner, params = compiler.as_sql()
    except EmptyResultSet:
        return [], 0
    # Related rows (select_related) would repeat column names: only the model's own columns.
    if compiler.klass_info is None or compiler.klass_info.get("related_klass_infos"):
        return None
    order_by = ", ".join(ordering)
    # The subquery is Django's own SQL with its parameters; the rest are quoted column names.
    sql = f'SELECT "capped".*, COUNT(*) OVER () AS "{_COUNT_COLUMN}" FROM ({inner}) "capped" '  # noqa: S608
    sql += f"ORDER BY {order_by} LIMIT %s OFFSET %s"
    rows = list(
        queryset.model._default_manager.raw(sql, (*params, limit, offset), using=queryset.db)
    )
    if not rows:
        return [], 0 if offset == 0 else None
    count = rows[0].__dict__[_COUNT_COLUMN]
    for row in rows:
        del row.__dict__[_COUNT_COLUMN]
    return rows, count


class CappedPaginator(Paginator):
    """Counts at most `cap` rows: enough to reach the requested page and to know whether another
    follows. A list of 100,000 patients costs a count of a thousand index entries, not of them
    all; `is_capped` tells the template to say "more than" instead of a total. A queryset's page
    and its count come from one query (`read_capped_page`); a page past the end then costs a
    count and the last page's rows."""

    def __init__(self, object_list, per_page, *, page: str | int | None = 1, cap: int = 1000):
        super().__init__(object_list, per_page)
        try:
            reach = min(max(1, int(page or 1)), MAX_PAGE)
        except (TypeError, ValueError):
            reach = 1
        self.cap = max(cap, reach * per_page)

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            # SELECT COUNT(*) FROM (SELECT ... LIMIT cap + 1): one query, as before.
            return self.object_list[: self.cap + 1].count()
        return min(super().count, self.cap + 1)

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    def get_page(self, number) -> Page:
        """As Paginator.get_page (a page that is not a number is the first, one out of range the
        last), reading a queryset's page with its count."""
        if not isinstance(self.object_list, QuerySet) or self.orphans or "count" in self.__dict__:
            return super().get_page(number)
        try:
            # As validate_number reads it, before knowing the count.
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            asked = int(number)
        except (TypeError, ValueError):
            asked = 1
        guess = min(max(asked, 1), MAX_PAGE)
        read = read_capped_page(
            self.object_list, offset=(guess - 1) * self.per_page, limit=self.per_page, cap=self.cap
        )
        if read is None:
            return super().get_page(number)
        rows, count = read
        if count is not None:
            self.__dict__["count"] = count  # the cached_property's value
        try:
            final = self.validate_number(asked)  # counts (a query) when the page was past the end
        except EmptyPage:
            final = self.num_pages
        if final != guess:
            return self.page(final)
        return self._get_page(rows, final, self)
