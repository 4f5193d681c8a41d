"""A long-treated patient's chart stays one screen: the newest sessions and photos first, the rest
on request ("show all"), in the same number of queries."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.treatments.factories import TreatmentSessionFactory
from treatments.models import ClinicalPhoto
from treatments.panels import PHOTOS_PER_SERIES, SESSIONS_SHOWN

pytestmark = pytest.mark.django_db


TAB_OF = {"treatments": "treatments", "photos": "photos"}


def panel(client, patient, name: str, **params):
    response = client.get(f"/patients/{patient.pk}/", {"tab": TAB_OF[name], **params})
    return response, next(p for p in response.context["panels"] if p.name == name).context


def test_the_newest_sessions_show_and_the_rest_on_request(derm_client, dermatologist, patient):
    start = timezone.now() - dt.timedelta(days=1000)
    sessions = [
        TreatmentSessionFactory(
            patient=patient, clinician=dermatologist, performed_at=start + dt.timedelta(days=n)
        )
        for n in range(SESSIONS_SHOWN + 2)
    ]
    response, shown = panel(derm_client, patient, "treatments")
    assert shown["sessions"] == sessions[::-1][:SESSIONS_SHOWN]
    assert shown["more_sessions"]
    assert "?tab=treatments&amp;sessions=all#treatments" in response.content.decode()

    response, everything = panel(derm_client, patient, "treatments", sessions="all")
    assert len(everything["sessions"]) == SESSIONS_SHOWN + 2
    assert not everything["more_sessions"]
    assert "sessions=all#treatments" not in response.content.decode()


def _photos(patient, count: int, view: str) -> list[ClinicalPhoto]:
    return [
        ClinicalPhoto.objects.create(
            patient=patient,
            taken_on=dt.date(2025, 1, 1) + dt.timedelta(days=14 * n),
            view=view,
            image=f"p/{view}{n}.jpg",
            display=f"p/{view}{n}-d.jpg",
            thumbnail=f"p/{view}{n}-t.jpg",
            width=64,
            height=48,
            file_size=100,
            sha256=f"{view}{n}",
        )
        for n in range(count)
    ]


def test_each_photo_series_shows_its_newest_and_the_rest_on_request(derm_client, patient):
    frontal = _photos(patient, PHOTOS_PER_SERIES + 3, "frontal")
    oblique = _photos(patient, 2, "left_oblique")
    response, shown = panel(derm_client, patient, "photos")
    series = dict(shown["series"])
    # Oldest first within a series, as before; only the newest PHOTOS_PER_SERIES of it.
    assert series["frontal||diffuse"] == frontal[3:]
    assert series["left_oblique||diffuse"] == oblique
    assert {key: hidden for key, _, hidden in shown["rows"]} == {
        "frontal||diffuse": 3,
        "left_oblique||diffuse": 0,
    }
    assert "3 earlier photos: show all" in response.content.decode()

    _, everything = panel(derm_client, patient, "photos", photos="all")
    assert dict(everything["series"])["frontal||diffuse"] == frontal
