"""The content version: one value that changes whenever the content readers see changes.

Cached pages and cached fragments of pages carry it in their keys (config.page_cache, ``{% cache %}`` in the
templates), so invalidating everything is one change of the version, and the entries made for an older one
are never read again and expire by themselves.

The version lives in the database (``ContentVersion``), the one place every process shares even without
Redis: gunicorn's workers, other app servers and ``manage.py import_content`` all see the same number. A
process reads it at most once a second (one statement), so another process's change reaches its pages
within a second; a change made in this process reaches them at once. The version also follows the clock: a
published article whose publication time is in the future appears when that time comes without anything
being written, so the version includes the latest publication time that has passed, and a process reads
the version again as soon as the next one it knows of comes.

What changes content: saving or deleting any model an app lists in ``AppConfig.page_content``, and their
many-to-many links. Content is written from the admin (forms, inlines, many-to-many fields), imports,
services and the shell; only a signal sees every one of those, so this module connects receivers for
those models (``watch``) instead of asking every write path to remember. Writes that send no signal
(``QuerySet.update``, ``bulk_create``) call ``changed()`` themselves.
"""

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.apps import apps
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.dateparse import parse_datetime

# How long a process trusts the version it read before asking the database again.
RECHECK_SECONDS = 1.0

# Changes this process made that are not committed yet (and so not in the database), and when the last one
# was made. Pages rendered meanwhile carry this process's token, so they are never shared with another
# process through Redis: they may show text that is rolled back.
_TOKEN = secrets.token_hex(4)
_state = {"read": None, "checked": 0.0, "pending": 0, "pending_at": None}


@dataclass(frozen=True)
class _Read:
    number: int
    changed_at: datetime | None
    latest: datetime | None  # the latest publication time that has passed
    upcoming: datetime | None  # the next one in the future


@dataclass(frozen=True)
class Version:
    key: str  # part of every cache key of a page or fragment that shows content
    changed_at: datetime | None  # when the content last changed: a page's Last-Modified


def current():
    """The content version as this process knows it."""
    read = _state["read"]
    if (
        read is None
        or time.monotonic() - _state["checked"] >= RECHECK_SECONDS
        or (read.upcoming is not None and timezone.now() >= read.upcoming)
    ):
        read = _read()
        _state.update(read=read, checked=time.monotonic())
    key = f"{read.number}.{int(read.latest.timestamp() * 1_000_000) if read.latest else 0}"
    times = [read.changed_at, read.latest]
    if _state["pending"]:
        key += f".{_TOKEN}.{_state['pending']}"
        times.append(_state["pending_at"])
    return Version(key=key, changed_at=max((moment for moment in times if moment), default=None))


def changed():
    """The content changed: every page and fragment cached before is out of date. Pages of this process
    follow at once; other processes follow once the transaction commits and they read the version again."""
    _state["pending"] += 1
    _state["pending_at"] = timezone.now()
    _state["read"] = None
    # Written after the commit, in its own short statement: the row is never locked for the length of an
    # import or an admin save, and other processes cannot see the new version before the new content.
    transaction.on_commit(_record)


def forget():
    """Read the version from the database next time, and drop changes not committed (between tests)."""
    _state.update(read=None, checked=0.0, pending=0, pending_at=None)


def _record():
    from kb.models import ContentVersion

    now = timezone.now()
    if not ContentVersion.objects.filter(pk=1).update(number=F("number") + 1, changed_at=now):
        ContentVersion.objects.get_or_create(pk=1, defaults={"number": 1, "changed_at": now})
    _state.update(read=None, pending=0, pending_at=None)


def _read():
    """The version row and the publication times around now, in one statement (it runs on every database;
    without a row yet, the number is 0)."""
    from kb.models import Article, ContentVersion

    quote = connection.ops.quote_name
    versions, articles = quote(ContentVersion._meta.db_table), quote(Article._meta.db_table)
    published_at, status = quote("published_at"), quote("status")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    published = Article.Status.PUBLISHED
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT number FROM {versions} WHERE id = 1), (SELECT changed_at FROM {versions} WHERE id = 1), "
            f"(SELECT MAX({published_at}) FROM {articles} WHERE {status} = %s AND {published_at} <= %s), "
            f"(SELECT MIN({published_at}) FROM {articles} WHERE {status} = %s AND {published_at} > %s)",
            [published, now, published, now],
        )
        number, changed_at, latest, upcoming = cursor.fetchone()
    return _Read(number or 0, _moment(changed_at), _moment(latest), _moment(upcoming))


def _moment(value):
    # SQLite answers a subquery's datetime as text, PostgreSQL as an aware datetime.
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def watch():
    """Connect the receivers: every model an app lists in ``page_content``, and its many-to-many links."""
    for app in apps.get_app_configs():
        for name in getattr(app, "page_content", ()):
            model = app.get_model(name)
            post_save.connect(_receiver, sender=model, weak=False, dispatch_uid=f"content-version-save-{name}")
            post_delete.connect(_receiver, sender=model, weak=False, dispatch_uid=f"content-version-delete-{name}")
            for field in model._meta.many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(
                    _links_receiver, sender=through, weak=False, dispatch_uid=f"content-version-links-{through}"
                )


def _receiver(sender, **kwargs):
    changed()


def _links_receiver(sender, action, **kwargs):
    if action.startswith("post_"):
        changed()
