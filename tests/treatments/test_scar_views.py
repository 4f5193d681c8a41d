"""Scar register pages: who may open them, placing by tap or by region, status, archive, the
CROSS form picking scars, the chart panel and the map's query budget."""

import datetime as dt

import pytest
from django.utils import timezone

from clinic.roles import Role
from tests.treatments.factories import TreatmentSessionFactory, cross
from tests.treatments.scar_factories import place_scar
from tests.treatments.test_session_views import CROSS, session_data
from treatments.models import CrossProcedure, Scar, ScarTreatment
from treatments.scar_services import scar_links_set, scar_status_record

pytestmark = pytest.mark.django_db


def register_url(patient) -> str:
    return f"/treatments/patients/{patient.pk}/scars/"


@pytest.fixture
def scar(patient, dermatologist):
    return place_scar(patient, dermatologist, x=0.7, y=0.55)


def scar_urls(patient, scar):
    return [
        ("get", register_url(patient)),
        ("post", register_url(patient)),
        ("get", f"/treatments/scars/{scar.pk}/"),
        ("post", f"/treatments/scars/{scar.pk}/status/"),
        ("post", f"/treatments/scars/{scar.pk}/archive/"),
        ("post", f"/treatments/scars/{scar.pk}/dismiss-suggestion/"),
    ]


def test_anonymous_is_sent_to_sign_in(client, patient, scar):
    for method, url in scar_urls(patient, scar):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_front_desk_never_sees_the_map(desk_client, patient, scar):
    for method, url in scar_urls(patient, scar):
        assert getattr(desk_client, method)(url).status_code == 403, url
    chart = desk_client.get(f"/patients/{patient.pk}/?tab=scars").content.decode()
    assert 'id="scars"' not in chart and "face-svg" not in chart


def test_dermatologist_sees_the_register_and_the_chart_panel(derm_client, patient, scar):
    page = derm_client.get(register_url(patient)).content.decode()
    assert 'data-number="1"' in page and "Place a scar" in page
    assert "<script>" not in page  # CSP: the page's script is a file
    chart = derm_client.get(f"/patients/{patient.pk}/?tab=scars").content.decode()
    assert 'id="scars"' in chart and 'data-number="1"' in chart


def test_viewing_is_logged(derm_client, patient, scar):
    from patients.models import AccessLog

    derm_client.get(register_url(patient))
    derm_client.get(f"/treatments/scars/{scar.pk}/")
    assert AccessLog.objects.filter(patient=patient).count() >= 2


def test_place_by_tap_keeps_the_details_for_the_next(derm_client, patient):
    data = {"scar_type": "ice_pick", "width_mm": "1", "depth": "deep", "view": "frontal"}
    response = derm_client.post(register_url(patient), data | {"x": "0.3", "y": "0.55"})
    assert response.status_code == 302
    assert "scar_type=ice_pick" in response["Location"] and "view=frontal" in response["Location"]
    scar = Scar.objects.get()
    assert (scar.number, scar.region, scar.status) == (1, "right_cheek", "active")
    form = derm_client.get(response["Location"]).context["form"]
    assert form["depth"].value() == "deep"


