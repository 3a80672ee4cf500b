"""Settings shared by every mode, read from the environment (12-factor).

The defaults give the embedded mode: a SQLite file and a filesystem Celery broker under var/
(BOSUN_VAR_DIR moves it), so `make run` needs no service. Production sets DATABASE_URL,
CELERY_BROKER_URL and CACHE_URL.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Where the embedded mode keeps its SQLite file and broker folders (relative to BASE_DIR);
# scripts/run-embedded reads the same variable.
VAR_DIR = BASE_DIR / (env("BOSUN_VAR_DIR", default="") or "var")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="bosun-insecure-development-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_prometheus",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "django_celery_beat",
    "simple_history",
    "adminsortable2",
    "axes",
    "csp",
    "accounts",
    "notifications",
    "handbook",
    "rotations",
    "tickets",
    "releases",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "core.middleware.VersionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.LoginRequiredMiddleware",
    "accounts.middleware.ViewerTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout answer.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "config.context_processors.sections",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'bosun.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded mode has a web process and a worker writing to one file: wait for the lock
    # instead of failing, and take it at BEGIN so that a read never has to be upgraded.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
elif env.int("DB_POOL_MAX_SIZE", default=10) > 0:
    # psycopg's pool, per process: a process never holds more than DB_POOL_MAX_SIZE
    # connections however many threads serve requests, and a request that waits longer than
    # DB_POOL_TIMEOUT seconds for one is answered 503 (core.db), not 500. Size it so that
    # (web processes + worker processes) x DB_POOL_MAX_SIZE stays below max_connections.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=1),
        "max_size": env.int("DB_POOL_MAX_SIZE", default=10),
        "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps connections; Django must not
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://bosun")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "core.cache.RedisCache"
# Each process's own copy of values that cannot go stale (see config/cache.py): rendered
# pages and navigation, keyed by the data versions they were made from.
LOCAL_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "bosun-local",
    "OPTIONS": {"MAX_ENTRIES": env.int("LOCAL_CACHE_ENTRIES", default=500)},
}
CACHES["local"] = LOCAL_CACHE
# The board's cards as rendered HTML, keyed by everything they show (tickets/views/cards.py).
CARDS_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "bosun-cards",
    "OPTIONS": {"MAX_ENTRIES": env.int("CARD_CACHE_ENTRIES", default=5000)},
}
CACHES["cards"] = CARDS_CACHE
# Sessions are read from the cache and written through to the database: no query per request.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins (the HTML form, the admin's and POST /api/v1/auth/token/) are counted per
# username and per client address; at LOGIN_FAILURE_LIMIT the account and the address are
# locked for LOGIN_LOCKOUT_MINUTES, even for the right password. Behind a reverse proxy, set
# TRUSTED_PROXY_COUNT so that the address is the client's, not the proxy's.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.login_locked_out"
AXES_IPWARE_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "handbook:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded files (the handbook's images) go through the default storage; there is no public
# MEDIA_URL: a view serves each file to the people who may read it (docs/handbook.md).
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# The editor refuses larger images with a message; Django's own limit stays above it so
# the refusal is ours (a 400 naming the field), not a bare error page.
HANDBOOK_IMAGE_MAX_BYTES = env.int("HANDBOOK_IMAGE_MAX_BYTES", default=5 * 1024 * 1024)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Content-Security-Policy (django-csp): only our own scripts, styles and fonts; images also
# from data: URIs (Pico's icons); nothing may frame the portal.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Email: console in development; production sets EMAIL_URL (smtp://user:pass@host:587).
vars().update(env.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="bosun@localhost")

# REST API (see docs/api.md).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("API_THROTTLE_RATE", default="1200/min"),
        "token": env("API_TOKEN_THROTTLE_RATE", default="20/min"),
    },
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # JSON in (docs/api.md): form encodings cannot carry the nested lists and nulls of the
    # schema, and DRF reads a blank form value as "not given", which the schema cannot say.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Bosun API",
    "DESCRIPTION": "Handbook, rotas, releases and tickets for engineering teams.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "ColumnKindEnum": ["triage", "ready", "in_progress", "done", "other"],
        "TicketKindEnum": ["bug", "feature", "support", "incident"],
        "TrainKindEnum": "releases.models.Train.Kind",
        "ReleaseStatusEnum": "releases.models.Release.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.add_error_responses",
        "core.schema.add_links",
    ],
}

# Celery. The default broker is kombu's filesystem transport under var/: no server needed.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _folders = {name: VAR_DIR / "celery" / name for name in ("queue", "processed", "control")}
    for _folder in _folders.values():
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_folders["queue"]),
        "data_folder_out": str(_folders["queue"]),
        "processed_folder": str(_folders["processed"]),
        "control_folder": str(_folders["control"]),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "notifications-send-due": {
        "task": "notifications.tasks.deliveries_send_due",
        "schedule": env.float("NOTIFY_SWEEP_SECONDS", default=60.0),
    },
    "rotations-handoffs": {
        "task": "rotations.tasks.handoffs_announce",
        "schedule": env.float("HANDOFF_SWEEP_SECONDS", default=60.0),
    },
    "rotations-escalations": {
        "task": "rotations.tasks.alerts_escalate_due",
        "schedule": env.float("ESCALATION_SWEEP_SECONDS", default=15.0),
    },
    "releases-reminders": {
        "task": "releases.tasks.reminders_send_due",
        "schedule": env.float("RELEASE_REMINDER_SWEEP_SECONDS", default=60.0),
    },
    "releases-plan": {
        "task": "releases.tasks.releases_plan",
        # The 1st of each month at 03:00 UTC; planning again creates nothing twice.
        "schedule": crontab(minute=0, hour=3, day_of_month=1),
    },
    "handbook-stale-digests": {
        "task": "handbook.tasks.stale_digests_send",
        # Mondays at 08:00 UTC; the delivery key makes a second run in a week a no-op.
        "schedule": crontab(minute=0, hour=8, day_of_week="mon"),
    },
    "handbook-search-words-rebuild": {
        "task": "handbook.tasks.search_words_rebuild",
        # Daily at 03:30 UTC; pruning twice removes nothing more.
        "schedule": crontab(minute=30, hour=3),
    },
}

# Notifications: retries back off exponentially from NOTIFY_RETRY_BASE_SECONDS.
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=8)
NOTIFY_RETRY_BASE_SECONDS = env.float("NOTIFY_RETRY_BASE_SECONDS", default=30.0)
NOTIFY_RETRY_MAX_SECONDS = env.float("NOTIFY_RETRY_MAX_SECONDS", default=3600.0)
NOTIFY_HTTP_TIMEOUT_SECONDS = env.float("NOTIFY_HTTP_TIMEOUT_SECONDS", default=10.0)

# Mattermost's REST API (channel headers showing who is on call; optional).
MATTERMOST_URL = env("MATTERMOST_URL", default="")
MATTERMOST_BOT_TOKEN = env("MATTERMOST_BOT_TOKEN", default="")

# Rotas: how far back a handoff is still announced after an outage, when an announcement
# counts as late, and how long a signed "acknowledge" link in an alert message works.
HANDOFF_CATCHUP_HOURS = env.float("HANDOFF_CATCHUP_HOURS", default=24)
HANDOFF_LATE_AFTER_SECONDS = env.float("HANDOFF_LATE_AFTER_SECONDS", default=120)
ALERT_ACK_LINK_HOURS = env.float("ALERT_ACK_LINK_HOURS", default=24)

# Tickets: the team that takes bugs no team owns (triage's "To sustaining"), by its slug; its
# first board receives them.
TICKETS_SUSTAINING_TEAM = env("TICKETS_SUSTAINING_TEAM", default="sustained-engineering")

# /metrics is readable by staff, or by a scraper sending `Authorization: Bearer <token>`.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
READYZ_BROKER_TIMEOUT_SECONDS = env.float("READYZ_BROKER_TIMEOUT_SECONDS", default=2.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # django-axes logs every login at INFO; only lockouts and errors matter.
        "axes": {"level": env("AXES_LOG_LEVEL", default="WARNING")},
    },
}
