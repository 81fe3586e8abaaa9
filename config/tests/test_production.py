"""What the site does in production beyond its pages: probes, request ids and logs, security headers, login
throttling, and error pages that never show a traceback."""

import json
import logging
import re
import threading
import time
import uuid

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth import forms as auth_forms
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.db import OperationalError
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from accounts import throttle
from accounts.forms import LoginForm
from config.logs import JsonFormatter

pytestmark = pytest.mark.django_db


def failing_view(request):
    raise RuntimeError("a bug")


def database_down_view(request):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


# A URLconf with views that fail, for the error pages (the site's own URLs come after them).
urlpatterns = i18n_patterns(path("broken/", failing_view), path("database-down/", database_down_view))


@pytest.fixture
def failing_urls(settings):
    from config import urls

    settings.ROOT_URLCONF = __name__
    globals()["handler500"] = urls.handler500
    globals()["handler400"] = urls.handler400
    return Client(raise_request_exception=False)


class TestProbes:
    def test_healthz_answers_whatever_the_host(self, client):
        response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
        assert response.status_code == 200
        assert response.content == b"ok\n"

    def test_readyz_checks_the_database(self, client):
        assert client.get("/readyz").status_code == 200

    def test_readyz_is_503_when_the_database_is_unreachable(self, client, monkeypatch):
        from django.db import connection

        def refuse():
            raise OperationalError("connection refused")

        monkeypatch.setattr(connection, "ensure_connection", refuse)
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response["Cache-Control"] == "no-store"


