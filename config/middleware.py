"""Middleware that every response passes through: health probes, request ids and logs, and the security
headers Django does not set itself."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import connection
from django.http import Http404, HttpResponse
from django.utils.functional import empty
from django.views.defaults import page_not_found

from config.logs import current_request_id

request_log = logging.getLogger("infralearn.request")

# A request id from the proxy in front is kept when it looks like one; anything else is replaced.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


class HealthCheckMiddleware:
    """``/healthz`` (the process answers) and ``/readyz`` (it can reach the database), answered before
    anything else: load balancers and Kubernetes probe by IP address, which ALLOWED_HOSTS would refuse, and
    over plain HTTP, which the HTTPS redirect would bounce."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return self._answer(200, "ok")
        if request.path == "/readyz":
            try:
                connection.ensure_connection()
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
            except Exception as error:  # any failure to reach the database means "not ready"
                request_log.warning("readiness check failed: %s", error.__class__.__name__)
                return self._answer(503, "database unreachable")
            return self._answer(200, "ready")
        return self.get_response(request)

    @staticmethod
    def _answer(status, text):
        response = HttpResponse(f"{text}\n", status=status, content_type="text/plain; charset=utf-8")
        response["Cache-Control"] = "no-store"
        return response


class RequestLogMiddleware:
    """Gives each request an id (``X-Request-ID``, kept from the proxy when it sends one) and writes one log
    line per request with its method, path, status and duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = current_request_id.set(request.id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            user = getattr(request, "user", None)
            request_log.log(
                logging.ERROR if response.status_code >= 500 else logging.INFO,
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    # Only when the user was already loaded: logging must not query the session.
                    "user_id": user.pk if user is not None and getattr(user, "_wrapped", empty) is not empty else None,
                },
            )
            return response
        finally:
            current_request_id.reset(token)


class RefuseNulMiddleware:
    """A query string holding a NUL character gets the 400 page before any view sees it. PostgreSQL can
    neither store nor compare NUL, so an admin list filter or an autocomplete handed one would fail with a
    500; forms already refuse NUL in what they post (Django's CharField)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            raise BadRequest("NUL character in the query string")
        return self.get_response(request)


class NotFoundPageMiddleware:
    """With DEBUG on (``make run``) Django answers every 404 with its technical page, whose inline styles
    the site's Content-Security-Policy blocks: a new user would see a broken page. The site's own 404 page
    is served instead, as in production."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and "text/html" in response.get("Content-Type", ""):
            return page_not_found(request, Http404())
        return response


class SecurityHeadersMiddleware:
    """A Content-Security-Policy on every HTML page: scripts and styles from this site only (no inline
    script), no plugins, no framing. Django's SecurityMiddleware sets the other headers."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(f"{name} {value}" for name, value in settings.CONTENT_SECURITY_POLICY.items())

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response.setdefault("Content-Security-Policy", self.policy)
        return response
