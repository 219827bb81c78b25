"""Django settings for Touzi. Every deployment knob is an environment variable (see docs/configuration.md)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from touzi.lib.env import (
    database_from_url,
    database_replicas,
    env_bool,
    env_bool_or_none,
    env_choice,
    env_int,
    env_list,
    env_secret,
    env_str,
    env_tile_url,
    media_storage,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("TOUZI_DATA_DIR", str(BASE_DIR / "var")))

# "development" (the default: a laptop, the demo, the tests) or "production" (see docs/deploy.md).
TOUZI_ENV = env_str("TOUZI_ENV", "development")
if TOUZI_ENV not in {"development", "production"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"TOUZI_ENV={TOUZI_ENV!r}: use development or production")
PRODUCTION = TOUZI_ENV == "production"
DEBUG = env_bool("TOUZI_DEBUG", False)
# Demo mode (demo banner, demo accounts may sign in): true or false when TOUZI_DEMO says so; unset, it is on for
# a database that `touzi demo` built, outside production only (touzi.demo.mode, docs/configuration.md).
DEMO_MODE = env_bool_or_none("TOUZI_DEMO")
_DEV_SECRET = "touzi-development-only-secret-key-not-for-production-use-0123456789"
SECRET_KEY = env_secret("TOUZI_SECRET_KEY", None if PRODUCTION else _DEV_SECRET)
# The key of the audit trail's hash chain; keep it apart from SECRET_KEY in production (docs/configuration.md).
AUDIT_HMAC_KEY = env_secret("TOUZI_AUDIT_KEY", "audit:" + SECRET_KEY)
# Audit records are kept at least this many days (等保 2.0: ≥ 180); `touzi audit purge` refuses younger ones.
AUDIT_RETENTION_DAYS = env_int("TOUZI_AUDIT_RETENTION_DAYS", 180, minimum=180)
# Signed checkpoints of the audit chain's end, outside the database (append-only in production, docs/deploy.md):
# written after a commit every N records and when the last one is older than M minutes (0 turns either off).
AUDIT_CHECKPOINT_FILE = Path(env_str("TOUZI_AUDIT_CHECKPOINT_FILE", str(DATA_DIR / "audit-checkpoints.jsonl")))
AUDIT_CHECKPOINT_RECORDS = env_int("TOUZI_AUDIT_CHECKPOINT_RECORDS", 1000, minimum=0)
AUDIT_CHECKPOINT_MINUTES = env_int("TOUZI_AUDIT_CHECKPOINT_MINUTES", 60, minimum=0)
ALLOWED_HOSTS = env_list("TOUZI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("TOUZI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "touzi.core",
    "touzi.audit",
    "touzi.units",
    "touzi.accounts",
    "touzi.plans",
    "touzi.projects",
    "touzi.reports",
    "touzi.imports",
    "touzi.indicators",
    "touzi.monitoring",
    "touzi.supervision",
    "touzi.approvals",
    "touzi.promotion",
    "touzi.consulting",
    "touzi.pipeline",
    "touzi.disclosure",
    "touzi.field",
    "touzi.financing",
    "touzi.factors",
    "touzi.briefings",
    "touzi.assessment",
    "touzi.backup",
    "touzi.demo",
    "touzi.bench",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "touzi.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "touzi.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "touzi.audit.middleware.AuditContextMiddleware",
    "touzi.accounts.middleware.SessionLimitsMiddleware",
    "touzi.accounts.middleware.SignInStepsMiddleware",
    "touzi.plans.middleware.CurrentPlanMiddleware",
    # Last, as django-axes asks: turns a lockout into the sign-in page saying so.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "touzi.urls"
WSGI_APPLICATION = "touzi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "touzi.core.context_processors.touzi",
                "touzi.demo.context_processors.demo",
                "touzi.plans.context_processors.plans",
                "touzi.supervision.context_processors.supervision",
                "touzi.approvals.context_processors.approvals",
            ],
        },
    },
]

_database_url = env_secret("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": database_from_url(_database_url)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "touzi.sqlite3"),
            # WAL lets readers run beside one writer; IMMEDIATE avoids upgrade deadlocks.
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                        "transaction_mode": "IMMEDIATE"},
        }
    }
# Read replicas (docs/scaling.md "Reads on a replica"): the reads of read-only requests go to them, writes and
# a writer's reads until the replica has replayed its write go to the primary. None: nothing is routed.
_replicas = database_replicas("DATABASE_REPLICA_URLS", DATABASES["default"])
DATABASES.update(_replicas)
DATABASE_REPLICAS = list(_replicas)
DATABASE_REPLICA_BACKOFF_SECONDS = env_int("TOUZI_DB_REPLICA_BACKOFF_SECONDS", 30, minimum=1)
DATABASE_REPLICA_COOKIE_SECONDS = env_int("TOUZI_DB_REPLICA_COOKIE_SECONDS", 300, minimum=1)
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["touzi.core.replicas.ReplicaRouter"]
    MIDDLEWARE.insert(0, "touzi.core.replicas.ReplicaReadsMiddleware")
# Connections one dashboard or briefing build may read on at once (touzi.core.parallel): its independent big
# statements then run on two PostgreSQL backends, i.e. two cores. 1: one connection, every statement in turn.
DB_PARALLEL_READS = env_int("TOUZI_DB_PARALLEL_READS", 2, minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Computed figures (the dashboard) are cached here: Redis in production (redis://127.0.0.1:6379/1, shared
# by every worker), this process's memory when unset. Entries are keyed by the data version, never stale.
_cache_url = env_str("TOUZI_CACHE_URL", "")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
          if _cache_url.startswith(("redis://", "rediss://", "unix://"))
          else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "touzi"}}
if _cache_url and not _cache_url.startswith(("redis://", "rediss://", "unix://", "locmem://")):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"TOUZI_CACHE_URL={_cache_url!r} is not a redis:// or locmem:// URL")
DASHBOARD_CACHE_SECONDS = env_int("TOUZI_DASHBOARD_CACHE_SECONDS", 600, minimum=0)
# A background job (briefing, backup) queued or running longer than this is taken as abandoned (its worker died).
JOB_STALE_MINUTES = env_int("TOUZI_JOB_STALE_MINUTES", 120, minimum=5)
# Financing (docs/financing.md): disbursed special-bond money not spent within this many months is idle.
FINANCING_IDLE_BOND_MONTHS = env_int("TOUZI_FINANCING_IDLE_BOND_MONTHS", 6, minimum=1)

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "touzi.accounts.validators.CharacterClassValidator"},
    {"NAME": "touzi.accounts.validators.NotUsernameValidator"},
    {"NAME": "touzi.accounts.validators.CommonPasswordListValidator"},
    {"NAME": "touzi.accounts.validators.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]
# Accounts and sign-in security (等保 2.0 level 3; docs/configuration.md "Accounts and sign-in security").
PASSWORD_MAX_AGE_DAYS = env_int("TOUZI_PASSWORD_MAX_AGE_DAYS", 90, minimum=0)  # 0: passwords never expire
LOCKOUT_FAILURES = env_int("TOUZI_LOCKOUT_FAILURES", 5, minimum=1)
LOCKOUT_MINUTES = env_int("TOUZI_LOCKOUT_MINUTES", 30, minimum=1)
SESSION_IDLE_MINUTES = env_int("TOUZI_SESSION_IDLE_MINUTES", 30, minimum=0)  # 0: no idle limit
OTP_REQUIRED_ROLES = env_list("TOUZI_OTP_REQUIRED_ROLES", ["system_admin", "security_admin", "audit_admin"])
OTP_TOTP_ISSUER = env_str("TOUZI_OTP_ISSUER", "Touzi")
AUTHENTICATION_BACKENDS = [
    "touzi.accounts.backends.LockoutBackend",  # a locked account or address is refused first
    "touzi.demo.backends.DemoAccountGuard",  # the demo accounts only in demo mode
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes counts failures per account and per address separately; touzi.accounts.lockout reads them.
AXES_FAILURE_LIMIT = LOCKOUT_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lock lasts LOCKOUT_MINUTES, not longer
AXES_DISABLE_ACCESS_LOG = True  # the audit trail records every sign-in
AXES_CLIENT_IP_CALLABLE = "touzi.audit.middleware.client_ip"  # the same address the audit trail records
AXES_LOCKOUT_CALLABLE = "touzi.accounts.lockout.lockout_response"
AXES_VERBOSE = False

# Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "touzi" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
# No separator from localisation: a bare number in a template is often a year or an id (option values, links,
# data attributes), which English grouping turned into 2,023 and broke. Amounts are grouped explicitly by
# the money filters (wan, yi, intcomma), the same in both languages.
USE_THOUSAND_SEPARATOR = False
# One format for dates and one for times in each language (2023年12月5日 / 2023-12-05): touzi/formats/.
FORMAT_MODULE_PATH = ["touzi.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("TOUZI_STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_ROOT = Path(env_str("TOUZI_MEDIA_ROOT", str(DATA_DIR / "media")))
# Backups started from the web (the system administrator's page) are written here; never served over the web.
BACKUP_DIR = Path(env_str("TOUZI_BACKUP_DIR", str(DATA_DIR / "backups")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads in an S3-compatible object store (TOUZI_MEDIA_S3_BUCKET …; docs/scaling.md) instead of MEDIA_ROOT.
_media_store = media_storage()
if _media_store is not None:
    STORAGES["default"] = _media_store
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_AGE = env_int("TOUZI_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("TOUZI_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The language choice (Django's set_language): sent only over HTTPS where the session is, never cross-site, and
# not readable by script (no script reads it; the server chooses the language).
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS (docs/deploy.md): all on in production; each can be tuned from the environment.
SECURE_SSL_REDIRECT = env_bool("TOUZI_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("TOUZI_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("TOUZI_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading into browsers is hard to undo, so it is a deliberate choice (off); Django's reminder is silenced then.
SECURE_HSTS_PRELOAD = env_bool("TOUZI_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Behind nginx, which terminates TLS: trust its X-Forwarded-Proto and X-Forwarded-For (the proxy must overwrite them).
BEHIND_PROXY = env_bool("TOUZI_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Upload of plan files through the web UI.
PLAN_UPLOAD_MAX_BYTES = env_int("TOUZI_PLAN_UPLOAD_MAX_BYTES", 2 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The statistics register counts projects of at least this total investment (万元); the national rule is 500.
LEDGER_MIN_INVESTMENT = env_int("TOUZI_LEDGER_MIN_INVESTMENT", 500, minimum=0)

# Monthly reports: evidence files and the check that flags a month far above the project's trend.
EVIDENCE_MAX_BYTES = env_int("TOUZI_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
REPORT_SPIKE_FACTOR = env_int("TOUZI_REPORT_SPIKE_FACTOR", 3, minimum=1)
FILE_UPLOAD_PERMISSIONS = 0o640

# Imports: rows above this run as a background job with progress; inline runs everything in the request.
IMPORT_BACKGROUND_ROWS = env_int("TOUZI_IMPORT_BACKGROUND_ROWS", 2000, minimum=1)
IMPORT_MAX_BYTES = env_int("TOUZI_IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
IMPORT_MAX_ROWS = env_int("TOUZI_IMPORT_MAX_ROWS", 200_000, minimum=1)
# An uploaded workbook is parsed in a child process with this much memory (on top of what it inherits)
# and CPU time: a parser bug on a hostile file refuses that file instead of killing the server process.
IMPORT_PARSE_MEMORY_MB = env_int("TOUZI_IMPORT_PARSE_MEMORY_MB", 1024, minimum=64)
IMPORT_PARSE_CPU_SECONDS = env_int("TOUZI_IMPORT_PARSE_CPU_SECONDS", 60, minimum=1)
JOBS_INLINE = env_bool("TOUZI_JOBS_INLINE", False)
# Where background jobs run (touzi/core/jobs.py): thread (one server), celery (workers on Redis), inline.
JOBS_BACKEND = env_str("TOUZI_JOBS", "inline" if JOBS_INLINE else "thread")
if JOBS_BACKEND not in {"thread", "celery", "inline"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"TOUZI_JOBS={JOBS_BACKEND!r}: use thread, celery or inline")
CELERY_BROKER_URL = env_str("TOUZI_CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Supervision: e-mail the responsible unit's users as well as the in-platform to-do list (off by default).
SUPERVISION_EMAIL = env_bool("TOUZI_SUPERVISION_EMAIL", False)
EMAIL_BACKEND = env_str("TOUZI_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("TOUZI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("TOUZI_EMAIL_PORT", 25, minimum=1)
DEFAULT_FROM_EMAIL = env_str("TOUZI_EMAIL_FROM", "touzi@localhost")
EMAIL_HOST_USER = env_str("TOUZI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_secret("TOUZI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("TOUZI_EMAIL_TLS", False)

# The monthly briefing: projects at or above this target's value are listed one by one (the plan's 10 亿元).
BRIEFING_THRESHOLD_TARGET = env_str("TOUZI_BRIEFING_THRESHOLD_TARGET", "briefing-threshold")
BRIEFING_ISSUER_SHORT = env_str("TOUZI_BRIEFING_ISSUER_SHORT", "投办")

# The public disclosure portal (/open/) and its OCDS for Infrastructure (OC4IDS) package (docs/disclosure.md).
# Project identifiers are "<prefix>-<national project code>"; register a prefix with the OC4IDS help desk.
OC4IDS_PREFIX = env_str("TOUZI_OC4IDS_PREFIX", "oc4ids-bh0001")
OC4IDS_PUBLISHER = env_str("TOUZI_OC4IDS_PUBLISHER", "北海市重大项目建设领导小组办公室")
# Without a plan stating its rule (target disclosure-threshold), projects with this much fiscal money are shown.
DISCLOSURE_THRESHOLD_WAN = env_int("TOUZI_DISCLOSURE_THRESHOLD_WAN", 1000, minimum=0)
DISCLOSURE_OPINIONS_PER_HOUR = env_int("TOUZI_DISCLOSURE_OPINIONS_PER_HOUR", 5, minimum=1)
DISCLOSURE_OPINION_MAX_CHARS = env_int("TOUZI_DISCLOSURE_OPINION_MAX_CHARS", 2000, minimum=50)
DISCLOSURE_CACHE_SECONDS = env_int("TOUZI_DISCLOSURE_CACHE_SECONDS", 300, minimum=0)

# The collection that is the city's yearly major-project list (memberships carry a year).
MAJOR_LIST_COLLECTION = env_str("TOUZI_MAJOR_LIST_COLLECTION", "major-list")

# The plan a fresh installation shows first.
DEFAULT_PLAN_FILE = BASE_DIR / "plans" / "beihai-2021-2023.yaml"
DEFAULT_PLAN_KEY = env_str("TOUZI_DEFAULT_PLAN", "beihai-2021-2023")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("TOUZI_LOG_LEVEL", "WARNING")},
    # In production audit checkpoints always reach the system log (the journal, shipped to the log host): a
    # second copy of the chain's end outside the database, whatever TOUZI_LOG_LEVEL is. In development they
    # stay in the checkpoint file and do not clutter every command's output.
    "loggers": {"touzi.audit.checkpoint": {"level": "INFO" if TOUZI_ENV == "production" else "WARNING"}},
}

# Field: how far from a project's point a site photo may be taken before it is flagged (metres). The map draws the
# vendored county outlines and fetches nothing from outside (docs/field.md) unless the installation has a tile
# server: then the map is drawn over its tiles (vendored Leaflet) and only the map pages' CSP allows its host.
FIELD_PHOTO_RADIUS_M = env_int("TOUZI_FIELD_PHOTO_RADIUS_M", 2000, minimum=50)
MAP_TILE_URL = env_tile_url("TOUZI_MAP_TILE_URL")  # "" = no tiles (the default)
MAP_TILE_ATTRIBUTION = env_str("TOUZI_MAP_TILE_ATTRIBUTION", "")  # shown as text in the map's corner
MAP_TILE_DATUM = env_choice("TOUZI_MAP_TILE_DATUM", "wgs84", ("wgs84", "gcj02"))  # 天地图/OSM: wgs84; 高德/腾讯: gcj02
MAP_TILE_MAX_ZOOM = env_int("TOUZI_MAP_TILE_MAX_ZOOM", 18, minimum=1)
