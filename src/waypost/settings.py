"""Waypost settings: one module, every knob an environment variable.

See docs/configuration.md for the full list. Defaults are the embedded ones
(SQLite in the data directory, in-process task queue, e-mail to files); a
real deployment sets ``WAYPOST_SECRET_KEY``, ``WAYPOST_ALLOWED_HOSTS`` and
usually ``DATABASE_URL``. ``waypost serve`` refuses to start when the
secret key is missing, ``DEBUG`` is on or no host is allowed.
"""

from __future__ import annotations

import os

import dj_database_url
from django.utils.translation import gettext_lazy as _

from waypost.conf import (
    PRIVATE_UMASK,
    ConfigError,
    data_dir,
    env_bool,
    env_int,
    env_list,
    env_rate,
    env_str,
    keys_dir,
    read_encryption_keys,
    read_secret_key,
)
from waypost.proxy import LOOPBACK, parse_networks

# Whatever the umask of the shell or service that starts Waypost, what it writes (the
# database and its WAL files, e-mails, uploads, the task queue) is for its own user alone.
os.umask(PRIVATE_UMASK)

DATA_DIR = data_dir()
BASE_DIR = DATA_DIR  # some third-party apps expect BASE_DIR
KEYS_DIR = keys_dir(DATA_DIR)

SECRET_KEY, SECRET_KEY_IS_EPHEMERAL = read_secret_key(KEYS_DIR)
ENCRYPTION_KEYS, ENCRYPTION_KEYS_ARE_EPHEMERAL = read_encryption_keys(KEYS_DIR)

DEBUG = env_bool("WAYPOST_DEBUG", False)
ALLOWED_HOSTS = env_list("WAYPOST_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("WAYPOST_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("WAYPOST_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "csp",
    # Our apps before allauth so our templates override its plain ones.
    "waypost.core",
    "waypost.access",
    "waypost.accounts",
    "waypost.clinics",
    "waypost.program",
    "waypost.notifications",
    "waypost.connect",
    "waypost.caseload",
    "waypost.api",
    "waypost.assessments",
    "waypost.safety",
    "waypost.learn",
    "waypost.motivation",
    "waypost.intake",
    "waypost.recovery",
    "waypost.shield",
    # Stage 3 parts of connect, after the apps whose data they read in the demo.
    "waypost.connect.meetings",
    "waypost.connect.groups",
    "waypost.connect.alerts",
    # Stage 4 and the clinician's workspace.
    "waypost.recovery.warnings",
    "waypost.flourish",
    "waypost.caseload.messages",
    "waypost.caseload.appointments",
    "waypost.caseload.notes",
    "waypost.caseload.reports",
    "waypost.caseload.outcomes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "waypost.core.sessions.SlidingSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "waypost.core.middleware.SecurityHeadersMiddleware",
    "waypost.clinics.middleware.TimeZoneMiddleware",
    "waypost.clinics.two_factor.RequireTwoFactorMiddleware",
]

ROOT_URLCONF = "waypost.urls"
WSGI_APPLICATION = "waypost.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "waypost.access.context_processors.waypost",
            ],
        },
    },
]

# --- database -------------------------------------------------------------
_sqlite_path = DATA_DIR / "waypost.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{_sqlite_path}",
        conn_max_age=env_int("WAYPOST_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the single writer work at once; IMMEDIATE avoids
    # "database is locked" upgrades inside transactions; synchronous=NORMAL
    # is durable in WAL mode up to the last checkpointed commit.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache (login throttling counts live here) -----------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "waypost_cache",
        }
    }

# --- background work --------------------------------------------------------
if REDIS_URL:
    HUEY: dict[str, object] = {"huey_class": "huey.RedisHuey", "name": "waypost", "url": REDIS_URL}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # the embedded queue lives here
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "waypost",
        "filename": str(DATA_DIR / "tasks.sqlite3"),
    }
HUEY["immediate"] = env_bool("WAYPOST_TASKS_IMMEDIATE", False)
HUEY["consumer"] = {"workers": env_int("WAYPOST_WORKERS", 2), "worker_type": "thread"}

# --- accounts ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/login/"
ACCOUNT_ADAPTER = "waypost.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Waypost: "
ACCOUNT_RATE_LIMITS = {
    # Wrong passwords and two-factor codes. "ip": from one address, whatever the account;
    # "key": for one account from one address (accounts/adapter.py), slower and slower.
    "login_failed": env_str("WAYPOST_LOGIN_RATE_LIMIT", "30/15m/ip,5/5m/key,10/1h/key,20/1d/key"),
    "reset_password": "10/m/ip,3/5m/key",
    "reset_password_from_key": "20/m/ip",
}
# API requests allowed per person (or token) per period: "600/m", "10000/h", "50/s"
WAYPOST_API_RATE_LIMIT = env_rate("WAYPOST_API_RATE_LIMIT", "600/m")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Waypost"
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
# allauth refuses two-factor set-up while an address is "unverified", which every
# Waypost address is (ACCOUNT_EMAIL_VERIFICATION is "none"), so nobody could set it up.
# Its worry, a stranger signing up with someone else's address first, cannot happen
# here: sign-up is closed and every account comes from an invitation e-mailed to it.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_FORMS = {
    "authenticate": "waypost.accounts.adapter.TwoFactorForm",
    "reauthenticate": "waypost.accounts.sign_in_forms.TwoFactorReauthenticateForm",
    "activate_totp": "waypost.accounts.sign_in_forms.ActivateTOTPForm",
}
# allauth's forms with Waypost's words (the templates are in accounts/templates/account/)
ACCOUNT_FORMS = {
    name: f"waypost.accounts.sign_in_forms.{cls}"
    for name, cls in {
        "reset_password": "ResetPasswordForm",
        "reset_password_from_key": "ResetPasswordKeyForm",
        "change_password": "ChangePasswordForm",
        "set_password": "SetPasswordForm",
        "reauthenticate": "ReauthenticateForm",
        "add_email": "AddEmailForm",
    }.items()
}

