"""The admin lists of the big tables (clinic.paging.LargeTableAdmin) write their rows with
`{% large_result_list %}` and their actions drop-down with quick widgets: the same markup as
Django's `{% result_list %}` and form widgets, tick boxes, links to each record (keeping the
list's filters), dates, choices and empty values included."""

import datetime as dt
import re

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.admin.helpers import ActionForm
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from django.utils.translation import _trans, override

from clinic.lib.quick_widgets import QuickHiddenInput, QuickSelect
from clinic.templatetags.clinic_admin_list import _Dates
from scheduling.models import Appointment
from tests.clinic.test_admin_query_budget import _fill
from tests.factories import PatientFactory
from tests.treatments.factories import TreatmentSessionFactory
from treatments.models import TreatmentSession

pytestmark = pytest.mark.django_db


def _form(client, url: str) -> str:
    """The list's form: actions drop-down, table and tick boxes (less the CSRF token, new on
    every page)."""
    html = client.get(url).content.decode()
    match = re.search(r'<form id="changelist-form".*?</form>', html, re.S)
    assert match, url
    form = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", match.group(0))
    return re.sub(r"\s+", " ", form)


def _table(client, url: str) -> str:
    match = re.search(r'<table id="result_list">.*?</table>', _form(client, url), re.S)
    assert match, url
    return match.group(0)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/treatments/treatmentsession/",
        "/admin/treatments/treatmentsession/?modality=cross&o=-2",
        "/admin/scheduling/appointment/",
        "/admin/scheduling/appointment/?status__exact=booked&o=3",
        "/admin/patients/patient/?q=smith",
        "/admin/patients/accesslog/",
    ],
)
def test_a_big_tables_list_reads_as_djangos_own(admin_client_, monkeypatch, url):
    _fill(3)
    Appointment.objects.filter(pk=Appointment.objects.first().pk).update(booked_by=None)
    fast = _form(admin_client_, url)
    model_admin = admin_client_.get(url).context["cl"].model_admin
    monkeypatch.setattr(model_admin, "change_list_template", None)  # Django's change_list.html
    monkeypatch.setattr(model_admin, "action_form", ActionForm)  # and its actions form
    assert _form(admin_client_, url) == fast


def test_each_row_links_to_its_record_with_the_lists_filters(admin_client_):
    _fill(2)
    html = _table(admin_client_, "/admin/treatments/treatmentsession/?modality=cross")
    for session in TreatmentSession.objects.all():
        assert f'value="{session.pk}" class="action-select"' in html
        link = f"/admin/treatments/treatmentsession/{session.pk}/change/"
        assert f'<a href="{link}?_changelist_filters=modality%3Dcross">' in html


def test_the_big_tables_use_the_large_list_template():
    for model in [TreatmentSession, Appointment]:
        model_admin = admin.site._registry[model]
        assert model_admin.change_list_template == "admin/large_change_list.html"


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2026, 6, 8, 0, 0, tzinfo=dt.UTC),  # midnight in UTC, 1 a.m. in London
        dt.datetime(2026, 1, 8, 0, 0, tzinfo=dt.UTC),  # midnight in London too
        dt.datetime(2026, 1, 8, 12, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 8, 12, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 8, 0, 5, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 29, 9, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 31, 23, 59, tzinfo=dt.UTC),
        dt.date(2026, 5, 1),
        dt.date(987, 11, 30),
    ],
)
def test_dates_are_written_as_djangos_localize_writes_them(value):
    dates = _Dates()
    assert dates.fast_date and dates.fast_datetime  # the clinic's formats take the quick way
    if isinstance(value, dt.datetime):
        assert dates.datetime(value) == localize(template_localtime(value))
    else:
        assert dates.date(value) == localize(value)


def test_the_tick_box_is_djangos_own(dermatologist):
    patient = PatientFactory(first_name='Zoë "Z"', last_name="O'Brien & <Co>")
    session = TreatmentSessionFactory(patient=patient, clinician=dermatologist)
    model_admin = admin.site._registry[TreatmentSession]
    assert model_admin.action_checkbox(session) == ModelAdmin.action_checkbox(model_admin, session)


CHOICES = [("", "---------"), ("archive", 'Archive <selected> & "x"'), ("Group", [("a", "A")])]


@pytest.mark.parametrize("value", ["", "archive", "a", None])
def test_the_quick_widgets_write_djangos_markup(value):
    attrs = {"required": True, "aria-describedby": 'x"y', "hidden": False}
    expected = forms.Select(choices=CHOICES).render("action", value, attrs)
    assert QuickSelect(choices=CHOICES).render("action", value, attrs) == expected
    hidden = {"class": "select-across"}
    expected = forms.HiddenInput(hidden).render("select_across", value)
    assert QuickHiddenInput(hidden).render("select_across", value) == expected


@pytest.fixture
def translations_on(settings):
    """Translation machinery on, as a clinic that turned USE_I18N back on would have it (Django
    picks its translation functions once: they are forgotten on the way in and out)."""
    original = settings.USE_I18N
    settings.USE_I18N = True
    _trans.__dict__.clear()
    yield
    settings.USE_I18N = original
    _trans.__dict__.clear()


def test_the_tick_box_is_labelled_in_the_active_language(db, translations_on):
    session = TreatmentSessionFactory()
    model_admin = admin.site._registry[TreatmentSession]
    english = model_admin.action_checkbox(session)
    with override("fr"):
        french = model_admin.action_checkbox(session)
    assert 'aria-label="Select this object for an action - Session for' in english
    assert 'aria-label="Choisir cet objet pour une action - Session for' in french
    assert model_admin.action_checkbox(session) == english
