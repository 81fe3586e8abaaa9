"""Readers' pages from the cache: an anonymous reader's page is rendered once per content version and then
served from the cache (Redis when REDIS_URL is set, this process's memory otherwise), compressed, with an
ETag and a Last-Modified that let a browser ask again with a 304 for an answer.

Only what is the same for every anonymous reader is shared. A page is served from the cache or stored only
when the request is a GET or HEAD of one of ``PAGE_CACHE_VIEWS``, by a reader with no session data (nobody
signed in) and no messages waiting; and stored only when the view answered 200 with nothing personal: no
cookie set, no CSRF token used (a token is a per-browser secret), the session untouched, no
``Cache-Control: private``. The key holds the whole URL (scheme, host, path, query), the language, the
cookies that change a page for anonymous readers (``PAGE_CACHE_COOKIES``: whether glossary terms are
marked, for one) and the content version (kb.content_version), so one content change makes every stored
page miss and old entries expire by themselves (``PAGE_CACHE_SECONDS``).

Pages are compressed once, when they are stored. Pages with a secret on them are never compressed (BREACH:
a compressed page's length can leak a token an attacker can make it reflect), and they are never cached,
so compression stays with the pages that can have none.
"""

import gzip
import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from kb import content_version

ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# What a view's Vary header may name for its page to be shared: the key covers the language and the
# cookies that matter, and compression is handled here.
UNDERSTOOD_VARY = {"cookie", "accept-language", "accept-encoding"}
# Headers that belong to one answer, not to the page.
NOT_STORED = {"set-cookie", "content-length", "content-encoding", "vary", "etag", "last-modified"}


@dataclass(frozen=True)
class StoredPage:
    headers: tuple  # (name, value) pairs the view set, such as Content-Type
    body: bytes  # gzip-compressed when ``compressed``
    compressed: bool
    etag: str
    last_modified: float | None  # a timestamp

    @classmethod
    def of(cls, response, version):
        body = response.content
        # Weak: the compressed and the plain answer are the same page, byte for byte different.
        etag = f'W/"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'
        squeezed = gzip.compress(body, compresslevel=6, mtime=0)
        compressed = len(squeezed) < len(body)
        headers = tuple((name, value) for name, value in response.items() if name.lower() not in NOT_STORED)
        changed_at = version.changed_at.timestamp() if version.changed_at else None
        return cls(headers, squeezed if compressed else body, compressed, etag, changed_at)

    def answer(self, request):
        gzip_ok = bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
        body = self.body if gzip_ok or not self.compressed else gzip.decompress(self.body)
        response = HttpResponse(body)
        for name, value in self.headers:
            response[name] = value
        if self.compressed and gzip_ok:
            response["Content-Encoding"] = "gzip"
        response["ETag"] = self.etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified)
        # Shared by every anonymous reader: a signed-in reader (another cookie) gets another page. Browsers
        # keep it but ask again each time, and get a 304 while nothing changed.
        patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
        response["Cache-Control"] = "no-cache"
        last_modified = int(self.last_modified) if self.last_modified is not None else None
        return get_conditional_response(request, etag=self.etag, last_modified=last_modified, response=response)


class PageCacheMiddleware:
    """Last in MIDDLEWARE: a stored page passes back through every other middleware, which adds its own
    headers and cookies (request id, security headers, the language cookie) to each answer; a page is
    stored before they add them."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.views = frozenset(settings.PAGE_CACHE_VIEWS)
        self.cookies = tuple(settings.PAGE_CACHE_COOKIES)
        self.seconds = settings.PAGE_CACHE_SECONDS

    def __call__(self, request):
        if not self.may_share(request):
            return self.get_response(request)
        try:
            version = content_version.current()
        except DatabaseError:  # no database, no version: the view answers (and says so)
            return self.get_response(request)
        cache = caches["pages"]
        key = self.key(request, version)
        page = cache.get(key)
        if page is None:
            response = self.get_response(request)
            if request.method != "GET" or not self.may_store(request, response):
                return response
            page = StoredPage.of(response, version)
            cache.set(key, page, self.seconds)
        return page.answer(request)

    def may_share(self, request):
        if request.method not in ("GET", "HEAD") or CookieStorage.cookie_name in request.COOKIES:
            return False
        # A session cookie may be left over from a session that ended (then the session is empty); any data
        # in it (a signed-in user, messages kept in the session) makes the page this reader's own.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.session.keys():
            return False
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return False
        return match.view_name in self.views

    def may_store(self, request, response):
        vary = {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}
        user = getattr(request, "user", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not (hasattr(request, "session") and request.session.modified)
            and not (user is not None and user.is_authenticated)
            and not any(word in response.get("Cache-Control", "") for word in ("private", "no-store", "no-cache"))
            and vary <= UNDERSTOOD_VARY
        )

    def key(self, request, version):
        parts = [request.build_absolute_uri(), get_language() or ""]
        parts += [f"{name}={request.COOKIES.get(name, '')}" for name in self.cookies]
        digest = hashlib.md5("\n".join(parts).encode(), usedforsecurity=False).hexdigest()
        return f"page:{version.key}:{digest}"
