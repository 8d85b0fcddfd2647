"""Settings from the environment.

- ``DATABASE_URL`` unset: SQLite file ``govsocial.sqlite3`` in the working folder; set: that
  database (``postgresql://...`` with psycopg 3, or ``sqlite:///path``).
- ``REDIS_URL`` unset: background tasks run in-process (Celery eager mode, same code path); set:
  Celery workers on that Redis.
- ``GOVSOCIAL_ENV=production``: secure settings (HTTPS, HSTS, secure cookies); ``SECRET_KEY`` and
  ``ALLOWED_HOSTS`` must then come from the environment. ``python manage.py check --deploy`` passes.
- Others: ``GOVSOCIAL_SERVICE_NAME``, ``GOVSOCIAL_PACK_DIRS`` (where channel pack files may live),
  ``GOVSOCIAL_TRUSTED_PROXIES`` (reverse proxies in front, for the lockout's client address),
  ``AXES_FAILURE_LIMIT`` / ``AXES_COOLOFF_HOURS`` (sign-in lockout), ``SESSION_COOKIE_AGE``,
  ``CSRF_TRUSTED_ORIGINS``, ``STATIC_ROOT``, ``TIME_ZONE``, ``LOG_LEVEL``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PRODUCTION = os.environ.get("GOVSOCIAL_ENV", "development") == "production"
DEBUG = os.environ.get("GOVSOCIAL_DEBUG", "0") == "1" and not PRODUCTION

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    SECRET_KEY = "dev-only-insecure-key-change-me-" + "x" * 32

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "govsocial.web.accounts",
    "govsocial.web.audit",
    "govsocial.web.channels",
    "govsocial.web.drafts",
    "govsocial.web.inbox",
    "govsocial.web.review",
    "govsocial.web.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "govsocial.web.urls"
WSGI_APPLICATION = "govsocial.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "govsocial.web.jinja2.environment", "autoescape": True},
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{Path.cwd() / 'govsocial.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
CSRF_FAILURE_VIEW = "govsocial.web.errors.csrf_failure"

# Lockout after repeated failures (django-axes): 5 failures lock the account for 15 minutes.
# Two separate counters: failures for one username (from anywhere) and failures from one client
# address (for any username), so neither guessing one password nor spraying many accounts works.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "govsocial.web.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "govsocial.web.accounts.security.client_ip"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Behind N trusted reverse proxies the client address is the Nth entry from the right of X-Forwarded-For.
GOVSOCIAL_TRUSTED_PROXIES = int(os.environ.get("GOVSOCIAL_TRUSTED_PROXIES", "0"))

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "en-nz"
TIME_ZONE = os.environ.get("TIME_ZONE", "Pacific/Auckland")
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# collectstatic's target; in development files are served from the app's static folder directly.
STATIC_ROOT: Path | None = (
    Path(os.environ["STATIC_ROOT"])
    if os.environ.get("STATIC_ROOT")
    else (Path.cwd() / ".static" if PRODUCTION else None)
)
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Background work. The same task functions run either way: eager in-process without Redis.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# The agency's look: name, logo and colours (no GOV.UK crest or font: they are reserved for GOV.UK).
GOVSOCIAL_SERVICE_NAME = os.environ.get("GOVSOCIAL_SERVICE_NAME", "govsocial")
GOVSOCIAL_API_RATE = os.environ.get("GOVSOCIAL_API_RATE", "120/m")
# Folders a channel's pack file may be loaded from (separated by ":"; default: the working folder).
GOVSOCIAL_PACK_DIRS = [p for p in os.environ.get("GOVSOCIAL_PACK_DIRS", "").split(os.pathsep) if p]
# The issuer shown in authenticator apps next to the account name.
OTP_TOTP_ISSUER = GOVSOCIAL_SERVICE_NAME

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "govsocial"}}
if REDIS_URL:
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")