def test_place_by_region_without_a_tap(derm_client, patient):
    data = {"scar_type": "boxcar", "view": "left", "place_region": "left_cheek"}
    assert derm_client.post(register_url(patient), data).status_code == 302
    assert Scar.objects.get().region == "left_cheek"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"view": "frontal"}, "Tap the diagram"),
        ({"view": "frontal", "x": "1.5", "y": "0.5"}, "from 0 to 1"),
        ({"view": "left", "place_region": "right_cheek"}, "does not show"),
        ({"view": "frontal", "x": "abc", "y": "0.5"}, "Enter a number"),
        ({"view": "top", "x": "0.5", "y": "0.5"}, "Select a valid choice"),
    ],
)
def test_bad_placements_are_explained(derm_client, patient, data, message):
    response = derm_client.post(register_url(patient), {"scar_type": "ice_pick"} | data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Scar.objects.exists()


def test_record_status_and_see_it_over_visits(derm_client, scar):
    today = timezone.localdate()
    url = f"/treatments/scars/{scar.pk}/status/"
    response = derm_client.post(url, {"status": "resolved", "recorded_on": today.isoformat()})
    assert response.status_code == 302
    scar.refresh_from_db()
    assert scar.status == "resolved"
    page = derm_client.get(f"/treatments/scars/{scar.pk}/").content.decode()
    assert "Resolved" in page and "Placed" in page
    future = (today + dt.timedelta(days=2)).isoformat()
    response = derm_client.post(url, {"status": "active", "recorded_on": future})
    assert "cannot be recorded in the future" in response.content.decode()


def test_archive_needs_a_reason_and_keeps_the_number(derm_client, patient, dermatologist, scar):
    derm_client.post(f"/treatments/scars/{scar.pk}/archive/", {"reason": ""})
    scar.refresh_from_db()
    assert not scar.is_archived
    derm_client.post(f"/treatments/scars/{scar.pk}/archive/", {"reason": "placed by mistake"})
    scar.refresh_from_db()
    assert scar.is_archived and scar.archive_reason == "placed by mistake"
    assert 'data-number="1"' not in derm_client.get(register_url(patient)).content.decode()
    assert place_scar(patient, dermatologist).number == 2
    today = timezone.localdate().isoformat()
    derm_client.post(
        f"/treatments/scars/{scar.pk}/status/", {"status": "resolved", "recorded_on": today}
    )
    scar.refresh_from_db()
    assert scar.status == "active"


def test_archived_patient_scars_are_read_only(derm_client, patient, dermatologist, scar):
    patient.archive(reason="duplicate record", by=dermatologist)
    today = timezone.localdate().isoformat()
    response = derm_client.post(
        f"/treatments/scars/{scar.pk}/status/", {"status": "resolved", "recorded_on": today}
    )
    assert response.status_code in (302, 200)
    scar.refresh_from_db()
    assert scar.status == "active"
    response = derm_client.post(register_url(patient), {"view": "frontal", "x": "0.5", "y": "0.5"})
    assert response.status_code in (302, 200)
    assert Scar.objects.count() == 1


def test_amend_moves_the_scar_and_its_region(derm_client, scar):
    data = {"scar_type": "ice_pick", "view": "frontal", "x": "0.3", "y": "0.55", "depth": "deep"}
    assert derm_client.post(f"/treatments/scars/{scar.pk}/", data).status_code == 302
    scar.refresh_from_db()
    assert scar.region == "right_cheek"
    assert scar.history.count() == 2


def test_cross_session_picks_scars_and_the_count_follows(derm_client, patient, dermatologist):
    scars = [place_scar(patient, dermatologist, x=0.7, y=0.5 + i / 100) for i in range(3)]
    form = derm_client.get(f"/treatments/patients/{patient.pk}/sessions/new/?add=cross")
    assert "data-scar-pick" in form.content.decode()
    row = CROSS | {"scars": [str(scars[0].pk), str(scars[2].pk)], "scars_treated": "14"}
    response = derm_client.post(
        f"/treatments/patients/{patient.pk}/sessions/new/", session_data(dermatologist, cross=[row])
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    procedure = CrossProcedure.objects.get()
    assert procedure.scars_treated == 2
    assert sorted(ScarTreatment.objects.values_list("scar__number", flat=True)) == [1, 3]
    detail = derm_client.get(response["Location"]).content.decode()
    assert "Scars from the register:" in detail
    assert f'href="/treatments/scars/{scars[2].pk}/">3</a>' in detail


def test_punch_session_picks_scars(derm_client, patient, dermatologist):
    scar = place_scar(patient, dermatologist)
    punch = {
        "technique": "elevation",
        "punch_diameter_mm": "2",
        "closure": "adhesive_strips",
        "scars": [str(scar.pk)],
    }
    response = derm_client.post(
        f"/treatments/patients/{patient.pk}/sessions/new/",
        session_data(dermatologist, punch=[punch]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    link = ScarTreatment.objects.get()
    assert link.punch.scars_treated == 1 and link.cross is None


def test_picking_a_scar_of_another_patient_is_refused(derm_client, patient, dermatologist):
    from tests.factories import PatientFactory

    place_scar(patient, dermatologist)
    other = place_scar(PatientFactory(), dermatologist)
    row = CROSS | {"scars": [str(other.pk)]}
    response = derm_client.post(
        f"/treatments/patients/{patient.pk}/sessions/new/", session_data(dermatologist, cross=[row])
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ScarTreatment.objects.exists()


def test_cross_picks_all_active_ice_pick_scars_in_a_region(derm_client, patient, dermatologist):
    place_scar(patient, dermatologist, x=0.7, y=0.5)  # left cheek
    place_scar(patient, dermatologist, x=0.72, y=0.55)  # left cheek
    place_scar(patient, dermatologist, x=0.72, y=0.6, scar_type="boxcar")  # left cheek
    place_scar(patient, dermatologist, x=0.3, y=0.5)  # right cheek
    row = CROSS | {"pick_region": "left_cheek"}
    response = derm_client.post(
        f"/treatments/patients/{patient.pk}/sessions/new/", session_data(dermatologist, cross=[row])
    )
    assert response.status_code == 302
    assert CrossProcedure.objects.get().scars_treated == 2


def test_amending_the_selection_relinks(derm_client, patient, dermatologist):
    scars = [place_scar(patient, dermatologist) for _ in range(2)]
    session = TreatmentSessionFactory(patient=patient, clinician=dermatologist)
    procedure = session.cross_procedures.get()
    scar_links_set(procedure=procedure, scars=scars)
    page = derm_client.get(f"/treatments/sessions/{session.pk}/amend/")
    assert page.content.decode().count('class="scar-mark picked"') == 2
    cross_form = page.context["formsets"][0].forms[0]
    assert sorted(cross_form["scars"].value()) == sorted(str(s.pk) for s in scars)
    # Untick one: the links and the count follow.
    data = session_data(dermatologist, cross=[CROSS | {"id": procedure.pk, "scars": [scars[1].pk]}])
    data |= {
        "cross-INITIAL_FORMS": "1",
        "performed_at": page.context["form"]["performed_at"].value().strftime("%Y-%m-%dT%H:%M"),
    }
    data["cross-0-session"] = session.pk
    response = derm_client.post(f"/treatments/sessions/{session.pk}/amend/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    procedure.refresh_from_db()
    assert procedure.scars_treated == 1
    assert list(ScarTreatment.objects.values_list("scar_id", flat=True)) == [scars[1].pk]


def test_map_queries_are_flat(derm_client, patient, dermatologist, django_assert_num_queries):
    session = TreatmentSessionFactory(
        patient=patient, clinician=dermatologist, procedures=[cross()]
    )
    procedure = session.cross_procedures.get()
    scars = [place_scar(patient, dermatologist, x=0.3, y=0.5) for _ in range(5)]
    scar_links_set(procedure=procedure, scars=scars)
    scar_status_record(
        scar=scars[0], status="improved", recorded_on=timezone.localdate(), by=dermatologist
    )
    for count in (5, 150):
        scars += [place_scar(patient, dermatologist, x=0.7, y=0.5) for _ in range(count - 5)]
        scar_links_set(procedure=procedure, scars=scars)
        assert Scar.objects.current().count() == count
        # 1 session, 2 user with permissions and role (one query), 3 patient, 4 access-log
        # insert, 5 scars with their number of treatments, 6 their treatments with session
        # dates, 7 their status changes.
        with django_assert_num_queries(7):
            assert derm_client.get(register_url(patient)).status_code == 200


def test_outcomes_report_shows_per_scar_response(derm_client, patient, dermatologist):
    scars = [place_scar(patient, dermatologist) for _ in range(2)]
    for weeks in (8, 4):
        performed_at = timezone.now() - dt.timedelta(weeks=weeks)
        session = TreatmentSessionFactory(
            patient=patient, clinician=dermatologist, performed_at=performed_at
        )
        scar_links_set(procedure=session.cross_procedures.get(), scars=scars)
    scar_status_record(
        scar=scars[0], status="improved", recorded_on=timezone.localdate(), by=dermatologist
    )
    response = derm_client.get("/treatments/reports/outcomes/")
    rows = {(r.modality, r.sessions): r for r in response.context["scar_response"]}
    assert (rows[("cross", "2")].scars, rows[("cross", "2")].responded) == (2, 1)
    assert 'id="scar-response-report"' in response.content.decode()


def test_per_scar_response_follows_the_report_filters(derm_client, patient, dermatologist):
    from tests.factories import UserFactory

    scars = [place_scar(patient, dermatologist) for _ in range(2)]
    for weeks in (8, 4):
        session = TreatmentSessionFactory(
            patient=patient,
            clinician=dermatologist,
            performed_at=timezone.now() - dt.timedelta(weeks=weeks),
        )
        scar_links_set(procedure=session.cross_procedures.get(), scars=scars)
    six_weeks_ago = timezone.localdate() - dt.timedelta(weeks=6)

    def rows(query: str) -> dict:
        page = derm_client.get(f"/treatments/reports/outcomes/?{query}")
        return {(r.modality, r.sessions): r.scars for r in page.context["scar_response"]}

    # Since six weeks ago only the later session counts: each scar has had one CROSS session.
    assert rows(f"start={six_weeks_ago.isoformat()}")[("cross", "1")] == 2
    assert rows(f"start={six_weeks_ago.isoformat()}")[("cross", "2")] == 0
    # Another dermatologist treated none of them.
    other = UserFactory(role=Role.DERMATOLOGIST)
    assert all(n == 0 for n in rows(f"dermatologist={other.pk}").values())
    assert rows("")[("cross", "2")] == 2


def test_chart_flags_non_responders_and_the_suggestion_can_be_dismissed(
    derm_client, patient, dermatologist
):
    scar = place_scar(patient, dermatologist)
    for weeks in (12, 8, 4):
        performed_at = timezone.now() - dt.timedelta(weeks=weeks)
        session = TreatmentSessionFactory(
            patient=patient, clinician=dermatologist, performed_at=performed_at
        )
        scar_links_set(procedure=session.cross_procedures.get(), scars=[scar])
    chart = derm_client.get(f"/patients/{patient.pk}/?tab=scars").content.decode()
    assert 'data-candidate="1"' in chart
    response = derm_client.post(
        f"/treatments/scars/{scar.pk}/dismiss-suggestion/", {"next": "chart"}
    )
    assert response["Location"].endswith(f"/patients/{patient.pk}/?tab=scars#scars")
    assert 'data-candidate="1"' not in derm_client.get(response["Location"]).content.decode()


def test_start_an_assessment_from_the_register(derm_client, patient, dermatologist):
    place_scar(patient, dermatologist, x=0.7, y=0.55)
    place_scar(patient, dermatologist, x=0.72, y=0.5)
    page = derm_client.get(register_url(patient))
    url = page.context["assessment_url"]
    assert "cell_left_cheek__ice_pick=2" in url
    form = derm_client.get(url).context["form"]
    assert form["cell_left_cheek__ice_pick"].value() == 2
    # Anything else in the link is ignored.
    bad = f"/patients/{patient.pk}/assessments/new/?cell_nose__ice_pick=-3&cell_x=4&assessor=9"
    form = derm_client.get(bad).context["form"]
    assert form["cell_nose__ice_pick"].value() is None


def test_scar_page_queries_are_flat(derm_client, patient, dermatologist):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    scar = place_scar(patient, dermatologist, x=0.3, y=0.5)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert derm_client.get(f"/treatments/scars/{scar.pk}/").status_code == 200
        return len(ctx.captured_queries)

    counts = []
    for sessions in (1, 8):
        while scar.treatments.count() < sessions:
            done = scar.treatments.count()
            session = TreatmentSessionFactory(
                patient=patient,
                clinician=dermatologist,
                performed_at=timezone.now() - dt.timedelta(weeks=20 - 2 * done),
            )
            scar_links_set(procedure=session.cross_procedures.get(), scars=[scar])
            scar_status_record(
                scar=scar,
                status="improved" if done % 2 else "active",
                recorded_on=timezone.localdate() - dt.timedelta(weeks=19 - 2 * done),
                by=dermatologist,
            )
        counts.append(queries())
    # Session, user with permissions and role, the scar with its patient, the access-log insert,
    # its history, its statuses, its treatments with their sessions, subcisions over its region:
    # the same for one treatment as for eight.
    assert counts == [8, 8]


def test_chart_scar_tab_queries_are_flat(derm_client, patient, dermatologist):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = TreatmentSessionFactory(
        patient=patient, clinician=dermatologist, procedures=[cross()]
    )
    procedure = session.cross_procedures.get()
    scars: list = []
    counts = []
    for count in (3, 60):
        scars += [
            place_scar(patient, dermatologist, x=0.5, y=0.5) for _ in range(count - len(scars))
        ]
        scar_links_set(procedure=procedure, scars=scars)
        with CaptureQueriesContext(connection) as ctx:
            response = derm_client.get(f"/patients/{patient.pk}/?tab=scars")
        assert response.context["tab"] == "scars"
        assert response.content.decode().count(' data-number="') >= count
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
