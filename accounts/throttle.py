"""Login throttling: after LOGIN_FAILURE_LIMIT failed logins for one username, or from one address, within
LOGIN_FAILURE_WINDOW seconds, further attempts are refused until the window has passed.

Counts live in the cache, so every app server shares them when the cache is Redis (REDIS_URL). A
successful login clears its username's count, not its address's: one valid account must not let an
address go on guessing other people's passwords.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)


def client_address(request):
    """The client's address: the connection's, or the one the trusted proxies in front put in
    X-Forwarded-For (each proxy appends the address it received the request from)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _keys(username, address):
    # Hashed, so that any username (spaces, any length) makes a valid cache key.
    user = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
    return {"user": f"login-failures:user:{user}", "address": f"login-failures:address:{address}"}


def is_locked(username, address):
    counts = cache.get_many(list(_keys(username, address).values()))
    return any(count >= settings.LOGIN_FAILURE_LIMIT for count in counts.values())


def record_failure(username, address):
    for key in _keys(username, address).values():
        # The window starts at the first failure: add() sets the expiry once, incr() keeps it.
        cache.add(key, 0, timeout=settings.LOGIN_FAILURE_WINDOW)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)
            count = 1
        if count == settings.LOGIN_FAILURE_LIMIT:
            log.warning("login locked after %s failures (%s)", count, key.split(":")[1])


def record_success(username):
    cache.delete(_keys(username, "")["user"])
