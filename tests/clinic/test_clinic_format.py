"""The cheap formatting filters write exactly what Django's own date filter and url tag write."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from clinic.templatetags.clinic_format import day, day_month, dmy, url_for, weekday_day


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2025, 3, 4),
        dt.date(2026, 12, 31),
        dt.datetime(2026, 6, 7, 23, 30, tzinfo=dt.UTC),  # already 8 June in London
        dt.datetime(2026, 1, 1, 9, 0),
    ],
)
def test_day_matches_the_date_filter_in_a_template(value):
    def render(source: str) -> str:
        return Template("{% load clinic_format %}" + source).render(Context({"v": value}))

    with timezone.override("Europe/London"):
        assert render("{{ v|day }}") == render('{{ v|date:"j M Y" }}')
        assert render("{{ v|day_month }}") == render('{{ v|date:"j M" }}')
        assert render("{{ v|dmy }}") == render('{{ v|date:"d/m/Y" }}')
        assert render("{{ v|weekday_day }}") == render('{{ v|date:"D j M Y" }}')
    assert day(None) == day_month("") == dmy(None) == weekday_day(None) == ""


@pytest.mark.parametrize("name", ["scheduling:detail", "scheduling:check_in", "patients:detail"])
def test_url_for_matches_reverse(name):
    for pk in (1, 42, 918273645):
        assert url_for(pk, name) == reverse(name, args=[pk])


@pytest.mark.parametrize("value", [0, 12.34, 99.96, "7.0", 1e-9])
def test_svg1_writes_one_decimal_like_floatformat(value):
    from django.template.defaultfilters import floatformat

    from clinic.templatetags.clinic_format import svg1

    assert svg1(value) == floatformat(value, "1u")
    assert svg1(None) == svg1("x") == ""
