"""Settings come from the environment, and a wrong environment says what is wrong."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.settings import email_settings


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_without_secret_key_stops_with_a_clear_message():
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_debug_value_is_named():
    result = manage("check", DEBUG="maybe")
    assert "DEBUG must be one of" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_a_mail_server_development_prints_and_production_sends_nothing(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    monkeypatch.delenv("EMAIL_HOST", raising=False)
    monkeypatch.setenv("DEBUG", "1")
    assert email_settings() == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    monkeypatch.setenv("DEBUG", "0")
    assert email_settings() == {"EMAIL_BACKEND": "accounts.mail.UnsentEmailBackend"}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp+tls://mailer:p%40ss@mail.example.org",
            {"EMAIL_HOST": "mail.example.org", "EMAIL_PORT": 587, "EMAIL_HOST_USER": "mailer",
             "EMAIL_HOST_PASSWORD": "p@ss", "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False},
        ),
        ("smtps://mail.example.org", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
        ("smtp://localhost:1025", {"EMAIL_HOST": "localhost", "EMAIL_PORT": 1025, "EMAIL_USE_TLS": False}),
    ],
)  # fmt: skip
def test_email_url(monkeypatch, url, expected):
    monkeypatch.setenv("EMAIL_URL", url)
    result = email_settings()
    assert result["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert {key: result[key] for key in expected} == expected


def test_email_url_with_another_scheme_is_refused(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "http://mail.example.org")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must start with smtp"):
        email_settings()


def test_email_host_variables(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    monkeypatch.setenv("EMAIL_HOST", "smtp.example.org")
    monkeypatch.setenv("EMAIL_PORT", "2525")
    result = email_settings()
    assert (result["EMAIL_HOST"], result["EMAIL_PORT"], result["EMAIL_USE_TLS"]) == ("smtp.example.org", 2525, True)