class TestRequestIdsAndLogs:
    def test_every_response_has_a_request_id(self, client):
        first, second = client.get("/en/"), client.get("/en/")
        assert len(first["X-Request-ID"]) == 32
        assert first["X-Request-ID"] != second["X-Request-ID"]

    def test_the_proxy_request_id_is_kept_when_it_is_sane(self, client):
        assert client.get("/en/", HTTP_X_REQUEST_ID="lb-1234abcd")["X-Request-ID"] == "lb-1234abcd"
        assert client.get("/en/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"

    def test_one_json_line_per_request(self, client, caplog):
        with caplog.at_level(logging.INFO, logger="infralearn.request"):
            response = client.get("/zh-hant/articles/")
        (record,) = [record for record in caplog.records if record.name == "infralearn.request"]
        line = JsonFormatter().format(record)
        assert "\n" not in line
        entry = json.loads(line)
        assert entry["level"] == "INFO"
        assert entry["logger"] == "infralearn.request"
        assert entry["path"] == "/zh-hant/articles/"
        assert entry["status"] == 200
        assert entry["method"] == "GET"
        assert entry["request_id"] == response["X-Request-ID"]
        assert entry["duration_ms"] >= 0
        assert entry["time"].endswith("+00:00")

    def test_errors_carry_their_traceback_in_one_line(self, failing_urls, caplog):
        with caplog.at_level(logging.ERROR):
            response = failing_urls.get("/en/broken/")
        assert response.status_code == 500
        lines = [JsonFormatter().format(record) for record in caplog.records if record.exc_info]
        assert lines, "the exception was not logged"
        entry = json.loads(lines[0])
        assert "RuntimeError: a bug" in entry["exception"]
        assert entry["request_id"] == response["X-Request-ID"]

    def test_logs_go_to_stdout_and_nowhere_else(self, settings):
        handlers = settings.LOGGING["handlers"]
        assert [handler["stream"] for handler in handlers.values()] == ["ext://sys.stdout"]
        assert not any("File" in handler["class"] for handler in handlers.values())


class TestSecurityHeaders:
    @pytest.mark.parametrize("url", ["/en/", "/zh-hant/search/?q=docker", "/en/accounts/login/", "/en/nowhere/"])
    def test_html_pages_forbid_inline_script_and_framing(self, client, url):
        response = client.get(url)
        policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
        assert policy["script-src"] == "'self'"
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert policy["frame-ancestors"] == "'none'"
        assert policy["object-src"] == "'none'"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"

    def test_no_template_has_an_inline_script_or_style(self, settings):
        from pathlib import Path

        offenders = []
        for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
            text = template.read_text()
            for needle in ("<script>", "<script type", " onclick=", " onload=", " style=", "<style"):
                if needle in text:
                    offenders.append(f"{template.name}: {needle.strip()}")
        assert offenders == []


def _log_in(client, username, password, language="en", address="10.0.0.1"):
    return client.post(
        f"/{language}/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


class TestLoginThrottling:
    @pytest.fixture
    def learner(self, django_user_model):
        return django_user_model.objects.create_user("mei", password="a-long-passphrase-42")

    def test_five_failures_lock_the_username_even_for_the_right_password(self, client, learner):
        for attempt in range(5):
            response = _log_in(client, "mei", f"wrong-{attempt}", address=f"10.0.0.{attempt}")
            assert response.status_code == 200
            assert "Too many" not in response.content.decode()
        response = _log_in(client, "mei", "a-long-passphrase-42", address="10.9.9.9")
        assert response.status_code == 200
        assert "Too many failed sign-in attempts" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_five_failures_from_one_address_lock_it_for_every_username(self, client, learner):
        for attempt in range(5):
            _log_in(client, f"someone-{attempt}", "guess", address="192.0.2.7")
        response = _log_in(client, "mei", "a-long-passphrase-42", language="zh-hant", address="192.0.2.7")
        assert "登入失敗次數過多" in response.content.decode()
        # Another address is not affected.
        assert _log_in(client, "mei", "a-long-passphrase-42", address="192.0.2.8").status_code == 302

    def test_the_lock_ends_when_the_window_has_passed(self, client, learner, monkeypatch, settings):
        if not isinstance(caches["default"], locmem.LocMemCache):
            pytest.skip("the clock is moved in the in-memory cache only")
        now = [1_000_000.0]
        monkeypatch.setattr(locmem.time, "time", lambda: now[0])
        for attempt in range(5):
            _log_in(client, "mei", f"wrong-{attempt}")
        assert "Too many" in _log_in(client, "mei", "a-long-passphrase-42").content.decode()
        now[0] += settings.LOGIN_FAILURE_WINDOW + 1
        assert _log_in(client, "mei", "a-long-passphrase-42").status_code == 302

    def test_four_failures_then_success_starts_again(self, client, learner):
        for attempt in range(4):
            _log_in(client, "mei", f"wrong-{attempt}", address="10.0.0.1")
        assert _log_in(client, "mei", "a-long-passphrase-42", address="10.0.0.2").status_code == 302
        client.logout()
        for attempt in range(4):
            _log_in(client, "mei", f"wrong-{attempt}", address="10.0.0.3")
        assert _log_in(client, "mei", "a-long-passphrase-42", address="10.0.0.4").status_code == 302

    def test_the_admin_login_is_throttled_too(self, client, learner):
        for attempt in range(5):
            client.post("/admin/login/", {"username": "mei", "password": f"wrong-{attempt}"})
        response = client.post("/admin/login/", {"username": "mei", "password": "a-long-passphrase-42"})
        assert "Too many failed sign-in attempts" in response.content.decode()

    def test_app_servers_share_the_counts_through_redis(self, client, learner, settings):
        url = settings.REDIS_URL or "redis://127.0.0.1:6379/0"
        try:
            import redis

            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        except Exception:  # no Redis here: the rest of the suite covers the in-memory cache
            pytest.skip(f"no Redis at {url}")
        shared = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "test"}
        keys = [
            *(throttle._login_keys("mei", f"10.1.0.{attempt}")[1] for attempt in range(5)),
            throttle._login_keys("mei", "")[0],
        ]
        with override_settings(CACHES={**settings.CACHES, "default": shared}):
            caches["default"].delete_many(keys)  # only this test's keys: the Redis may hold other data
            try:
                for attempt in range(5):
                    _log_in(client, "mei", f"wrong-{attempt}", address=f"10.1.0.{attempt}")
                # Another app server would read the same counts: a new connection sees them.
                assert caches.create_connection("default").get(keys[-1]) == 5
                assert "Too many" in _log_in(client, "mei", "a-long-passphrase-42").content.decode()
            finally:
                caches["default"].delete_many(keys)

    @pytest.mark.parametrize("cache", ["in memory", "redis"])
    def test_simultaneous_wrong_passwords_are_counted_before_any_is_checked(self, learner, monkeypatch, cache):
        """15 wrong passwords at the same moment: only the first five reach the (slow) password check."""
        caches_setting = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "race"}}
        if cache == "redis":
            url = "redis://127.0.0.1:6379/0"
            try:
                import redis

                redis.Redis.from_url(url, socket_connect_timeout=1).ping()
            except Exception:
                pytest.skip(f"no Redis at {url}")
            caches_setting = {
                "default": {
                    "BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": url,
                    "KEY_PREFIX": f"race-{uuid.uuid4()}",
                }
            }
        checked = []

        def slow_check(request, **credentials):
            checked.append(credentials["username"])
            time.sleep(0.2)  # a real password hash takes about this long

        monkeypatch.setattr(auth_forms, "authenticate", slow_check)
        factory = RequestFactory()
        start = threading.Barrier(15)

        def attempt(number):
            request = factory.post("/en/accounts/login/", REMOTE_ADDR=f"198.51.100.{number}")
            form = LoginForm(request, data={"username": "mei", "password": f"guess-{number}"})
            start.wait()
            form.is_valid()

        with override_settings(CACHES=caches_setting):
            threads = [threading.Thread(target=attempt, args=(n,)) for n in range(15)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        assert len(checked) == 5

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_a_proxy_the_forwarded_address_counts(self, client, learner):
        for attempt in range(5):
            client.post(
                "/en/accounts/login/",
                {"username": f"x{attempt}", "password": "guess"},
                REMOTE_ADDR="10.0.0.100",  # the proxy
                HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}",
            )
        # Five different clients behind one proxy: none is locked out by the others.
        assert _log_in(client, "mei", "a-long-passphrase-42", address="10.0.0.100").status_code == 302


