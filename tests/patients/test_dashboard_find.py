"""The dashboard's patient section: search, and the recently updated patients."""

import pytest
from django.utils import timezone

from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_front_desk_dashboard_has_the_search_and_the_recent_patients(desk_client):
    older, newer = PatientFactory(), PatientFactory()
    archived = PatientFactory(archived_at=timezone.now(), archive_reason="Duplicate")
    html = desk_client.get("/").content.decode()
    assert 'id="dashboard-search"' in html and 'action="/patients/"' in html
    assert "New patient" in html
    recent = html.split("data-recent-patients")[1].split("</ul>")[0]
    assert f'href="/patients/{newer.pk}/"' in recent and f'href="/patients/{older.pk}/"' in recent
    assert recent.index(newer.mrn) < recent.index(older.mrn)
    assert archived.mrn not in recent


def test_dashboard_without_patients_says_so(derm_client):
    assert "No patients yet." in derm_client.get("/").content.decode()
