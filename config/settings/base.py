"""MitraSehat settings.

Everything lives here and is read from the environment through ``config.env``; with no
variables set the app runs embedded (SQLite file, Celery tasks executed in-process).
``test.py`` only speeds tests up and ``production.py`` only hardens.
"""

from datetime import timedelta

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, env

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "organizations",
    "partnerships",
    "programs",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "organizations.middleware.TenantMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "organizations.User"

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
                "organizations.context_processors.tenancy",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# DATABASE_URL → PostgreSQL (CI, production). Without it: an SQLite file in WAL mode whose
# write transactions start IMMEDIATE, so concurrent writers queue instead of failing.
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if "postgresql" in DATABASES["default"]["ENGINE"]:
        # JIT compilation costs 10–15 ms on the dashboard's grouped queries and pays off only for
        # long analytical scans; the app runs short queries (docs/performance.md).
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Row-level security, the database's tenancy layer (organizations/rls.py): on PostgreSQL every
# statement carries its tenant and the policies admit only that tenant's rows. The app connects
# as DATABASE_APP_ROLE (owns nothing, no BYPASSRLS); migrations run as the tables' owner
# (DATABASE_OWNER_URL). A web or worker process refuses to start with a role that can bypass it.
TENANT_RLS = env.bool("TENANT_RLS", default="postgresql" in DATABASES["default"]["ENGINE"])
DATABASE_APP_ROLE = env("DATABASE_APP_ROLE", default="mitrasehat_app")
DATABASE_OWNER_URL = env("DATABASE_OWNER_URL", default="")
# The ORM's tenancy layer (the scoped manager). Only the ablation tests switch it off.
TENANT_ORM_SCOPING = True

# --- Cache (login rate limits, throttling) --------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication (django-allauth) --------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "organizations.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,5/5m/key"),
}
ACCOUNT_SESSION_REMEMBER = None
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "tenant_chooser"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
# Two-step verification (allauth.mfa): an authenticator app (TOTP) and recovery codes, for
# everyone; a tenant may require it of its administrators and managers (Tenant.require_mfa).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "MitraSehat"
# Sessions are read from the cache (Redis on the full stack) and written through to the
# database: no session query on a page.
SESSION_ENGINE = "organizations.sessions"  # cached_db that survives a cache outage
INVITATION_VALID_DAYS = 14
# Absolute links in emails (invitations, password reset use the request host).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Email ----------------------------------------------------------------------------
# Console locally; EMAIL_URL (smtp+tls://user:pass@host:587) switches to SMTP.
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="MitraSehat <noreply@mitrasehat.local>")

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
# Older Django versions accept US-style m/d/y; pin what Indonesian users type.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static and uploaded files --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads are private: MEDIA_ROOT is never mapped to a URL; files are streamed by views
# that check access first.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
IMPORT_MAX_BYTES = 5 * 1024 * 1024
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Imports with more rows than this are validated and saved by a background task.
EXPORT_SYNC_MAX_ROWS = env.int("EXPORT_SYNC_MAX_ROWS", default=2000)  # larger exports run in Celery
IMPORT_SYNC_MAX_ROWS = env.int("IMPORT_SYNC_MAX_ROWS", default=200)

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "organizations.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "organizations.api_base.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "organizations.api_base.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "organizations.api_base.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "1200/min"},
    "COERCE_DECIMAL_TO_STRING": True,
}
KNOX_TOKEN_MODEL = "organizations.ApiToken"
# knox's own migrations create its default token table even when the model is swapped, and
# that stray table (with a key to users) breaks database flushes; our ApiToken replaces it.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_MODEL": "organizations.ApiToken",
    "TOKEN_TTL": timedelta(days=90),
    "AUTO_REFRESH": False,
    "TOKEN_PREFIX": "ms_",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MitraSehat API",
    "DESCRIPTION": "Partnership management for Indonesian district health offices. "
    "Every tenant-owned resource lives under /api/v1/t/{tenant_slug}/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "organizations.models.Organization.Kind",
        "AgreementKindEnum": "partnerships.models.Agreement.Kind",
        "DocumentKindEnum": "partnerships.models.Document.Kind",
        "PartyRoleEnum": "partnerships.models.Party.Role",
        "MembershipRoleEnum": "organizations.models.Role",
        "HealthBandEnum": "reporting.models.Band",
    },
}

# --- Celery ---------------------------------------------------------------------------
# Without REDIS_URL tasks run eagerly in-process (embedded mode); with it they go to Redis.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="mitrasehat")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 5,
    "socket_connect_timeout": 2,
    # A task a killed worker never acknowledged is delivered again after this many seconds.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60),
    # How often a worker sweeps for such tasks (kombu's defaults: every 10 s, scanning every 10th).
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
# A page must not hang when Redis is down: publishing gives up quickly.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# The job outbox (organizations.outbox): a job published but not finished after this many seconds
# is published again (the broker lost it) — longer than the slowest job plus its wait in the queue.
OUTBOX_RESEND_AFTER = env.int("OUTBOX_RESEND_AFTER", default=30 * 60)
# Publications of one job before the sweeper gives up on it and logs an error.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=5)
# Finished jobs are kept this many days (to look into), then deleted by the sweeper.
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=7)
# Health reviews committed per upsert statement (reporting.services.reviews_compute).
HEALTH_REVIEW_WRITE_BATCH = env.int("HEALTH_REVIEW_WRITE_BATCH", default=100)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
# Synced into django-celery-beat's database schedule at beat start-up (editable in the admin).
CELERY_BEAT_SCHEDULE = {
    "agreements-daily": {
        "task": "partnerships.tasks.agreements_daily",
        "schedule": crontab(hour=1, minute=0),
    },
    "reporting-daily": {
        "task": "programs.tasks.reporting_daily",
        "schedule": crontab(hour=6, minute=0),
    },
    "funds-daily": {
        "task": "programs.tasks.funds_daily",
        "schedule": crontab(hour=2, minute=0),
    },
    # Daily check; each tenant is reviewed once per its period (weekly / monthly / quarterly).
    "health-reviews": {
        "task": "reporting.tasks.health_reviews_scheduled",
        "schedule": crontab(hour=3, minute=0),
    },
    "api-tokens-purge": {
        "task": "organizations.tasks.api_tokens_purge_task",
        "schedule": crontab(hour=0, minute=30),
    },
    "health-digest": {
        "task": "reporting.tasks.health_digest_weekly",
        "schedule": crontab(hour=7, minute=0, day_of_week=1),
    },
    # Publishes the jobs the broker refused or lost (organizations.outbox).
    "outbox-sweep": {
        "task": "organizations.tasks.outbox_sweep_task",
        "schedule": 60.0,
    },
}

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
