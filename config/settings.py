"""Settings, read once from the environment.

Local defaults need no configuration (the launcher supplies DATABASE_URL and REDIS_URL for
the embedded servers). With DJANGO_ENV=production a missing secret key or allowed host
stops the start, and `manage.py check --deploy` has nothing to warn about.
"""

import os
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
DJANGO_ENV = env.str("DJANGO_ENV", default="local")
PRODUCTION = DJANGO_ENV == "production"
TESTING = env.bool("EARLYHELP_TESTING", default=False)

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("SECRET_KEY must be set to 50+ random characters in production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must name this service's hosts in production")
    DEBUG = False
else:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-local-development-only")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
    DEBUG = env.bool("DEBUG", default=not TESTING)

# Continuum of need labels, per authority: LEVEL_OF_NEED_LABELS="1=Thriving,2=Getting help,..."
LEVEL_OF_NEED_LABELS = {int(k): v for k, v in env.dict("LEVEL_OF_NEED_LABELS", default={}).items()}
AUTHORITY_NAME = env.str("AUTHORITY_NAME", default="Demoshire County Council")
# Families First (DfE 2025): the authority's words, used on every page, document and export
# through earlyhelp/wording.py ({% term "lead professional" %} in templates).
LEAD_TITLE = env.str("LEAD_TITLE", default="lead professional")
HELP_NAME = env.str("HELP_NAME", default="early help")
SAFEGUARDING_PHONE = env.str("SAFEGUARDING_PHONE", default="0300 123 4567")
# Paths other systems call: their errors (404, 405, 500) are JSON, never a page.
JSON_PATH_PREFIXES = ("/api/", "/openreferral/")
# Front door: working days to a triage decision (English bank holidays excluded).
TRIAGE_TARGET_WORKING_DAYS = {
    "urgent": env.int("TRIAGE_TARGET_URGENT_DAYS", default=1),
    "routine": env.int("TRIAGE_TARGET_ROUTINE_DAYS", default=3),
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_celery_beat",
    "csp",
    "earlyhelp",
    "partners",
    "cases",
    "referrals",
    "assessments",
    "reporting",
    "reminders",
    "directory",
    "records",
    "oversight",
    "work",
    "outcomes",
    "reporting.summaries",
    "demo",
    "earlyhelp.outbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "earlyhelp.middleware.NulCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "earlyhelp.middleware.PrivatePagesMiddleware",
    "earlyhelp.otp.OTPMiddleware",  # django_otp's, reading the device more cheaply
    "earlyhelp.middleware.ApiAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "earlyhelp.middleware.AccessRuleMiddleware",
    "earlyhelp.db_routers.ReplicaReadsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Innermost: the page it gives a 405 goes out through every header the others add.
    "earlyhelp.middleware.MethodNotAllowedMiddleware",
]

# Django's form renderer, writing text boxes, drop-downs and inputs in Python (the same HTML).
FORM_RENDERER = "earlyhelp.form_renderer.FormRenderer"
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Used on nearly every page: the authority's words and its level labels.
            "builtins": ["earlyhelp.templatetags.wording", "cases.templatetags.levels"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "config.context_processors.service",
            ],
        },
    },
]


