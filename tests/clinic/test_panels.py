"""Chart and dashboard sections contributed by other apps show only to roles allowed to see them."""

import pytest

from clinic import panels


@pytest.fixture
def fake_panels(monkeypatch):
    monkeypatch.setattr(panels, "_CHART", {})
    monkeypatch.setattr(panels, "_DASHBOARD", {})
    panels.register_chart_panel(
        panels.Panel(
            name="test-clinical",
            template="clinic/_test_panel.html",
            permission="patients.view_scarassessment",
            context=lambda request, patient: {"text": f"clinical panel for {patient.mrn}"},
        )
    )
    panels.register_dashboard_panel(
        panels.Panel(
            name="test-desk",
            template="clinic/_test_panel.html",
            permission="patients.add_patient",
            context=lambda request, subject: {"text": "desk panel"},
        )
    )


def test_chart_panel_shows_to_a_role_with_its_permission(fake_panels, derm_client, patient):
    assert (
        f"clinical panel for {patient.mrn}"
        in derm_client.get(f"/patients/{patient.pk}/").content.decode()
    )


def test_chart_panel_is_hidden_from_a_role_without_it(fake_panels, desk_client, patient):
    assert "clinical panel" not in desk_client.get(f"/patients/{patient.pk}/").content.decode()


def test_dashboard_panel_follows_permissions_too(fake_panels, desk_client, derm_client):
    assert "desk panel" in desk_client.get("/").content.decode()
    assert "desk panel" in derm_client.get("/").content.decode()  # dermatologists add patients
