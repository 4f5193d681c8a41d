"""Settings for the scar clinic app, all read from the environment.

Local use needs nothing set (SQLite under var/, debug only when asked for); production needs only
environment variables: see the table in README.md.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from clinic.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = envbool("DJANGO_DEBUG", default=False)

SECRET_KEY = envstr("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "django-insecure-local-development-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "clinic.apps.ClinicAdminConfig",  # django.contrib.admin with the clinic's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "clinic",
    "patients",
    "scheduling",
    "treatments",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session has passed the two-factor step.
    "django_otp.middleware.OTPMiddleware",
    "clinic.middleware.NoStoreMiddleware",
    # Every page needs a signed-in user unless its view opts out (sign-in, /healthz).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "clinic.middleware.IdleTimeoutMiddleware",
    "clinic.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "clinic.middleware.PermissionsPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "patients.middleware.ArchivedPatientMiddleware",
    "patients.audit.DeniedAccessMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with a user's permissions and role read in one query (clinic/auth_backend.py).
    "clinic.auth_backend.ClinicBackend",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.context_processors.clinic",
            ],
        },
    },
]

if not envstr("DATABASE_URL"):
    # The embedded default database lives in var/ (git-ignored), made on first use.
    VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'clinic.sqlite3'}"),
        conn_max_age=envint("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock at the start of a transaction instead of failing midway with
    # "database is locked" when two desks book at once.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
elif envbool("DJANGO_DB_SERVER_SIDE_BINDING", True):
    # The pages' queries are the same few dozen with other values: bound on the server, each is
    # prepared after a few runs on a connection and not planned again (the planner took 1-2 ms
    # of the server's time for a chart's queries, as long as running them). A pooler in
    # transaction mode (PgBouncer) cannot keep prepared statements: set it to 0 behind one.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=envint("DJANGO_DB_PREPARE_THRESHOLD", 5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = envstr("TIME_ZONE", "Europe/London")
# The clinic works in British English only (no LocaleMiddleware, no catalogues of its own), and
# Django's en_GB catalogues read the same as its source strings. Without translation machinery
# every date, template and form skips a thread-local language lookup, some 200 on a chart tab
# (Django's performance notes suggest this). Dates and numbers keep LANGUAGE_CODE's formats:
# django.utils.formats still reads en_GB's format module (tests/clinic/test_locale.py).
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("DJANGO_STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Patient photos live here: outside static files and never routed by a URL pattern; they are
# served only by permission-checked views through the storage API.
MEDIA_ROOT = Path(envstr("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# Where `manage.py backup` writes its archives (they hold health data; see README).
BACKUP_DIR = Path(envstr("BACKUP_DIR", str(VAR_DIR / "backups")))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Clinical photos: private (no base URL), written 0o640. For S3-compatible storage, point this
    # at django-storages' S3 backend with a private bucket; no code touches file paths.
    "clinical_photos": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "photos", "base_url": "/photos-not-served/"},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. Behind a TLS-terminating proxy set DJANGO_SECURE_PROXY_SSL_HEADER=1.
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = envbool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
if envbool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A shared treatment-room tablet must not stay signed in for days.
SESSION_COOKIE_AGE = envint("DJANGO_SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Idle sign-out (clinic/middleware.py): the next request after this many minutes without user
# activity signs out. Requests matching these patterns (health checks, calendar feeds) or carrying
# the X-Clinic-Background header are answered but never count as activity.
IDLE_TIMEOUT_MINUTES = envint("DJANGO_IDLE_TIMEOUT_MINUTES", 15)
IDLE_IGNORED_PATHS = [r"^/healthz$", r"^/schedule/feed/[^/]+\.ics$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Sign-in throttling (clinic/signin.py). Three ceilings, each with its own limit and cool-off,
# all time-based so nobody can lock staff out for good: a username + address pair, one address
# across usernames (a shared clinic address sees every desk's typos, so it is higher), and one
# username across addresses. The cool-off runs from the most recent failure it counts.
AXES_FAILURE_LIMIT = envint("DJANGO_AXES_FAILURE_LIMIT", 5)
SIGNIN_PAIR_COOLOFF = timedelta(hours=envint("DJANGO_AXES_COOLOFF_HOURS", 1))
SIGNIN_ADDRESS_FAILURE_LIMIT = envint("DJANGO_AXES_ADDRESS_FAILURE_LIMIT", 20)
SIGNIN_ADDRESS_COOLOFF = timedelta(minutes=envint("DJANGO_AXES_ADDRESS_COOLOFF_MINUTES", 30))
SIGNIN_USERNAME_FAILURE_LIMIT = envint("DJANGO_AXES_USERNAME_FAILURE_LIMIT", 10)
SIGNIN_USERNAME_COOLOFF = timedelta(minutes=envint("DJANGO_AXES_USERNAME_COOLOFF_MINUTES", 30))
AXES_HANDLER = "clinic.signin.CeilingsHandler"
AXES_COOLOFF_TIME = "clinic.signin.axes_cool_off"
AXES_USERNAME_CALLABLE = "clinic.signin.axes_username"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = envbool("DJANGO_AXES_ENABLED", default=True)

EMAIL_BACKEND = envstr("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

CLINIC_NAME = envstr("CLINIC_NAME", "Scar Clinic")
# Two-factor sign-in (clinic/two_factor.py): the name authenticator apps show for the account.
OTP_TOTP_ISSUER = CLINIC_NAME
PHOTO_MAX_UPLOAD_BYTES = envint("PHOTO_MAX_UPLOAD_MB", 25) * 1024 * 1024
PHOTO_MAX_PIXELS = envint("PHOTO_MAX_MEGAPIXELS", 60) * 1_000_000
# Several photos arrive in one request; keep large ones on disk, not in memory, while reading.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# The calendar: opening hours (local time), slot length and open days. Booking outside them
# asks for confirmation rather than refusing.
CLINIC_OPENS = envstr("CLINIC_OPENS", "08:00")
CLINIC_CLOSES = envstr("CLINIC_CLOSES", "18:00")
CLINIC_SLOT_MINUTES = envint("CLINIC_SLOT_MINUTES", 15)
CLINIC_DAYS = envstr("CLINIC_DAYS", "mon,tue,wed,thu,fri")
PATIENTS_PER_PAGE = 25

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("DJANGO_LOG_LEVEL", "INFO")},
}