def _database_from_env(var: str = "DATABASE_URL") -> dict:
    """DATABASE_URL, with a Unix-socket host given as ?host=/path moved where Django reads it."""
    config = env.db_url(var, default="postgres://postgres@127.0.0.1:5432/earlyhelp")
    options = config.setdefault("OPTIONS", {})
    if not config.get("HOST") and "host" in options:
        config["HOST"] = options.pop("host")
    config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True
    config["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default=f"test_{config['NAME']}")}
    return config


DATABASES = {"default": _database_from_env()}
# Parallel query on the primary: off by default. Page requests run side by side in several
# web workers, and a query's extra parallel processes took CPU the other requests queued for
# (ADR 0005). The replica, which serves the long report reads, keeps PostgreSQL's default.
DATABASES["default"]["OPTIONS"]["options"] = (
    f"-c max_parallel_workers_per_gather={env.int('DATABASE_PARALLEL_WORKERS', default=0)}"
)
# A streaming read replica for reports, exports and dashboards (earlyhelp/db_routers.py).
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = _database_from_env("DATABASE_REPLICA_URL")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["earlyhelp.db_routers.ReplicaRouter"]
REPLICA_READ_URL_NAMES = [
    "dashboard",
    "dashboard_cases",
    "dashboard_referrals",
    "indicators",
    "indicators_download",
    "api_indicators",
    "api_caseload",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: redis://host:port/n for a server, redis+socket:///path for the embedded one.
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
_REDIS_FOR_PY = REDIS_URL.replace("redis+socket://", "unix://", 1)
# Parallel test processes (pytest-xdist's gw0, gw1, …) each have their own test database;
# their cache keys get their own prefix too, so that one process's cached figures, sessions
# and throttle counts never answer another's. Celery test queues are named per process.
_TEST_WORKER = f"-{os.environ.get('PYTEST_XDIST_WORKER', '')}" if TESTING else ""

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _REDIS_FOR_PY,
        "KEY_PREFIX": env.str("CACHE_PREFIX", default="earlyhelp") + _TEST_WORKER,
        "TIMEOUT": 300,
    }
}

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TIMEZONE = "Europe/London"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULER = "earlyhelp.beat:CatchUpScheduler"  # catch-up after a broker outage
BEAT_PUBLISH_RETRY_SECONDS = env.float("BEAT_PUBLISH_RETRY_SECONDS", default=10)
CELERY_TASK_ALWAYS_EAGER = False
# Reminders (reminders/conf.py): working days before a deadline for "due soon", working days
# overdue before a manager is told, and days without recorded activity before a case drifts.
REMINDER_DUE_SOON_WORKING_DAYS = env.int("REMINDER_DUE_SOON_WORKING_DAYS", default=5)
REMINDER_ESCALATION_WORKING_DAYS = env.int("REMINDER_ESCALATION_WORKING_DAYS", default=5)
REMINDER_DRIFT_DAYS = env.int("REMINDER_DRIFT_DAYS", default=30)

AUTH_USER_MODEL = "partners.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the user with their agency and all permissions in one
    # query each (partners/auth_backend.py).
    "partners.auth_backend.UserBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# NCSC password guidance: length over complexity rules, block common passwords, no expiry.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name", "job_title")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Argon2id tuned for sign-in under load (earlyhelp/hashers.py, ADR 0010); older hashes are
