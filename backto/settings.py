"""BackTo settings: one file, read from environment variables through small typed helpers.

Every setting a clinic may change is a `BACKTO_*` variable, listed in docs/configuration.md (a test
keeps that list honest). With nothing set, BackTo runs in production mode on SQLite under `var/`
and refuses to start without `BACKTO_SECRET_KEY`; `make run` generates one and keeps it in `var/`.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent

TESTING = "pytest" in sys.modules or os.environ.get("BACKTO_TESTING") == "1"


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"BACKTO_{name}", default)


def envbool(name: str, default: bool) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"BACKTO_{name} must be 1/0, true/false or yes/no, not {value!r}")


def envint(name: str, default: int) -> int:
    value = env(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"BACKTO_{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [part.strip() for part in env(name, default).split(",") if part.strip()]


DEBUG = envbool("DEBUG", False)
VAR_DIR = Path(env("VAR_DIR", str(PROJECT_DIR / "var")))
# Daily audit checkpoints are appended here, outside the database (docs/permissions.md); empty
# means VAR_DIR/audit-checkpoints.jsonl.
AUDIT_CHECKPOINT_FILE = env("AUDIT_CHECKPOINT_FILE")

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "backto-development-only-not-secret"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "BACKTO_SECRET_KEY is not set. BackTo holds children's health records and will not "
            "start in production mode without a secret key (make run generates one in var/)."
        )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # First, so that its `createsuperuser` (which points to `backto clinic create`) replaces
    # Django's: BackTo has no site-wide superuser.
    "backto.access.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "backto.core",
    "backto.audit",
    "backto.capabilities.backup",
    "backto.access.patients",
    "backto.capabilities.instruments",
    "backto.capabilities.goals",
    "backto.capabilities.wins",
    "backto.capabilities.diary",
    "backto.capabilities.intake",
    "backto.capabilities.homeprogram",
    "backto.capabilities.careplan",
    "backto.capabilities.measures",
    "backto.capabilities.questionnairereminders",
    "backto.capabilities.alerts",
    "backto.capabilities.schoolplan",
    "backto.capabilities.medicines",
    "backto.readers.progress",
    "backto.readers.outcomes",
    "backto.readers.auditlog",
    "backto.capabilities.learning",
    "backto.capabilities.exam",
    "backto.capabilities.clinicsetup",
    "backto.capabilities.notifications",
    "backto.capabilities.familyapp",
    "backto.capabilities.messaging",
    "backto.capabilities.appointments",
    "backto.readers.dashboards",
    "backto.access.apitokens",
    "backto.readers.api",
    "backto.readers.fhir",
    "backto.readers.research",
    "backto.readers.fhirexport",
    "backto.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "backto.core.caching.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "backto.core.refusals.AuditedLoginRequiredMiddleware",
    "backto.access.accounts.middleware.TwoFactorMiddleware",
    "backto.access.accounts.middleware.ClinicTimeZoneMiddleware",
    "backto.access.accounts.middleware.AccountLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "backto.audit.middleware.AuditContextMiddleware",
    "backto.core.refusals.RefusedMethodAuditMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "backto.urls"
WSGI_APPLICATION = "backto.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "backto.core.context_processors.backto",
            ],
        },
    },
]

# --- Database
# SQLite (WAL) under var/ by default; BACKTO_DATABASE_URL=postgres://... selects PostgreSQL.
DATABASE_URL = env("DATABASE_URL")
CONN_MAX_AGE = envint("CONN_MAX_AGE", 600)
# PostgreSQL: parameters bound by the server, and a query a connection has run twice kept
# prepared there (psycopg's automatic prepared statements), so the database parses and plans a
# page's queries once per connection instead of on every request: about 40% of the database's
# CPU for a page at 100,000 children (bench/RESULTS.md). Off (BACKTO_DB_PREPARED=0) behind a
# pooler in transaction mode (PgBouncer without max_prepared_statements), which cannot keep
# a connection's prepared statements.
DB_PREPARED = envbool("DB_PREPARED", True)


def postgres_options(database: dj_database_url.DBConfig) -> None:
    if database["ENGINE"].endswith("postgresql") and DB_PREPARED:
        database.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=2)


if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    }
    postgres_options(DATABASES["default"])
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "backto.sqlite3"),
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock at
                # the start of a transaction so concurrent writers queue instead of failing.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
# A read replica for program outcomes and their export (docs/deployment.md); without one they
# read the main database. Tests treat it as a mirror of the main database.
REPORTING_DATABASE_URL = env("REPORTING_DATABASE_URL")
if REPORTING_DATABASE_URL:
    DATABASES["reporting"] = dj_database_url.parse(
        REPORTING_DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
    )
    DATABASES["reporting"]["TEST"] = {"MIRROR": "default"}
    postgres_options(DATABASES["reporting"])
    if DATABASES["reporting"]["ENGINE"].endswith("postgresql"):
        # A replica host that vanishes (rather than refusing) costs a report 2 s, not TCP's
        # minutes, before outcomes fall back to the main database; ?connect_timeout= overrides.
        DATABASES["reporting"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
REPORTING_DB = "reporting" if REPORTING_DATABASE_URL else "default"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, sign-in and sessions
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "backto.access.accounts.backends.UsernameOrEmailBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; the tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
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
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Flash messages name children ("What does Maya want to get back to?"): they stay on the server
# with the session instead of in a readable (signed, not encrypted) cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_ENGINE = "backto.access.accounts.sessions"  # Django's database sessions, read faster
SESSION_COOKIE_AGE = envint("SESSION_HOURS", 12) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
INVITATION_DAYS = envint("INVITATION_DAYS", 7)
# A password-reset link works once (setting the password retires it), and only for this long.
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_MINUTES", 60) * 60

# Failures are counted per account, whichever spelling of its username or email was typed, and
# per client address across all names (backto/access/accounts/lockout.py).
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = envint("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 30)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 15))
AXES_HANDLER = "backto.access.accounts.lockout.SignInLockoutHandler"
AXES_USERNAME_CALLABLE = "backto.access.accounts.lockout.lockout_key"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_CLIENT_IP_CALLABLE = "backto.audit.middleware.client_ip"
# axes warns when its own parameters leave out the address; BackTo counts each address across all
# names in its handler instead (backto/access/accounts/lockout.py), so that a clinic's shared address
# gets a limit of its own and one person's typos do not pause their colleagues.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Two-step sign-in (docs/permissions.md): staff of a clinic that asks for it (Clinic setting, on
# by default), and anyone who turned it on, confirm a passkey, an authenticator-app code or a
# recovery code after the password. The test suite signs in by password through many journeys, so
# it asks for the second step only where a test turns this on; everywhere else it is always on.
TWO_FACTOR_ENFORCED = not TESTING
OTP_TOTP_ISSUER = "BackTo"
OTP_WEBAUTHN_RP_NAME = "BackTo"
# Browsers make passkeys only on https, or on http://localhost while trying BackTo out: a site
# served over plain http elsewhere (the default http://127.0.0.1:8000) offers them on localhost.
_site = urlsplit(SITE_URL)
PASSKEY_ORIGIN = (
    SITE_URL
    if _site.scheme == "https" or _site.hostname == "localhost"
    else "http://localhost" + (f":{_site.port}" if _site.port else "")
)
OTP_WEBAUTHN_RP_ID = urlsplit(PASSKEY_ORIGIN).hostname
OTP_WEBAUTHN_ALLOWED_ORIGINS = [PASSKEY_ORIGIN]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # a passkey is the second step, never the only one
# "Sudo mode": exports, account, role and clinic changes ask for the password again (or a second
# step) when the last sign-in or confirmation is older than this.
SUDO_SECONDS = envint("SUDO_MINUTES", 10) * 60

# How many reverse proxies in front of BackTo append to X-Forwarded-For (0: trust REMOTE_ADDR).
PROXY_COUNT = envint("PROXY_COUNT", 0)

# Check every FHIR resource BackTo answers against its R4B model (backto/readers/fhir/checked.py):
# always in the tests and in development; in production only when asked (it is most of a page's
# time, and the tests and the fuzzing prove the builders).
FHIR_CHECK_OUTPUT = envbool("FHIR_CHECK_OUTPUT", DEBUG or TESTING)

# Check every fixed query (backto/core/fixed_sql.py) against the SQL Django compiles for the same
# values: always in the tests and in development; in production it would undo what they save.
FIXED_SQL_CHECK = envbool("FIXED_SQL_CHECK", DEBUG or TESTING)

# --- Security headers
HTTPS = envbool("HTTPS", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A refused form is audited and answered with a page that says what to do (backto.core.errors).
CSRF_FAILURE_VIEW = "backto.core.errors.csrf_failure"
SECURE_SSL_REDIRECT = HTTPS and envbool("SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Static files
STATIC_URL = "/static/"
# Tests serve static files from the source folders; only a served clinic collects them into var/.
STATIC_ROOT = None if TESTING else VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Files the clinic uploads (exercise pictures and videos). Several app servers share one folder.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- Email and background tasks
# Without a backend set, emails are printed into the server's log, one-time links removed.
EMAIL_BACKEND = env("EMAIL_BACKEND", "backto.core.mail.RedactingConsoleBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "BackTo <backto@localhost>")

# Reminders on the phone (docs/notifications.md): Web Push keys (made once into var/ when unset,
# enough for one app server; several servers share keys set here), and the SMS backend.
BACKTO_VAPID_PUBLIC_KEY = env("VAPID_PUBLIC_KEY")
BACKTO_VAPID_PRIVATE_KEY = env("VAPID_PRIVATE_KEY")
BACKTO_VAPID_SUBJECT = env("VAPID_SUBJECT")  # default: mailto: the sender's address
BACKTO_SMS_BACKEND = env("SMS_BACKEND", "backto.capabilities.notifications.sms.ConsoleSMSBackend")
BACKTO_TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID")
BACKTO_TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN")
BACKTO_TWILIO_FROM = env("TWILIO_FROM")

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
        "ENQUEUE_ON_COMMIT": True,
    }
}

# --- Locale
# Families read BackTo in their own language (a setting on each account); staff pages are
# translatable and English to start. The sign-in and reset pages follow the browser's language.
# Spanish is Latin American Spanish in plain words (docs/i18n.md).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["backto.core.formats"]  # Spanish numbers as US families write them (3,000.5)
TIME_ZONE = env("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

# --- Logging: no PHI in logs. Requests are logged by id-only URLs; bodies are never logged;
# one-time links (invitations, password resets) are redacted from every line (backto.core.redact).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "backto.core.redact.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},  # its progress lines say nothing useful
        "fontTools": {"level": "WARNING"},
    },
}
