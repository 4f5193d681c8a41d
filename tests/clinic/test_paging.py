"""Counting pages of big lists: the patient list counts at most enough rows to reach the page
asked for, and says "more than" past that."""

import pytest
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