SESSION_COOKIE_AGE = env_int("WAYPOST_SESSION_SECONDS", 12 * 3600)
# Idle sessions expire, active ones stay: core.sessions.SlidingSessionMiddleware saves the
# session (and so moves its expiry) at most every five minutes, not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("WAYPOST_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
INVITATION_DAYS = env_int("WAYPOST_INVITATION_DAYS", 7)

# Waypost Shield, the DNS filter (docs/shield.md). SHIELD_HOST is the public name devices
# use: DoH at https://SHIELD_HOST/dns-query/<token>, DoT at <token>.SHIELD_HOST (its
# certificate must cover both). SHIELD_DNS_ADDRESSES are the addresses a home router is
# pointed at for plain DNS. Empty: the setup pages say Shield is not set up here yet.
SHIELD_HOST = env_str("WAYPOST_SHIELD_HOST", "").strip().lower().rstrip(".")
SHIELD_DNS_ADDRESSES = env_list("WAYPOST_SHIELD_DNS_ADDRESSES")
# Blocklists to download and compile, CATEGORY=URL each (shield/refresh.py), every so often.
SHIELD_LISTS = env_list("WAYPOST_SHIELD_LISTS")
SHIELD_REFRESH_HOURS = env_int("WAYPOST_SHIELD_REFRESH_HOURS", 24)

# --- security headers ---------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Served over HTTPS (secure cookies on): browsers are told to come back only over HTTPS,
# for a year unless WAYPOST_HSTS_SECONDS says otherwise. Sent on HTTPS responses only.
SECURE_HSTS_SECONDS = env_int("WAYPOST_HSTS_SECONDS", 31_536_000 if SESSION_COOKIE_SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("WAYPOST_HSTS_INCLUDE_SUBDOMAINS", True)
# "preload" in the header allows (it does not make) a submission to browsers' HTTPS-only list.
SECURE_HSTS_PRELOAD = env_bool("WAYPOST_HSTS_PRELOAD", SESSION_COOKIE_SECURE)
SECURE_SSL_REDIRECT = env_bool("WAYPOST_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # monitoring asks over plain HTTP on loopback
# Who may say, in X-Forwarded-Proto / -Host / -For, what the request really was
# (waypost.proxy): the loopback address behind a proxy on this machine, and the
# addresses or networks in WAYPOST_TRUSTED_PROXIES. Nobody else.
BEHIND_PROXY = env_bool("WAYPOST_BEHIND_PROXY", False)
try:
    TRUSTED_PROXIES = (LOOPBACK if BEHIND_PROXY else ()) + parse_networks(
        env_list("WAYPOST_TRUSTED_PROXIES")
    )
except ValueError as exc:
    raise ConfigError(f"WAYPOST_TRUSTED_PROXIES: {exc}") from None

# Nothing from another host, ever: every directive is 'self' or none.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # the service worker (/sw.js) and the web app manifest, from this host only
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- e-mail -------------------------------------------------------------------
EMAIL_BACKEND = env_str("WAYPOST_EMAIL_BACKEND", "") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("WAYPOST_SMTP_HOST")
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
EMAIL_HOST = env_str("WAYPOST_SMTP_HOST", "localhost")
EMAIL_PORT = env_int("WAYPOST_SMTP_PORT", 587)
EMAIL_HOST_USER = env_str("WAYPOST_SMTP_USER")
EMAIL_HOST_PASSWORD = env_str("WAYPOST_SMTP_PASSWORD")
EMAIL_USE_TLS = env_bool("WAYPOST_SMTP_TLS", True)
DEFAULT_FROM_EMAIL = env_str("WAYPOST_FROM_EMAIL", "Waypost <no-reply@waypost.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- i18n and time ---------------------------------------------------------------
LANGUAGE_CODE = env_str("WAYPOST_LANGUAGE", "en")
LANGUAGES = [("en", _("English"))]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- static and uploaded files -------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves collected files from here
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve from app folders; no collectstatic step needed
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# --- logging: never sensitive text, never request bodies -----------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("WAYPOST_LOG_LEVEL", "INFO")},
    "loggers": {"django.security.DisallowedHost": {"level": "ERROR"}},
}

NINJA_PAGINATION_PER_PAGE = 50
