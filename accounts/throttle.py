"""Throttling of logins and password resets.

Logins: after LOGIN_FAILURE_LIMIT failed logins for one username, or from one address, within
LOGIN_FAILURE_WINDOW seconds, further attempts are refused until the window has passed. Password resets:
at most PASSWORD_RESET_LIMIT_PER_EMAIL requests for one email address and PASSWORD_RESET_LIMIT_PER_CLIENT
from one client address per PASSWORD_RESET_WINDOW seconds.

Every attempt is counted before the slow part (checking the password, sending the email), with the cache's
atomic increment, so that simultaneous requests cannot all pass under the limit. Counts live in the cache,
so every app server shares them when the cache is Redis (REDIS_URL). A successful login takes its own
attempt back from its address and clears its username's count: one valid account must not let an address go
on guessing other people's passwords, nor lock out an office that shares one address.
"""

import contextlib
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


def _hashed(text):
    # Any text (spaces, any length, any script) makes a valid cache key, and no address is kept in clear.
    return hashlib.sha256(text.strip().casefold().encode()).hexdigest()


def _count(key, window):
    """Add one to ``key``'s count, atomically; the window starts with the first attempt."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window)
        return 1


def _admit(keys_and_limits, window, what):
    """Count one attempt against every key; False if any key is now over its limit."""
    admitted = True
    for key, limit in keys_and_limits:
        count = _count(key, window)
        if count > limit:
            admitted = False
            if count == limit + 1:
                log.warning("%s refused after %s attempts (%s)", what, limit, key.split(":")[1])
    return admitted


def _login_keys(username, address):
    return f"login:user:{_hashed(username)}", f"login:address:{_hashed(address)}"


def login_admitted(username, address):
    """Count a login attempt before its password is checked; False when the attempt must be refused."""
    limit = settings.LOGIN_FAILURE_LIMIT
    keys = [(key, limit) for key in _login_keys(username, address)]
    return _admit(keys, settings.LOGIN_FAILURE_WINDOW, "login")


def login_succeeded(username, address):
    user_key, address_key = _login_keys(username, address)
    cache.delete(user_key)
    with contextlib.suppress(ValueError):  # the window ended meanwhile
        cache.decr(address_key)


def password_reset_admitted(email, address):
    """Count a password-reset request before any email is sent; False when it must be refused."""
    keys = [
        (f"reset:email:{_hashed(email)}", settings.PASSWORD_RESET_LIMIT_PER_EMAIL),
        (f"reset:address:{_hashed(address)}", settings.PASSWORD_RESET_LIMIT_PER_CLIENT),
    ]
    return _admit(keys, settings.PASSWORD_RESET_WINDOW, "password reset")
