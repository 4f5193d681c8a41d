"""Photo consent pages: recording consent, its dates and the one-current-per-use rule, and
withdrawal that keeps the consent on the record."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from patients.models import PhotoConsent
from tests.patients.test_patient_views import consent_cell, j_m_y

pytestmark = pytest.mark.django_db

# Photo consent


def test_front_desk_records_consent_and_the_chart_shows_it_given(desk_client, front_desk, patient):
    given_on = timezone.localdate() - dt.timedelta(days=3)

    response = desk_client.post(
        reverse("patients:consent_create", args=[patient.pk]),
        {"use": "clinical", "given_on": given_on.isoformat(), "notes": "Form v3 signed"},
        follow=True,
    )

    consent = PhotoConsent.objects.get()
    assert response.redirect_chain == [(f"/patients/{patient.pk}/", 302)]
    assert "Recorded consent: clinical record." in response.content.decode()
    assert (consent.patient, consent.use, consent.given_on) == (patient, "clinical", given_on)
    assert consent.recorded_by == front_desk
    assert consent_cell(response, "clinical").startswith(
        f'<span>Clinical record</span> <span><span class="badge text-bg-success">Given '
        f"{j_m_y(given_on)}</span>"
    )
    assert "Not given" in consent_cell(response, "teaching")


def test_consent_dated_in_the_future_is_refused(desk_client, patient):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = desk_client.post(
        reverse("patients:consent_create", args=[patient.pk]),
        {"use": "clinical", "given_on": tomorrow.isoformat()},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "given_on": ["Consent cannot be dated in the future."]
    }
    assert PhotoConsent.objects.count() == 0


def test_second_current_consent_for_the_same_use_is_a_form_error(desk_client, patient, consent):
    response = desk_client.post(
        reverse("patients:consent_create", args=[patient.pk]),
        {"use": "clinical", "given_on": timezone.localdate().isoformat()},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert (
        "Consent for this use is already in force. Withdraw it first to record a new one."
        in content
    )
    assert PhotoConsent.objects.count() == 1


def test_withdrawal_dated_before_the_consent_is_a_form_error(derm_client, patient, consent):
    day_before = consent.given_on - dt.timedelta(days=1)

    response = derm_client.post(
        reverse("patients:consent_withdraw", args=[patient.pk, consent.pk]),
        {"withdrawn_on": day_before.isoformat()},
    )

    message = f"A withdrawal cannot be dated before the consent ({consent.given_on:%d %b %Y})."
    assert response.status_code == 200
    assert response.context["form"].errors == {"withdrawn_on": [message]}
    assert message in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_withdrawal_dated_in_the_future_is_a_form_error(derm_client, patient, consent):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = derm_client.post(
        reverse("patients:consent_withdraw", args=[patient.pk, consent.pk]),
        {"withdrawn_on": tomorrow.isoformat()},
    )

    assert response.context["form"].errors == {
        "withdrawn_on": ["A withdrawal cannot be dated in the future."]
    }
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_withdrawal_keeps_the_consent_and_the_chart_shows_not_given(
    derm_client, dermatologist, patient, consent
):
    today = timezone.localdate()

    response = derm_client.post(
        reverse("patients:consent_withdraw", args=[patient.pk, consent.pk]),
        {"withdrawn_on": today.isoformat()},
        follow=True,
    )

    assert response.redirect_chain == [(f"/patients/{patient.pk}/", 302)]
    assert "Recorded withdrawal: clinical record." in response.content.decode()
    kept = PhotoConsent.objects.get(pk=consent.pk)
    assert kept.withdrawn_on == today
    assert kept.withdrawal_recorded_by == dermatologist
    assert "Not given" in consent_cell(response, "clinical")


def test_a_withdrawn_consent_cannot_be_withdrawn_again(derm_client, patient, consent):
    url = reverse("patients:consent_withdraw", args=[patient.pk, consent.pk])
    first = consent.given_on + dt.timedelta(days=1)
    derm_client.post(url, {"withdrawn_on": first.isoformat()})

    page = derm_client.get(url)
    again = derm_client.post(url, {"withdrawn_on": timezone.localdate().isoformat()})

    assert f"This consent was already withdrawn on {j_m_y(first)}." in page.content.decode()
    assert again.status_code == 200
    consent.refresh_from_db()
    assert consent.withdrawn_on == first
