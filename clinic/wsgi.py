"""The WSGI application (`gunicorn clinic.wsgi`).

Once the project is loaded (Django, the apps, and every view module through the URLconf) its
objects, some 80,000, are moved out of the cyclic garbage collector's reach with gc.freeze().
They live as long as the process does; left in the collector's oldest generation, each full
collection walked all of them: 30-50 ms on the busiest pages, once every 150-300 requests, added
to whichever request was running. Garbage from loading is collected first, so none of it is kept.
"""

import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
application = get_wsgi_application()

# The URLconf imports every app's views, forms and services: here, not on the first request.
import_module(settings.ROOT_URLCONF)
gc.collect()
gc.freeze()
