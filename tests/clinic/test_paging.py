"""Counting pages of big lists: the patient list counts at most enough rows to reach the page
asked for, and says "more than" past that."""

import pytest
from django.db.models.functions import Lower
from django.urls import reverse

from clinic.paging import CappedPaginator
from patients import views
from patients.models import Patient
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_a_short_list_is_counted_exactly():
    PatientFactory.create_batch(7)
    paginator = CappedPaginator(Patient.objects.all(), 5, cap=10)
    assert (paginator.count, paginator.is_capped, paginator.num_pages) == (7, False, 2)


def test_a_long_list_is_counted_only_past_the_cap_and_the_page_asked_for():
    PatientFactory.create_batch(23)
    first = CappedPaginator(Patient.objects.all(), 5, cap=10)
    assert (first.count, first.is_capped) == (11, True)
    # Page 4 needs rows 16-20 and to know that row 21 exists.
    fourth = CappedPaginator(Patient.objects.all(), 5, page="4", cap=10)
    assert (fourth.count, fourth.is_capped) == (21, True)
    page = fourth.get_page("4")
    assert page.has_next() and len(page) == 5
    last = CappedPaginator(Patient.objects.all(), 5, page="5", cap=10)
    assert (last.count, last.is_capped) == (23, False)
    assert CappedPaginator(Patient.objects.all(), 5, page="junk", cap=10).cap == 10


class SmallCap(CappedPaginator):
    def __init__(self, object_list, per_page, *, page=1):
        super().__init__(object_list, per_page, page=page, cap=20)


def test_the_patient_list_says_more_than_when_capped(desk_client, monkeypatch):
    monkeypatch.setattr(views, "CappedPaginator", SmallCap)
    PatientFactory.create_batch(30)
    html = desk_client.get(reverse("patients:list")).content.decode()
    assert "More than 25 patients" in html  # the cap grows to reach the first page
    assert "Page 1</span>" in html and "Next" in html
    second = desk_client.get(reverse("patients:list"), {"page": 2}).content.decode()
    assert "30 patients" in second and "Page 2 of 2" in second


def _paginator(queryset, page, *, per_page=5, cap=10) -> CappedPaginator:
    return CappedPaginator(queryset, per_page, page=page, cap=cap)


def test_a_page_and_its_capped_count_come_from_one_query(django_assert_num_queries):
    PatientFactory.create_batch(23)
    everyone = list(Patient.objects.all())
    with django_assert_num_queries(1):
        paginator = _paginator(Patient.objects.all(), "2")
        page = paginator.get_page("2")
        assert (paginator.count, paginator.is_capped, page.number) == (11, True, 2)
        assert list(page) == everyone[5:10]
        assert page.has_next()
    with django_assert_num_queries(1):
        paginator = _paginator(Patient.objects.all(), "5")
        page = paginator.get_page("5")
        assert (paginator.count, paginator.is_capped, paginator.num_pages) == (23, False, 5)
        assert list(page) == everyone[20:]


def test_the_page_keeps_the_querysets_order_and_columns(django_assert_num_queries):
    PatientFactory.create_batch(12)
    queryset = Patient.objects.only("last_name", "date_of_birth").order_by("-date_of_birth", "-pk")
    with django_assert_num_queries(1):
        page = _paginator(queryset, 2).get_page(2)
        assert [(p.last_name, p.date_of_birth) for p in page]  # loaded, no query a row
    assert [p.pk for p in page] == [p.pk for p in queryset[5:10]]
    assert page[0].get_deferred_fields() >= {"first_name", "phone"}
    # Ordered by a column it does not load: counted, then read.
    with django_assert_num_queries(2):
        page = _paginator(queryset.order_by("phone", "pk"), 2).get_page(2)
        list(page)
    assert [p.pk for p in page] == [p.pk for p in queryset.order_by("phone", "pk")[5:10]]


@pytest.mark.parametrize(
    ("asked", "number", "rows", "queries"),
    [
        pytest.param("9", 3, 2, 3, id="past the end: the last page (and a count to find it)"),
        pytest.param("0", 3, 2, 2, id="below the first: the last page"),
        pytest.param("-1", 3, 2, 2, id="negative: the last page"),
        pytest.param("junk", 1, 5, 1, id="not a number: the first page"),
        pytest.param("2.5", 1, 5, 1, id="not a whole number: the first page"),
        pytest.param(None, 1, 5, 1, id="none asked: the first page"),
        pytest.param("9" * 30, 3, 2, 3, id="a huge number: the last page, not an error"),
    ],
)
def test_page_numbers_out_of_range_clamp_as_django_does(
    django_assert_num_queries, asked, number, rows, queries
):
    PatientFactory.create_batch(12)
    with django_assert_num_queries(queries):
        page = _paginator(Patient.objects.all(), asked, cap=20).get_page(asked)
        assert (page.number, len(page), page.paginator.count) == (number, rows, 12)
    assert list(page) == list(Patient.objects.all()[(number - 1) * 5 :][:5])


def test_nothing_found_costs_one_query_and_nothing_to_find_none(django_assert_num_queries):
    PatientFactory.create_batch(3)
    with django_assert_num_queries(1):
        page = _paginator(Patient.objects.filter(first_name="Nobody"), 1).get_page(1)
        assert (page.number, len(page), page.paginator.count) == (1, 0, 0)
    with django_assert_num_queries(0):
        page = _paginator(Patient.objects.none(), 3).get_page(3)
        assert (page.number, len(page), page.paginator.count) == (1, 0, 0)


@pytest.mark.parametrize(
    "queryset",
    [
        pytest.param(lambda: Patient.objects.order_by(Lower("last_name"), "pk"), id="expression"),
        pytest.param(lambda: Patient.objects.order_by("created_by", "pk"), id="relation"),
        pytest.param(lambda: Patient.objects.select_related("created_by"), id="select_related"),
    ],
)
def test_other_querysets_are_counted_then_read(django_assert_num_queries, queryset):
    PatientFactory.create_batch(7)
    with django_assert_num_queries(2):
        page = _paginator(queryset(), 2).get_page(2)
        assert (page.number, page.paginator.count) == (2, 7)
        rows = list(page)
    assert rows == list(queryset()[5:])
