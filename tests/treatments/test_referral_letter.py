"""The letter to the referrer or GP: prefilled, editable, saved with history, printed."""

import datetime as dt

import pytest

from patients.models import AccessLog
from tests.conftest import client_for
from tests.factories import PatientFactory
from tests.treatments.factories import AdverseEventFactory, TopicalRegimenFactory
from tests.treatments.test_progress_views import history
from treatments.models import ReferralLetter

pytestmark = pytest.mark.django_db


def new_url(patient) -> str:
    return f"/treatments/patients/{patient.pk}/letters/new/"


def make_letter(patient, author) -> ReferralLetter:
    return ReferralLetter.objects.create(
        patient=patient,
        recipient="Dr Jane Smith",
        subject="Progress",
        body="Text",
        created_by=author,
    )


@pytest.mark.parametrize("path", ["new", "edit", "print"])
def test_anonymous_redirected_and_front_desk_refused(
    client, desk_client, dermatologist, patient, path
):
    letter = make_letter(patient, dermatologist)
    url = {
        "new": new_url(patient),
        "edit": f"/treatments/letters/{letter.pk}/",
        "print": f"/treatments/letters/{letter.pk}/print/",
    }[path]
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert desk_client.get(url).status_code == 403


def test_draft_is_prefilled_from_the_record(derm_client, dermatologist, patient):
    first, _ = history(patient, dermatologist)
    AdverseEventFactory(session=first, event_type="pih")
    TopicalRegimenFactory(patient=patient)
    response = derm_client.get(new_url(patient))
    assert response.status_code == 200
    body = response.context["form"].initial["body"]
    assert patient.mrn in body
    assert "- Ice pick scars: 12 to 3 (-9, -75.0 %)" in body
    assert "- CROSS (TCA): 05 Jan 2026, 09 Feb 2026" in body
    assert "- Subcision: 09 Feb 2026" in body
    assert "Hyperpigmentation (PIH)" in body
    assert "Adapalene" in body
    assert "Alice" in body


def test_letter_saved_edited_with_history_and_printed(derm_client, dermatologist, clinic_admin):
    patient = PatientFactory()
    response = derm_client.post(
        new_url(patient),
        {
            "recipient": "Dr Jane Smith",
            "recipient_address": "1 High St",
            "subject": "Progress",
            "body": "First",
        },
    )
    letter = ReferralLetter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/treatments/letters/{letter.pk}/print/"
    admin = client_for(clinic_admin)
    response = admin.post(
        f"/treatments/letters/{letter.pk}/",
        {
            "recipient": "Dr Jane Smith",
            "recipient_address": "1 High St",
            "subject": "Progress",
            "body": "Edited",
        },
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.body == "Edited" and letter.updated_by == clinic_admin
    assert letter.history.count() == 2
    page = derm_client.get(f"/treatments/letters/{letter.pk}/")
    assert any(c.new == "Edited" for e in page.context["history"] for c in e.changes)
    printed = derm_client.get(f"/treatments/letters/{letter.pk}/print/")
    assert printed.status_code == 200
    assert b"Dr Jane Smith" in printed.content and b"Edited" in printed.content
    assert AccessLog.objects.filter(action=AccessLog.Action.PRINT, patient=patient).exists()


def test_letter_page_query_count_is_flat(
    derm_client, dermatologist, patient, django_assert_max_num_queries
):
    history(patient, dermatologist, sessions=1)
    with django_assert_max_num_queries(18):
        derm_client.get(new_url(patient))
    history(patient, dermatologist, sessions=6, start=dt.date(2025, 1, 1))
    with django_assert_max_num_queries(18):
        assert derm_client.get(new_url(patient)).status_code == 200


def test_the_progress_timeline_links_the_patients_letters_newest_first(
    derm_client, dermatologist, patient
):
    older = make_letter(patient, dermatologist)
    ReferralLetter.objects.filter(pk=older.pk).update(
        recipient="Dr A. Older & Co", created_at=older.created_at - dt.timedelta(days=3)
    )
    newer = make_letter(patient, dermatologist)
    make_letter(PatientFactory(), dermatologist)  # another patient's
    html = derm_client.get(f"/patients/{patient.pk}/?tab=progress").content.decode()
    links = html.split("data-letters>", 1)[1].split("</p>", 1)[0]
    assert links.count("<a ") == 2
    assert links.index(f"/letters/{newer.pk}/") < links.index(f"/letters/{older.pk}/")
    assert "Dr A. Older &amp; Co" in links
    assert newer.updated_at.strftime("%-d %b %Y") in links
