"""InfraLearn settings. Everything that differs between machines comes from the environment."""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}.")


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


# Core

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random string "
            "(for example: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    # modeltranslation must come before the admin so its admin integration is registered first.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
    "kb",
    "search",
    "courses",
    "quizzes",
    "learning",
    "accounts",
    "authoring",
]

MIDDLEWARE = [
    "config.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.RequestLogMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kb.middleware.RememberLanguageMiddleware",
    "config.middleware.RefuseNulMiddleware",
    "config.middleware.NotFoundPageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: stored pages go back up through every middleware above (config.page_cache).
    "config.page_cache.PageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "kb.context_processors.language_versions",
                "kb.context_processors.glossary_marks",
                "kb.context_processors.theme",
                "kb.context_processors.sharing",
                "kb.context_processors.authoring",
                "authoring.context_processors.instructor_tools",
                "kb.context_processors.fragment_cache",
            ],
        },
    },
]

# Forms render with the templates above, so that templates/ can fix a widget's markup (the admin's date and
# time inputs get labels: templates/admin/widgets/split_datetime.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database

# Connections are kept between requests (opening one costs more than most queries) and checked before reuse.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # When the database is down, give up within seconds (pages answer 503) instead of hanging a worker.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(os.environ.get("DB_CONNECT_TIMEOUT", "3"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts and wait for it, instead of failing with "database is
    # locked" when two requests write at once; WAL lets readers carry on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "learning:dashboard"
LOGOUT_REDIRECT_URL = "home"

# Email: SMTP when EMAIL_URL (smtp://user:password@host:587, smtps://... for implicit TLS) or EMAIL_HOST is
# set. Otherwise, in development, messages such as password resets are printed on the console; in
# production nothing is sent and nothing secret is logged (accounts.mail), and the reset page says so.


def email_settings():
    url = os.environ.get("EMAIL_URL", "").strip()
    if url:
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps", "smtp+tls"}:
            raise ImproperlyConfigured(f"EMAIL_URL must start with smtp://, smtp+tls:// or smtps://; got {url!r}.")
        options = parse_qs(parts.query)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 587 if parts.scheme == "smtp+tls" else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": parts.scheme == "smtps",
            "EMAIL_USE_TLS": parts.scheme == "smtp+tls" or options.get("tls", ["0"])[0] in {"1", "true"},
        }
    if os.environ.get("EMAIL_HOST"):
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": os.environ["EMAIL_HOST"],
            "EMAIL_PORT": int(os.environ.get("EMAIL_PORT", "587")),
            "EMAIL_HOST_USER": os.environ.get("EMAIL_HOST_USER", ""),
            "EMAIL_HOST_PASSWORD": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "EMAIL_USE_TLS": env_bool("EMAIL_USE_TLS", default=True),
            "EMAIL_USE_SSL": env_bool("EMAIL_USE_SSL", default=False),
        }
    if env_bool("DEBUG", default=False):
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    return {"EMAIL_BACKEND": "accounts.mail.UnsentEmailBackend"}


globals().update(email_settings())
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "InfraLearn <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Languages

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hant", _("Traditional Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# Translated model fields: English is the source every other language falls back to.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "zh-hant")}

# Static files

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security (strict unless DEBUG is on; every setting can be relaxed from the environment)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Content-Security-Policy (config.middleware.SecurityHeadersMiddleware): no inline script anywhere; images
# may come from other HTTPS sites because articles can show them.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: https:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# Cache: shared through Redis when REDIS_URL is set (several app servers then agree on login throttling and
# the glossary); otherwise each process keeps its own in memory. Readers' pages and fragments of pages
# ("pages", config.page_cache) have a cache of their own, so that they never push out login counters.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
# How long a cached page or fragment is kept at most. A content change makes them miss at once (every key
# holds the content version); this only bounds their memory and what no version follows (an author's name).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))


def cache_settings(prefix, timeout, entries):
    if REDIS_URL:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
            "TIMEOUT": timeout,
        }
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": prefix,
        "TIMEOUT": timeout,
        "OPTIONS": {"MAX_ENTRIES": entries},
    }


CACHES = {
    "default": cache_settings("infralearn", 300, 300),
    "pages": cache_settings("infralearn-pages", PAGE_CACHE_SECONDS, 2000),
}

# Anonymous readers' pages served from the "pages" cache (URL names), and the cookies that change such a
# page (the cache keeps one copy per value): whether glossary terms are marked in the text, the colours chosen.
PAGE_CACHE_VIEWS = [
    "home",
    "kb:article-list",
    "kb:article-detail",
    "kb:article-side-by-side",
    "kb:topic-detail",
    "kb:tag-detail",
    "kb:feed",
    "kb:glossary",
    "kb:glossary-group",
    "courses:catalogue",
    "courses:course-detail",
    "courses:lesson-detail",
    "courses:lesson-side-by-side",
    "sitemap",
]
PAGE_CACHE_COOKIES = ["glossary_marks", "theme"]

# Spaced review (learning.services): the share of reviews the scheduler aims to have answered right.
REVIEW_DESIRED_RETENTION = float(os.environ.get("REVIEW_DESIRED_RETENTION", "0.9"))

# Login throttling (accounts.throttle): this many failures for one username, or from one address, within
# the window refuse further attempts until the window has passed.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("LOGIN_FAILURE_WINDOW", str(15 * 60)))
# Password resets (accounts.throttle): at most this many requests per email address and per client address
# within the window.
PASSWORD_RESET_LIMIT_PER_EMAIL = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_EMAIL", "3"))
PASSWORD_RESET_LIMIT_PER_CLIENT = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_CLIENT", "10"))
PASSWORD_RESET_WINDOW = int(os.environ.get("PASSWORD_RESET_WINDOW", str(60 * 60)))
# How many proxies in front add themselves to X-Forwarded-For (0: use the connection's address).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Logging: one JSON object per line on stdout (config.logs), nothing written to files.

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.logs.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Replace Django's own handlers (plain text on stderr, mail to admins) with the root's JSON lines.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # runserver's own request lines repeat config.middleware.RequestLogMiddleware's: only its problems.
        "django.server": {"handlers": [], "level": "WARNING", "propagate": True},
    },
}

# Site

ARTICLES_PER_PAGE = 12
