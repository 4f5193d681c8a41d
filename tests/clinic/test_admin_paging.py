"""The admin lists of big tables read a page and its count in one query
(clinic.paging.LargeTablePaginator): the same rows, order, count and page numbers as Django's
own paging, for searches, sorting, short and long lists and pages past the end."""

import datetime

import pytest

from clinic.paging import LargeTablePaginator
from patients.models import Patient
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

URL = "/admin/patients/patient/"


@pytest.fixture
def smiths(db) -> None:
    # Birth dates tie in pairs, so sorting by birth date shows the tie-breaker too.
    for n in range(30):
        PatientFactory(last_name="Smith", date_of_birth=datetime.date(1980, 1, 1 + n // 2))
    PatientFactory.create_batch(3, last_name="Jones")


def _shown(response) -> list[int]:
    return [patient.pk for patient in response.context["cl"].result_list]


@pytest.mark.parametrize(
    ("params", "ordering"),
    [
        ({"q": "smith"}, ["last_name", "first_name", "pk"]),
        ({"q": "smith", "p": "2"}, ["last_name", "first_name", "pk"]),
        # A chosen column replaces the default ordering; Django's admin breaks its ties by -pk.
        ({"q": "smith", "o": "-4"}, ["-date_of_birth", "-pk"]),
        ({"q": "smith", "o": "-4", "p": "2"}, ["-date_of_birth", "-pk"]),
        ({"q": "jones"}, ["last_name", "first_name", "pk"]),
        ({}, ["last_name", "first_name", "pk"]),
        ({"p": "2"}, ["last_name", "first_name", "pk"]),
    ],
)
def test_the_page_and_count_are_djangos(admin_client_, smiths, params, ordering):
    response = admin_client_.get(URL, params)
    assert response.status_code == 200
    found = Patient.objects.search(params.get("q", "")).order_by(*ordering)
    page = int(params.get("p", 1))
    assert _shown(response) == [p.pk for p in found[(page - 1) * 25 : page * 25]]
    cl = response.context["cl"]
    assert (cl.result_count, cl.multi_page) == (found.count(), found.count() > 25)


def test_a_page_past_the_end_is_refused_as_django_refuses_it(admin_client_, smiths):
    response = admin_client_.get(URL, {"q": "smith", "p": "3"})
    assert response.status_code == 302 and response.url.endswith("?e=1")


def test_a_list_longer_than_the_fold_is_counted_exactly_apart(
    admin_client_, smiths, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(LargeTablePaginator, "FOLD_CAP", 10)
    # The page's query, then COUNT(*) of the matches; the rest as in the query budget tests.
    # The first page reaches 26 rows (its own and one more): 30 matches go past it.
    with django_assert_num_queries(6):
        response = admin_client_.get(URL, {"q": "smith"})
    assert response.context["cl"].result_count == 30
    found = Patient.objects.search("smith").order_by("last_name", "first_name", "pk")
    assert _shown(response) == [p.pk for p in found[:25]]
