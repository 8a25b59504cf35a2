"""TeamOrg settings: one module, driven by environment variables.

Defaults are for a developer laptop (SQLite file, DEBUG on, local-memory cache). Production sets
DJANGO_SECRET_KEY, DJANGO_DEBUG=0, DJANGO_ALLOWED_HOSTS, DATABASE_URL and CACHE_URL; the README
lists the values with which `manage.py check --deploy` is clean.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY",
    # Only usable with DEBUG on: `check --deploy` flags it, and the README says to set a real one.
    "django-insecure-teamorg-development-key-change-me" if DEBUG else "",
)
if not SECRET_KEY:
    raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Behind a TLS-terminating proxy in production; off by default so `make run` works over http.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files, not a CDN
    "django_htmx",
    "mptt",
    "axes",
    "departments",
    "roles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header on every response that has none of its own (a chart file
    # sets a stricter one): CONTENT_SECURITY_POLICY below.
    "csp.middleware.CSPMiddleware",
    # Static files straight from the process, before anything else reads the request: compressed
    # copies and, with DEBUG off, hashed names cached for a year (STORAGES below).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "teamorg.nul_guard.RejectNulInQueryString",
    "teamorg.busy.BusyDatabaseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "teamorg.private_responses.PrivateResponsesMiddleware",
    "departments.language.UserLanguageMiddleware",
    "departments.history.middleware.HistoryActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a sign-in refused by the axes backend into the 429 answer (teamorg/login_limits).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "teamorg.urls"
WSGI_APPLICATION = "teamorg.wsgi.application"
ASGI_APPLICATION = "teamorg.asgi.application"

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
            ],
        },
    },
]

# SQLite is the embedded default. IMMEDIATE transactions take SQLite's write lock at BEGIN, so a
# tree service cannot read lft/rght and then lose a race to another writer (the SQLite
# counterpart of the PostgreSQL advisory lock in teamorg/locking.py).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'teamorg.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Bounded waits: a write waits at most this long for a lock (the tree lock included) and a
# statement runs at most this long, well under gunicorn's worker timeout (gunicorn.conf.py);
# past either the request answers 503 with Retry-After (teamorg/busy.py), nothing written.
DB_LOCK_TIMEOUT_SECONDS = float(os.environ.get("TEAMORG_DB_LOCK_TIMEOUT_SECONDS", "10"))
DB_STATEMENT_TIMEOUT_SECONDS = float(os.environ.get("TEAMORG_DB_STATEMENT_TIMEOUT_SECONDS", "20"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": DB_LOCK_TIMEOUT_SECONDS}
    )
    # The test database is a file (in shared memory where there is one, for speed), not
    # SQLite's in-memory database: for an in-memory database Django's live server hands one
    # connection to all its threads, and the browser tests' concurrent requests (a head-count
    # cell, the chart redrawing) then failed now and then with a 500. A file gives every thread
    # its own connection and SQLite's ordinary locking, with the timeout above.
    _shm = Path("/dev/shm")
    _test_dir = _shm if _shm.is_dir() and os.access(_shm, os.W_OK) else BASE_DIR / "var"
    DATABASES["default"]["TEST"] = {"NAME": str(_test_dir / f"teamorg-test-{os.getpid()}.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c lock_timeout={int(DB_LOCK_TIMEOUT_SECONDS * 1000)} "
        f"-c statement_timeout={int(DB_STATEMENT_TIMEOUT_SECONDS * 1000)}"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds rendered charts and PDFs, keyed by revision. It is optional: with Redis
# (CACHE_URL=redis://…) the workers share it; when Redis is down, django-redis ignores the
# error (logged by the "django_redis" logger) and the page is rendered without the cache, and
# short socket timeouts keep a dead Redis from holding a request. Any other CACHE_URL is
# refused by the system check teamorg.E001 (teamorg/checks.py).
CACHE_URL = os.environ.get("CACHE_URL", "")
REDIS_CACHE_SCHEMES = ("redis://", "rediss://", "unix://")
if CACHE_URL.startswith(REDIS_CACHE_SCHEMES):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 1.0,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "teamorg",
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in limits (django-axes). The axes backend comes first: a user name or address over the limit
# is refused before ModelBackend hashes the password, so guessing costs the server nothing once
# locked. Failures are rows in the database (AxesDatabaseHandler), so every gunicorn worker and
# every machine sharing the database counts the same attempts. Each of the two parameters locks
# on its own: TEAMORG_LOGIN_FAILURE_LIMIT failures for one user name (from any address) lock that
# user name, and as many from one address (for any user names) lock that address, both for
# TEAMORG_LOGIN_COOLOFF_MINUTES after the last failure. Admins unlock in the admin (Axes ›
# Access attempts) or with `manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("TEAMORG_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("TEAMORG_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Not reset by a success: an attacker with an account of their own could otherwise sign in every
# few guesses to wipe their address's count. Failures expire with the cool-off instead.
AXES_RESET_ON_SUCCESS = False
# Only failures are kept; a row per successful sign-in would grow without bound.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "teamorg.login_limits.lockout_response"
AXES_CLIENT_IP_CALLABLE = "teamorg.login_limits.client_address"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Simplified Chinese is the default; English must work everywhere.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]  # one catalog for the whole project
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# Content-Security-Policy (django-csp 4): scripts and styles only from our own static files, no
# inline script, no inline style (no 'unsafe-inline' anywhere): the templates carry no <script>
# body, no style attribute and no <style> block, and htmx's injected indicator style is off
# (templates/departments/_htmx_head.html). data: images are the favicon and Swagger UI's icons.
# A chart file keeps its own stricter header (roles/charts/views.py). The PDFs' print templates
# are rendered by WeasyPrint, not a browser, and are not concerned.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "var" / "staticfiles")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing one
# With DEBUG off, `collectstatic` writes every file under a name holding its hash, plus gzip and
# Brotli copies, and WhiteNoise serves them with a one-year cache header: a new release changes
# the names, so no browser keeps an old script. With DEBUG on (development, tests) files are
# served from STATICFILES_DIRS as they are, no collectstatic needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "teamorg.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TeamOrg API",
    "DESCRIPTION": "Org designs of e-commerce companies: departments, roles, head count.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Graphviz and WeasyPrint are external tools with their own limits.
TEAMORG_DOT_TIMEOUT_SECONDS = float(os.environ.get("TEAMORG_DOT_TIMEOUT_SECONDS", "20"))

# Long exports (handbook, printed chart, plan XLSX) run as background jobs (roles.exports).
# With CELERY_BROKER_URL (redis://…) Celery workers run them: `celery -A teamorg worker`, on
# this machine or others sharing the database. Without it the web process starts a child
# process per job, at most TEAMORG_EMBEDDED_EXPORT_WORKERS at a time.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
# The queue export jobs go to and workers listen on (its own name, so that several
# installations can share one Redis).
TEAMORG_EXPORT_QUEUE = os.environ.get("TEAMORG_EXPORT_QUEUE", "teamorg-exports")
CELERY_TASK_DEFAULT_QUEUE = TEAMORG_EXPORT_QUEUE
CELERY_TASK_IGNORE_RESULT = True  # results are stored on the job's row, not in Celery
CELERY_TASK_ACKS_LATE = True  # a worker lost mid-job leaves the message for another
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long tasks: take one at a time
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
TEAMORG_EXPORT_TIME_LIMIT_SECONDS = int(os.environ.get("TEAMORG_EXPORT_TIME_LIMIT_SECONDS", "900"))
# A job no worker has taken this long is reported as failed (no worker running, or all of them
# busy), long before its time limit would: the person waiting can try again or tell an admin.
TEAMORG_EXPORT_QUEUE_LIMIT_SECONDS = int(
    os.environ.get("TEAMORG_EXPORT_QUEUE_LIMIT_SECONDS", "600")
)
TEAMORG_EMBEDDED_EXPORT_WORKERS = int(os.environ.get("TEAMORG_EMBEDDED_EXPORT_WORKERS", "1"))
# How many processes lay a handbook's pages out side by side (roles.documents.handbook); empty:
# one per core.
TEAMORG_HANDBOOK_WORKERS = int(os.environ.get("TEAMORG_HANDBOOK_WORKERS") or 0) or None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