# still checked and upgraded at the next sign-in.
PRODUCTION_PASSWORD_HASHERS = [
    "earlyhelp.hashers.TunedArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_HASHERS = PRODUCTION_PASSWORD_HASHERS
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Sign-in lock-out (django-axes): five failures for one account (from any address) lock the
# account, and five failures from one address (for any accounts) lock the address, each for
# 30 minutes. An email that has no account locks the same way, so the answer never tells an
# attacker which emails exist.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "earlyhelp.audit.client_address"
# The client address for audit and lock-out: the number of reverse proxies in front of the app
# that append the address they saw to X-Forwarded-For. 0 (the default): the address of the
# connection, and X-Forwarded-For is ignored (anyone can write it).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Sessions end after 30 minutes of inactivity; pages warn 5 minutes before.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ENGINE = "earlyhelp.sessions"  # Django's database sessions, one statement per save
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_WARNING_SECONDS = 5 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Two-factor sign-in: every role that can see case data must verify a TOTP device.
OTP_TOTP_ISSUER = AUTHORITY_NAME
# Administrators never see another user's TOTP secret or QR code in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
EARLYHELP_REQUIRE_2FA = env.bool("REQUIRE_2FA", default=True)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The product uses no camera, microphone, location or payment: no page (nor anything injected
# into one) may ask for them.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
    EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
else:
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
    )
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / ".local" / "mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="earlyhelp@localhost")
# The address people reach the service at, for the links in emails: required in production.
SITE_URL = env.str("SITE_URL", default="" if PRODUCTION else "http://127.0.0.1:8000").rstrip("/")
if PRODUCTION and not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured("SITE_URL must be the service's https:// address in production")
# Every email goes through the outbox (outbox/conf.py, docs/adr/0004).
OUTBOX_SMTP_TIMEOUT = env.float("OUTBOX_SMTP_TIMEOUT", default=10)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=6)
OUTBOX_RETRY_BASE_SECONDS = env.float("OUTBOX_RETRY_BASE_SECONDS", default=60)
OUTBOX_RETRY_MAX_SECONDS = env.float("OUTBOX_RETRY_MAX_SECONDS", default=3600)
OUTBOX_STALE_SECONDS = env.float("OUTBOX_STALE_SECONDS", default=180)
OUTBOX_BATCH = env.int("OUTBOX_BATCH", default=50)
OUTBOX_TASK_SOFT_TIME_LIMIT = env.int("OUTBOX_TASK_SOFT_TIME_LIMIT", default=100)
OUTBOX_TASK_TIME_LIMIT = env.int("OUTBOX_TASK_TIME_LIMIT", default=120)
OUTBOX_WAKE_SENDER = env.bool("OUTBOX_WAKE_SENDER", default=True)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".local" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".local" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION or DJANGO_ENV == "build"
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if DJANGO_ENV == "local":
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".local" / "media")
EXPORT_KEEP_HOURS = env.float("EXPORT_KEEP_HOURS", default=24)  # export files deleted after
# Uploads and exports go through default_storage: local disk (MEDIA_ROOT) by default, shared
# by web and worker through a volume on one host; an S3-compatible bucket (django-storages)
# when STORAGE_BUCKET is set, so web processes and workers on different hosts share files.
if env.str("STORAGE_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("STORAGE_BUCKET"),
            "endpoint_url": env.str("STORAGE_ENDPOINT_URL", default="") or None,
            "region_name": env.str("STORAGE_REGION", default="") or None,
            "access_key": env.str("STORAGE_ACCESS_KEY", default="") or None,
            "secret_key": env.str("STORAGE_SECRET_KEY", default="") or None,
            "location": env.str("STORAGE_PREFIX", default=""),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Partner systems only: tokens of service accounts, with an expiry and a scope.
        # First, so a refused token is answered 401 with WWW-Authenticate: Token.
        "earlyhelp.api.ServiceTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["earlyhelp.api.DeclaredRule"],
    # drf-spectacular's, with the 401, 403 and 404 answers documented
    "DEFAULT_SCHEMA_CLASS": "earlyhelp.api_schema.ContractSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "earlyhelp.api.CursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "earlyhelp.api.exception_handler",
    # Throttles tell clients apart by the same trusted-proxy rule as the audit trail.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # Throttling is active for every endpoint (the rates are read per request, in Redis).
    "DEFAULT_THROTTLE_CLASSES": [
        "earlyhelp.api.UserRateThrottle",
        "earlyhelp.api.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("API_RATE_USER", default="600/minute"),
        "anon": env.str("API_RATE_ANON", default="60/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Early help case management API",
    "DESCRIPTION": "Records of early help for children and families, scoped by the caller's "
    "role, agency and district. Every call is audited.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and docs need the same door as the API: signed in, second factor verified.
    "SERVE_PERMISSIONS": ["earlyhelp.api.DeclaredRule"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two inputs named `reason` take different codes: each list keeps its own name.
    "ENUM_NAME_OVERRIDES": {
        "ReasonEnum": "referrals.models.ClosedReason",
        "ClosureReasonEnum": "cases.models.ClosureReason",
    },
}

GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # One JSON object a line in production, for the log collector. Messages never carry
        # personal data: ids and counts only.
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "filters": {"requests": {"()": "earlyhelp.logs.RequestsWithoutPersonalData"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # Also here, for django.security.* and any other logger that passes a request.
            "filters": ["requests"],
            "formatter": env.str("LOG_FORMAT", default="json" if PRODUCTION else "plain"),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["requests"]},
        # runserver's own lines (make run), through the same handler and filter.
        "django.server": {"handlers": ["console"], "filters": ["requests"], "propagate": False},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