class TestErrorPages:
    def test_a_bug_is_a_translated_500_without_a_traceback(self, failing_urls):
        response = failing_urls.get("/zh-hant/broken/")
        html = response.content.decode()
        assert response.status_code == 500
        assert 'lang="zh-Hant"' in html
        assert "發生錯誤" in html
        assert "Traceback" not in html and "RuntimeError" not in html

    @pytest.mark.parametrize(("language", "text"), [("en", "Temporarily unavailable"), ("zh-hant", "暫時無法使用")])
    def test_an_unreachable_database_is_a_503_to_retry(self, failing_urls, language, text):
        response = failing_urls.get(f"/{language}/database-down/")
        html = response.content.decode()
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert text in html
        assert "5432" not in html and "OperationalError" not in html

    @pytest.mark.parametrize("debug", [True, False])
    @pytest.mark.parametrize(("language", "text"), [("en", "Page not found"), ("zh-hant", "找不到這個頁面")])
    def test_a_404_is_the_sites_own_page_in_development_too(self, client, settings, debug, language, text):
        settings.DEBUG = debug
        response = client.get(f"/{language}/articles/no-such-article/")
        html = response.content.decode()
        assert response.status_code == 404
        assert text in html and 'class="site-header' in html
        assert "DEBUG = True" not in html and "URLconf" not in html

    def test_language_links_on_a_404_never_leave_the_site(self, client):
        response = client.get("/x", PATH_INFO="//evil.example/phish")
        html = response.content.decode()
        assert response.status_code == 404
        links = re.findall(r'<a[^>]+href="([^"]+)"[^>]*hreflang', html) + re.findall(
            r'hreflang="[^"]+" href="([^"]+)"', html
        )
        assert links and all(
            link.startswith(("/", "http://testserver/")) and not link.startswith("//") for link in links
        ), links
        assert "evil.example" not in html

    def test_an_unknown_host_is_a_400(self, client):
        response = client.get("/en/", HTTP_HOST="evil.example.com")
        assert response.status_code == 400
        assert "Bad request" in response.content.decode()

    def test_a_body_over_the_limit_is_a_400(self, client, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
        response = client.post("/en/accounts/login/", {"username": "x" * 5000, "password": "y"})
        assert response.status_code == 400


class TestGunicornConfig:
    @pytest.fixture
    def gunicorn_settings(self, monkeypatch):
        import runpy

        from django.conf import settings

        monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
        return runpy.run_path(str(settings.BASE_DIR / "config" / "gunicorn.py"))

    def test_workers_follow_the_cores_and_nothing_is_written_to_files(self, gunicorn_settings):
        import multiprocessing

        assert gunicorn_settings["workers"] == multiprocessing.cpu_count() * 2 + 1
        assert gunicorn_settings["timeout"] > 0
        assert gunicorn_settings["control_socket_disable"] is True
        handlers = gunicorn_settings["logconfig_dict"]["handlers"]
        assert [handler["stream"] for handler in handlers.values()] == ["ext://sys.stdout"]

    def test_gunicorn_accepts_the_logging_config(self, gunicorn_settings):
        from gunicorn.config import Config
        from gunicorn.glogging import Logger

        config = Config()
        config.set("logconfig_dict", gunicorn_settings["logconfig_dict"])
        logger = Logger(config)  # raises if dictConfig refuses it
        record = logging.LogRecord("gunicorn.error", logging.INFO, __file__, 1, "Booting worker", (), None)
        assert json.loads(logger.error_log.handlers[0].format(record))["message"] == "Booting worker"

    def test_the_loaded_app_is_set_apart_from_the_garbage_collector_before_forking(self, gunicorn_settings):
        import gc

        try:
            gunicorn_settings["when_ready"](None)
            assert gc.get_freeze_count() > 0
        finally:
            gc.unfreeze()
