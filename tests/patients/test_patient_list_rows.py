"""The patient list writes its rows in Python (patients.list_html): the same markup as the
template loop it replaced, names and numbers escaped, the archived badge, the empty list."""

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from patients.list_html import patient_rows
from patients.models import Patient
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def _squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def test_the_rows_read_as_the_template_wrote_them(front_desk):
    PatientFactory(
        first_name="Zoë & <Co>",
        last_name="O'Brien",
        preferred_name='"Bee"',
        mrn="SC-0001",
        date_of_birth=dt.date(1990, 3, 4),
        phone="",
    )
    PatientFactory(last_name="Archer", preferred_name="").archive(by=front_desk, reason="Moved")
    PatientFactory(last_name="Lovelace", phone="07700 900123 <ext 2>")
    patients = list(Patient.objects.all())
    written = patient_rows(patients)
    assert _squeeze(written) == _squeeze(
        render_to_string("patients/_patient_rows_reference.html", {"page": patients})
    )
    assert "O&#x27;Brien, Zoë &amp; &lt;Co&gt;</a>" in written
    assert "“&quot;Bee&quot;”" in written and "<td>04/03/1990</td>" in written
    assert written.count("Archived</span>") == 1


def test_the_list_shows_its_rows_or_says_none_are_found(desk_client):
    ada = PatientFactory(first_name="Ada", last_name="Lovelace")
    html = desk_client.get(reverse("patients:list"), {"q": "lovelace"}).content.decode()
    assert f'<a href="{reverse("patients:detail", args=[ada.pk])}">Lovelace, Ada</a>' in html
    assert "No patients found." not in html
    html = desk_client.get(reverse("patients:list"), {"q": "nobody"}).content.decode()
    assert "No patients found." in html and "<td><a href" not in html
