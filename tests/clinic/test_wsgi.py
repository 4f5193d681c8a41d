"""The WSGI module gunicorn serves: the project loaded whole, then frozen out of the cyclic
garbage collector's way (clinic/wsgi.py says why)."""

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import gc, json, sys
before = gc.get_freeze_count()
import clinic.wsgi
print(json.dumps({
    "before": before,
    "frozen": gc.get_freeze_count(),
    "enabled": gc.isenabled(),
    "views": all(name in sys.modules for name in (
        "patients.views", "treatments.views", "scheduling.views", "clinic.views"
    )),
    "callable": callable(clinic.wsgi.application),
}))
"""


def _probe() -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clinic.settings", "DJANGO_DEBUG": "1"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_loading_the_wsgi_application_imports_the_views_and_freezes_what_it_loaded():
    probe = _probe()
    assert probe["callable"]
    assert probe["views"]  # through the URLconf, before the first request
    assert probe["before"] == 0
    # Django and the apps are tens of thousands of objects; the collector still runs for the
    # requests' own objects.
    assert probe["frozen"] > 20_000
    assert probe["enabled"]
