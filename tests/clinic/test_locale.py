"""Translation is off (settings.USE_I18N): the clinic works in British English, and turning the
machinery off must change no word or format that staff see."""

import datetime as dt
import gettext
from pathlib import Path

import django
from django import forms
from django.apps import apps
from django.conf import settings
from django.template import Context, Template
from django.utils.formats import get_format
from django.utils.translation import get_language


def test_the_language_is_british_english_without_translation_machinery():
    assert settings.USE_I18N is False
    assert get_language() == "en-gb"


def test_dates_keep_the_british_formats():
    # en_GB's format module, not the settings' US defaults ("N j, Y", month first).
    assert get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"
    assert forms.DateField().clean("04/03/2025") == dt.date(2025, 3, 4)
    rendered = Template("{{ v|date }} {{ v|date:'SHORT_DATE_FORMAT' }}").render(
        Context({"v": dt.date(2025, 3, 4)})
    )
    assert rendered == "4 Mar 2025 04/03/2025"


def _en_gb_catalogues() -> list[Path]:
    roots = [Path(django.__file__).parent / "conf"]
    roots += [Path(app.path) for app in apps.get_app_configs()]
    return [mo for root in roots for mo in root.glob("locale/en_GB/LC_MESSAGES/*.mo")]


def test_the_en_gb_catalogues_say_what_the_source_strings_say():
    """What USE_I18N = True would show instead: the same words (context aside)."""
    catalogues = _en_gb_catalogues()
    assert len(catalogues) >= 5  # Django's own, admin, auth and more: the glob found them
    for mo in catalogues:
        with mo.open("rb") as file:
            catalogue = gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]
        for key, text in catalogue.items():
            if not key or isinstance(key, tuple):
                continue  # the header, and plural forms (checked through their singular)
            assert text == key.rpartition("\x04")[2], (mo, key)
