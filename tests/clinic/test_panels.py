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


@pytest.fixture
def tabbed_panels(monkeypatch):
    monkeypatch.setattr(panels, "_CHART", {})
    for name, tab, permission in (
        ("test-photos", "photos", "treatments.view_clinicalphoto"),
        ("test-summary", "summary", "patients.view_patient"),
    ):
        panels.register_chart_panel(
            panels.Panel(
                name=name,
                template="clinic/_test_panel.html",
                permission=permission,
                context=lambda request, patient, name=name: {"text": f"{name} panel"},
                tab=tab,
            )
        )


def test_each_panel_shows_on_its_own_tab_only(tabbed_panels, derm_client, patient):
    summary = derm_client.get(f"/patients/{patient.pk}/").content.decode()
    assert "test-summary panel" in summary and "test-photos panel" not in summary
    photos = derm_client.get(f"/patients/{patient.pk}/?tab=photos").content.decode()
    assert "test-photos panel" in photos and "test-summary panel" not in photos
    # The tab bar lists the summary, the progress tab (assessments) and the tab with a panel.
    tabs = [slug for slug, _ in derm_client.get(f"/patients/{patient.pk}/").context["tabs"]]
    assert tabs == ["summary", "progress", "photos"]
    assert '<a class="nav-link active" aria-current="page" href="?tab=photos"' in photos


@pytest.mark.parametrize("asked", ["photos", "nonsense", "", "summary"])
def test_a_tab_the_user_does_not_have_shows_the_summary(tabbed_panels, desk_client, patient, asked):
    response = desk_client.get(f"/patients/{patient.pk}/", {"tab": asked})
    assert response.status_code == 200
    assert response.context["tab"] == "summary"
    content = response.content.decode()
    assert "test-summary panel" in content and "test-photos panel" not in content
    # Front desk has the summary only: no tab bar.
    assert "Chart sections" not in content


def test_chart_url_names_the_tab_and_the_anchor():
    assert panels.chart_url(7) == "/patients/7/"
    assert panels.chart_url(7, "photos") == "/patients/7/?tab=photos"
    assert panels.chart_url(7, "scars", "scars") == "/patients/7/?tab=scars#scars"
