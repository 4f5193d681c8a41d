"""Treatment pages: who may open them, the warning and hard-stop flow, later additions."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import PatientFactory
from tests.treatments.factories import (
    AdverseEventFactory,
    TopicalRegimenFactory,
    TreatmentSessionFactory,
    cross,
    subcision,
)
from treatments.models import AdverseEvent, SkinTest, TopicalRegimen, TreatmentSession

MODALITIES = ["cross", "subcision", "punch", "laser", "peel", "filler"]


def session_data(clinician, **procedures) -> dict:
    """POST data for the session page; procedures as {"cross": [{...}], ...}."""
    data = {
        "performed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "clinician": clinician.pk,
        "consent_confirmed": "on",
        "anaesthesia": "topical",
        "anaesthesia_agent": "EMLA 45 min",
        "aftercare_given": "Bland emollient, SPF 50",
    }
    for modality in MODALITIES:
        rows = procedures.get(modality, [])
        data[f"{modality}-TOTAL_FORMS"] = str(len(rows))
        data[f"{modality}-INITIAL_FORMS"] = "0"
        for index, row in enumerate(rows):
            data.update({f"{modality}-{index}-{key}": value for key, value in row.items()})
    return data


CROSS = {"tca_concentration_percent": "100", "applicator": "wooden_stick", "frost_reached": "on",
         "scars_treated": "14", "regions": ["left_cheek", "right_cheek"]}  # fmt: skip
SUBCISION = {"instrument": "nokor", "gauge": "18", "regions": ["left_cheek"]}


@pytest.fixture
def session(patient, dermatologist):
    ten_days_ago = timezone.now() - dt.timedelta(days=10)
    return TreatmentSessionFactory(
        patient=patient, clinician=dermatologist, performed_at=ten_days_ago
    )


def urls(patient, session, regimen):
    return [
        ("get", f"/treatments/patients/{patient.pk}/sessions/new/"),
        ("get", f"/treatments/sessions/{session.pk}/"),
        ("get", f"/treatments/sessions/{session.pk}/amend/"),
        ("get", f"/treatments/sessions/{session.pk}/adverse-events/new/"),
        ("get", f"/treatments/patients/{patient.pk}/topicals/new/"),
        ("get", f"/treatments/topicals/{regimen.pk}/stop/"),
        ("get", f"/treatments/patients/{patient.pk}/skin-tests/new/"),
        ("post", f"/treatments/sessions/{session.pk}/archive/"),
    ]


@pytest.fixture
def regimen(patient):
    return TopicalRegimenFactory(patient=patient)


def test_anonymous_is_sent_to_sign_in(client, patient, session, regimen):
    for method, url in urls(patient, session, regimen):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_front_desk_is_refused_every_treatment_page(desk_client, patient, session, regimen):
    for method, url in urls(patient, session, regimen):
        assert getattr(desk_client, method)(url).status_code == 403, url
    chart = desk_client.get(f"/patients/{patient.pk}/").content.decode()
    assert "Treatment sessions" not in chart


@pytest.mark.parametrize("role", ["dermatologist", "clinic_admin"])
def test_clinical_roles_may_open_every_treatment_page(request, role, patient, session, regimen):
    client = client_for(request.getfixturevalue(role))
    for method, url in urls(patient, session, regimen)[:-1]:
        assert getattr(client, method)(url).status_code == 200, url


def test_skin_type_warning_must_be_ticked_before_the_session_is_saved(derm_client, dermatologist):
    patient = PatientFactory(fitzpatrick_type=5)
    url = f"/treatments/patients/{patient.pk}/sessions/new/"
    data = session_data(dermatologist, cross=[CROSS], subcision=[SUBCISION])

    first = derm_client.post(url, data)
    assert first.status_code == 200
    assert [w.code for w in first.context["warnings"]] == ["pih_skin_type"]
    assert "Nothing has been saved yet" in first.content.decode()
    assert TreatmentSession.objects.count() == 0

    second = derm_client.post(url, {**data, "acknowledge": ["pih_skin_type"]}, follow=True)
    session = TreatmentSession.objects.get()
    assert second.redirect_chain == [(f"/treatments/sessions/{session.pk}/", 302)]
    assert f"Next session due {session.next_session_due:%d %b %Y}" in second.content.decode()
    assert session.acknowledged_warnings.get().acknowledged_by == dermatologist
    assert session.cross_procedures.get().regions == ["left_cheek", "right_cheek"]


def test_hard_stop_is_shown_on_the_filler_and_nothing_is_saved(derm_client, dermatologist, patient):
    filler = {"product": "Bellafill", "material": "pmma_collagen", "lot_number": "BF-1",
              "expiry_date": "2099-01-01", "volume_ml": "0.5", "device": "needle", "gauge": "26",
              "depth": "subdermal", "technique": "linear_threading"}  # fmt: skip
    response = derm_client.post(
        f"/treatments/patients/{patient.pk}/sessions/new/",
        session_data(dermatologist, subcision=[SUBCISION], filler=[filler]),
    )
    filler_form = next(fs for fs in response.context["formsets"] if fs.prefix == "filler").forms[0]
    assert filler_form.non_field_errors() == [
        "PMMA-collagen filler needs a negative skin test recorded for this patient "
        "before treatment."
    ]
    assert TreatmentSession.objects.count() == 0


@pytest.mark.parametrize(
    ("modality", "row", "field"),
    [
        ("cross", {**CROSS, "tca_concentration_percent": "5"}, "tca_concentration_percent"),
        ("cross", {**CROSS, "tca_concentration_percent": "abc"}, "tca_concentration_percent"),
        (
            "filler",
            {
                "product": "Restylane",
                "material": "hyaluronic_acid",
                "lot_number": "",
                "expiry_date": "2099-01-01",
                "volume_ml": "0.5",
                "device": "needle",
                "depth": "intradermal",
                "technique": "serial_puncture",
            },
            "lot_number",
        ),
        (
            "punch",
            {"technique": "elevation", "punch_diameter_mm": "5", "closure": "tissue_glue"},
            "punch_diameter_mm",
        ),
    ],
    ids=["TCA below 10 %", "TCA not a number", "filler without lot", "punch 5 mm"],
)
def test_bad_parameters_are_refused_next_to_the_field(
    derm_client, dermatologist, patient, modality, row, field
):
    response = derm_client.post(
        f"/treatments/patients/{patient.pk}/sessions/new/",
        session_data(dermatologist, **{modality: [row]}),
    )
    assert response.status_code == 200
    formset = next(fs for fs in response.context["formsets"] if fs.prefix == modality)
    assert field in formset.forms[0].errors
    assert "__all__" not in formset.forms[0].errors  # no raw constraint message
    assert f'id="error_1_id_{modality}-0-{field}"' in response.content.decode()
    assert TreatmentSession.objects.count() == 0


def test_missing_consent_and_no_procedure_are_refused(derm_client, dermatologist, patient):
    data = session_data(dermatologist)
    del data["consent_confirmed"]
    response = derm_client.post(f"/treatments/patients/{patient.pk}/sessions/new/", data)
    assert response.context["form"].errors["consent_confirmed"] == [
        "Confirm the patient's consent for today's treatment."
    ]
    data["consent_confirmed"] = "on"
    response = derm_client.post(f"/treatments/patients/{patient.pk}/sessions/new/", data)
    assert response.context["form"].non_field_errors() == [
        "Add at least one procedure to the session."
    ]
    assert TreatmentSession.objects.count() == 0


def test_amending_a_procedure_shows_in_the_history(derm_client, dermatologist, session):
    procedure = session.cross_procedures.get()
    data = session_data(dermatologist)
    data.update(
        {
            "performed_at": timezone.localtime(session.performed_at).strftime("%Y-%m-%dT%H:%M"),
            "cross-TOTAL_FORMS": "1",
            "cross-INITIAL_FORMS": "1",
            "cross-0-id": str(procedure.pk),
            "cross-0-session": str(session.pk),
            **{f"cross-0-{k}": v for k, v in CROSS.items()},
            "cross-0-tca_concentration_percent": "80",
        }
    )
    response = derm_client.post(f"/treatments/sessions/{session.pk}/amend/", data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    page = derm_client.get(f"/treatments/sessions/{session.pk}/").content.decode()
    assert "TCA concentration (%): <del>100.0</del> → <ins>80.0</ins>" in page
    assert TreatmentSession.objects.count() == 1


def test_adverse_event_is_added_at_a_later_visit(derm_client, session):
    onset = session.performed_on + dt.timedelta(days=3)
    response = derm_client.post(
        f"/treatments/sessions/{session.pk}/adverse-events/new/",
        {"event_type": "pih", "severity": "moderate", "onset_on": onset.isoformat()},
    )
    assert response.status_code == 302
    event = AdverseEvent.objects.get()
    assert (event.event_type, event.recorded_by.username) == ("pih", "alice")
    chart = derm_client.get(f"/patients/{session.patient_id}/").content.decode()
    assert 'data-adverse-event="pih"' in chart


def test_adverse_event_cannot_resolve_before_it_began(derm_client, session):
    onset = session.performed_on + dt.timedelta(days=3)
    response = derm_client.post(
        f"/treatments/sessions/{session.pk}/adverse-events/new/",
        {
            "event_type": "pih",
            "severity": "mild",
            "onset_on": onset.isoformat(),
            "resolved_on": (onset - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "An event cannot resolve before it began." in response.content.decode()
    assert AdverseEvent.objects.count() == 0


def test_topical_regimen_starts_and_stops_without_losing_the_row(derm_client, patient):
    response = derm_client.post(
        f"/treatments/patients/{patient.pk}/topicals/new/",
        {"agent": "adapalene", "strength_percent": "0.3", "frequency": "nightly",
         "started_on": "2026-01-05"},
    )  # fmt: skip
    assert response.status_code == 302
    regimen = TopicalRegimen.objects.get()
    bad = derm_client.post(f"/treatments/topicals/{regimen.pk}/stop/", {"stopped_on": "2025-12-01"})
    assert "A regimen cannot stop before it started." in bad.content.decode()
    derm_client.post(f"/treatments/topicals/{regimen.pk}/stop/", {"stopped_on": "2026-03-01"})
    regimen.refresh_from_db()
    assert regimen.stopped_on == dt.date(2026, 3, 1)


def test_skin_test_read_before_it_was_placed_is_refused(derm_client, patient):
    response = derm_client.post(
        f"/treatments/patients/{patient.pk}/skin-tests/new/",
        {"product": "Bellafill", "material": "pmma_collagen", "tested_on": "2026-02-01",
         "read_on": "2026-01-01", "result": "negative"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "A skin test is read after it is placed." in response.content.decode()
    assert SkinTest.objects.count() == 0


def test_chart_filters_sessions_by_modality(derm_client, dermatologist, patient):
    from tests.treatments.factories import subcision

    TreatmentSessionFactory(patient=patient, clinician=dermatologist)
    TreatmentSessionFactory(
        patient=patient,
        clinician=dermatologist,
        performed_at=timezone.now() - dt.timedelta(days=60),
        procedures=[subcision()],
    )
    cross_only = derm_client.get(f"/patients/{patient.pk}/?tab=treatments&modality=cross")
    panel = next(p for p in cross_only.context["panels"] if p.name == "treatments").context
    assert [s.modalities()[0].value for s in panel["sessions"]] == ["cross"]
    everything = derm_client.get(f"/patients/{patient.pk}/?tab=treatments")
    panel = next(p for p in everything.context["panels"] if p.name == "treatments").context
    assert len(panel["sessions"]) == 2
    assert "?tab=treatments&amp;modality=subcision#treatments" in everything.content.decode()


def test_archived_session_leaves_the_timeline(derm_client, session):
    derm_client.post(f"/treatments/sessions/{session.pk}/archive/", {"reason": "Wrong patient"})
    session.refresh_from_db()
    assert session.archive_reason == "Wrong patient"
    response = derm_client.get(f"/patients/{session.patient_id}/?tab=treatments")
    panel = next(p for p in response.context["panels"] if p.name == "treatments").context
    assert panel["sessions"] == []
    summary = derm_client.get(f"/patients/{session.patient_id}/")
    assert (
        next(p for p in summary.context["panels"] if p.name == "latest_session").context["latest"]
        is None
    )


def test_opening_a_session_is_written_to_the_access_log(derm_client, session):
    from patients.models import AccessLog

    derm_client.get(f"/treatments/sessions/{session.pk}/")
    assert AccessLog.objects.get(object_type="treatments.TreatmentSession").object_id == str(
        session.pk
    )


def test_adverse_event_factory_is_sane(db):
    assert AdverseEventFactory().session.pk is not None


def test_new_session_page_starts_with_now_and_the_signed_in_clinician(
    derm_client, dermatologist, patient
):
    form = derm_client.get(f"/treatments/patients/{patient.pk}/sessions/new/").context["form"]
    assert form["clinician"].value() == dermatologist.pk
    started = form["performed_at"].value()
    # Shown in the clinic's local time, as the datetime-local input expects.
    assert abs(timezone.localtime().replace(tzinfo=None) - started) < dt.timedelta(minutes=2)


def test_front_desk_sees_when_the_next_session_is_due_and_can_book_it(
    desk_client, dermatologist, patient, session
):
    chart = desk_client.get(f"/patients/{patient.pk}/").content.decode()
    due = session.next_session_due
    assert f"Next treatment session due <strong>{due:%-d %b %Y}</strong> (CROSS (TCA))" in chart
    book = (
        f"/schedule/book/?patient={patient.pk}&amp;date={due.isoformat()}"
        f"&amp;kind=cross&amp;dermatologist={dermatologist.pk}"
    )
    assert f'href="{book}"' in chart
    assert "TCA 100" not in chart  # no procedure details for front desk


def test_the_book_it_link_opens_the_booking_form_prefilled(desk_client, patient, session):
    chart = desk_client.get(f"/patients/{patient.pk}/")
    panel = next(p for p in chart.context["panels"] if p.name == "next_session").context
    form = desk_client.get(panel["book_next_url"]).context["form"]
    assert form["kind"].value() == "cross"
    assert str(form["date"].value()) == session.next_session_due.isoformat()
    assert form["patient"].value() == patient.pk


def test_a_session_links_to_todays_appointment_by_default(derm_client, dermatologist, patient):
    from tests.scheduling.factories import AppointmentFactory

    now = timezone.localtime()
    start = now.replace(hour=9, minute=0, second=0, microsecond=0)
    appointment = AppointmentFactory(
        patient=patient, dermatologist=dermatologist, starts_at=start,
        ends_at=start + dt.timedelta(minutes=30), kind="cross",
    )  # fmt: skip
    form = derm_client.get(f"/treatments/patients/{patient.pk}/sessions/new/").context["form"]
    assert form["appointment"].value() == appointment.pk
    response = derm_client.post(
        f"/treatments/patients/{patient.pk}/sessions/new/",
        {**session_data(dermatologist, subcision=[SUBCISION]), "appointment": appointment.pk},
    )
    assert response.status_code == 302
    assert TreatmentSession.objects.get().appointment == appointment


def test_another_patients_appointment_cannot_be_linked(derm_client, dermatologist, patient):
    from tests.scheduling.factories import AppointmentFactory

    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    other = AppointmentFactory(
        dermatologist=dermatologist, starts_at=start, ends_at=start + dt.timedelta(minutes=30)
    )
    response = derm_client.post(
        f"/treatments/patients/{patient.pk}/sessions/new/",
        {**session_data(dermatologist, subcision=[SUBCISION]), "appointment": other.pk},
    )
    assert "appointment" in response.context["form"].errors
    assert TreatmentSession.objects.count() == 0


@pytest.mark.parametrize("status", ["cancelled", "no_show"])
def test_a_visit_that_did_not_happen_is_not_offered_for_the_session(
    derm_client, dermatologist, patient, status
):
    from tests.scheduling.factories import AppointmentFactory

    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    kept = AppointmentFactory(
        patient=patient, dermatologist=dermatologist, starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
    )  # fmt: skip
    missed = AppointmentFactory(
        patient=patient, dermatologist=dermatologist, starts_at=start + dt.timedelta(hours=1),
        ends_at=start + dt.timedelta(hours=1, minutes=30), status=status,
        cancellation_reason="Patient unwell" if status == "cancelled" else "",
    )  # fmt: skip
    form = derm_client.get(f"/treatments/patients/{patient.pk}/sessions/new/").context["form"]
    offered = list(form.fields["appointment"].queryset)
    assert kept in offered
    assert missed not in offered


def test_chart_summary_shows_the_latest_session_and_side_effects_still_ongoing(
    derm_client, desk_client, dermatologist, patient
):
    from tests.treatments.factories import AdverseEventFactory, subcision

    earlier = TreatmentSessionFactory(
        patient=patient,
        clinician=dermatologist,
        performed_at=timezone.now() - dt.timedelta(days=90),
    )
    AdverseEventFactory(session=earlier, event_type="pih")  # still ongoing
    AdverseEventFactory(
        session=earlier,
        event_type="infection",
        resolved_on=earlier.performed_on + dt.timedelta(days=10),
    )  # over: not on the summary
    latest = TreatmentSessionFactory(
        patient=patient,
        clinician=dermatologist,
        procedures=[subcision()],
        next_session_due=timezone.localdate() - dt.timedelta(days=1),
    )
    response = derm_client.get(f"/patients/{patient.pk}/")
    panel = next(p for p in response.context["panels"] if p.name == "latest_session").context
    assert panel["latest"].pk == latest.pk
    assert (panel["total"], panel["modalities"], panel["overdue"]) == (2, "Subcision", True)
    assert [e.event_type for e in panel["adverse_events"]] == ["pih"]
    content = response.content.decode()
    assert 'data-adverse-event="pih"' in content and "ongoing since" in content
    assert "All 2 sessions" in content
    # Front desk: the next session due to book, none of the clinical detail.
    desk = desk_client.get(f"/patients/{patient.pk}/").content.decode()
    assert "Latest treatment" not in desk and 'data-adverse-event="pih"' not in desk
    assert "Next treatment session due" in desk


@pytest.mark.parametrize("crosses", [1, 4])
def test_session_page_queries_are_flat_in_procedures_and_side_effects(
    derm_client, patient, dermatologist, crosses, django_assert_num_queries
):
    regions = ["left_cheek", "right_cheek", "forehead", "chin"]
    session = TreatmentSessionFactory(
        patient=patient,
        clinician=dermatologist,
        procedures=[cross(regions=[region]) for region in regions[:crosses]],
    )
    for _ in range(crosses - 1):
        AdverseEventFactory(session=session)
    # Session, user with permissions and role; the session with its patient, clinician, visit and
    # modalities; its CROSS rows and side effects (the five other procedure tables are known
    # empty and not read); access-log insert; the session's history and its CROSS rows' history;
    # linked scars; acknowledged warnings.
    with django_assert_num_queries(SESSION_PAGE_QUERIES):
        response = derm_client.get(f"/treatments/sessions/{session.pk}/")
    assert len(response.context["procedures"]) == crosses
    added = [e for e in response.context["history"] if e.kind.endswith(" added")]
    assert len(added) == crosses


def test_each_modality_a_session_has_costs_two_queries_on_its_page(
    derm_client, patient, dermatologist, django_assert_num_queries
):
    session = TreatmentSessionFactory(
        patient=patient, clinician=dermatologist, procedures=[cross(), subcision()]
    )
    # Its rows and their history.
    with django_assert_num_queries(SESSION_PAGE_QUERIES + 2):
        response = derm_client.get(f"/treatments/sessions/{session.pk}/")
    assert {type(p).__name__ for p in response.context["procedures"]} == {
        "CrossProcedure",
        "SubcisionProcedure",
    }


SESSION_PAGE_QUERIES = 10
