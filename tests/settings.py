"""Test settings: the real settings with fast hashing, local mail and a throwaway media folder."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_DEBUG", "0")

from clinic.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="clinic-test-media-")
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "clinical_photos": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": f"{MEDIA_ROOT}/photos", "base_url": "/photos-not-served/"},
    },
}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Lockout has its own tests, which turn it back on.
AXES_ENABLED = False
# WhiteNoise scans STATIC_ROOT at start-up; tests serve static files from the finders instead.
STATIC_ROOT = tempfile.mkdtemp(prefix="clinic-test-static-")
# Templates that exist only for tests (e.g. a fake chart panel).
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "templates"]  # noqa: F405
# Many tests move the clock by hours around one signed-in client; idle sign-out has its own tests,
# which set the production default back.
IDLE_TIMEOUT_MINUTES = 60 * 24 * 365
