"""Search benchmark: index N synthetic bilingual articles, then time a fixed query set through the real view.

    python bench/search.py --articles 100000                        # SQLite (a scratch file)
    python bench/search.py --articles 100000 --database postgres://postgres@127.0.0.1:5432/infralearn_bench

The database is created from scratch (the PostgreSQL one is dropped and created again; the URL's database
must not be one you care about). Synthetic articles are built from the words and sentences of the real
starting content, at realistic lengths (~300 English words, ~700 Chinese characters). Each query goes through
Django's WSGI handler (as a server would call it), so the figures include parsing, the database queries,
loading the hits, snippets and the template. Prints p50/p95 per query class, the index build time and the index size.
"""

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = {
    "english word": [("en", "container"), ("en", "upgrading"), ("en", "memory"), ("en", "terraform"), ("en", "logs")],
    "english phrase": [("en", "load balancer"), ("en", "control plane"), ("en", "front side bus")],
    "chinese 1 char": [("zh-hant", "橋"), ("zh-hant", "容"), ("zh-hant", "升")],
    "chinese 2 chars": [("zh-hant", "北橋"), ("zh-hant", "容器"), ("zh-hant", "日誌"), ("zh-hant", "叢集")],
    "chinese 3-4 chars": [
        ("zh-hant", "記憶體"), ("zh-hant", "負載平衡"), ("zh-hant", "映像檔"), ("zh-hant", "前端匯流排"),
    ],
    "mixed": [("zh-hant", "kubeadm 升級"), ("en", "Docker 映像檔"), ("zh-hant", "NodePort 連接埠")],
    "cross-language": [("zh-hant", "northbridge"), ("en", "北橋"), ("en", "负载均衡")],
}  # fmt: skip


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument(
        "--database",
        default="",
        help="a postgres:// or sqlite:/// URL (emptied first); SQLite in a scratch file if omitted",
    )
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each query")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of the previous run (same --articles), only query"
    )
    return parser.parse_args()


def prepare_database(url, reuse=False):
    url = url or f"sqlite:///{Path(tempfile.gettempdir()) / 'infralearn-bench.sqlite3'}"
    if reuse:
        return url
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url


def corpus():
    """Words and sentences of the real articles, to build text with natural word frequencies."""
    english, chinese = [], []
    for path in (ROOT / "content" / "articles").glob("*/en.md"):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        english.extend(re.findall(r"[A-Za-z][A-Za-z'-]+", re.sub(r"```.*?```", "", body, flags=re.S)))
    for path in (ROOT / "content" / "articles").glob("*/zh-hant.md"):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        chinese.extend(s for s in re.split(r"(?<=[。！？])", re.sub(r"```.*?```", "", body, flags=re.S)) if s.strip())
    return english, chinese


def synthetic_articles(count, seed):
    from django.utils import timezone

    from kb.models import Article, Topic

    rng = random.Random(seed)
    english, chinese = corpus()
    topics = list(Topic.objects.all())
    now = timezone.now()
    for number in range(count):
        words = rng.choices(english, k=300)
        sentences, length = [], 0
        while length < 700:
            sentence = rng.choice(chinese).strip()
            sentences.append(sentence)
            length += len(sentence)
        title_en = " ".join(rng.choices(english, k=6)).capitalize()
        title_zh = rng.choice(chinese).strip()[:24]
        yield Article(
            slug=f"bench-{number}",
            topic=rng.choice(topics),
            status=Article.Status.PUBLISHED,
            published_at=now - timezone.timedelta(minutes=number),
            title_en=title_en,
            title_zh_hant=title_zh,
            summary_en=" ".join(words[:25]),
            summary_zh_hant="".join(sentences[:1]),
            body_en=" ".join(words),
            body_zh_hant="".join(sentences),
            body_html_en=f"<p>{' '.join(words)}</p>",
            body_html_zh_hant=f"<p>{''.join(sentences)}</p>",
        )


def index_size():
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('search_document')")
            return cursor.fetchone()[0]
        cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search%'")
        return cursor.fetchone()[0] or 0


def main():
    args = parse_args()
    os.environ["DATABASE_URL"] = prepare_database(args.database, reuse=args.reuse)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Production settings, as gunicorn would run them: DEBUG off (no query log, no template debug info).
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django
    from django.conf import settings

    django.setup()
    # The one exception: static URLs come from the app folders, so the benchmark needs no collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import prefetch_related_objects

    from kb.models import Article, GlossaryTerm
    from search import index
    from search.models import Document

    print(f"database: {connection.vendor}, {args.articles} synthetic articles (+ the starting content)")
    if args.reuse:
        run_queries(args, time.monotonic())
        return
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("import_content", str(ROOT / "content"), verbosity=0, stdout=quiet)

    started = time.monotonic()
    gin = Document._meta.indexes if connection.vendor == "postgresql" else []
    with connection.schema_editor() as editor:
        for gin_index in gin:  # loading 100,000 rows is several times faster with the GIN indexes built once at the end
            editor.remove_index(Document, gin_index)
    batch = []
    for number, article in enumerate(synthetic_articles(args.articles, args.seed), start=1):
        batch.append(article)
        if len(batch) == 1000 or number == args.articles:
            saved = Article.objects.bulk_create(batch)
            prefetch_related_objects(saved, "tags")
            index.update(*saved)
            batch = []
            print(f"\r  indexed {number}/{args.articles}", end="", flush=True)
    with connection.schema_editor() as editor:
        for gin_index in gin:
            editor.add_index(Document, gin_index)
    build = time.monotonic() - started
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE search_document")
        else:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    print(f"\n  index build: {build:.1f} s, index size: {index_size() / 1024 / 1024:.1f} MiB")
    print(f"  glossary terms: {GlossaryTerm.objects.count()}")
    run_queries(args, started)


class Server:
    """Requests through Django's WSGI handler, as gunicorn would send them (no test instrumentation)."""

    def __init__(self):
        from django.core.handlers.wsgi import WSGIHandler

        from config.gunicorn import when_ready

        self.handler = WSGIHandler()
        when_ready(None)  # what gunicorn's master does once the app is loaded, before it forks the workers

    def get(self, path, params):
        from io import BytesIO
        from urllib.parse import urlencode

        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": urlencode(params), "SERVER_NAME": "localhost",
            "SERVER_PORT": "80", "HTTP_HOST": "localhost", "wsgi.input": BytesIO(), "wsgi.url_scheme": "http",
            "HTTP_X_FORWARDED_PROTO": "https",  # behind a TLS-terminating proxy, as in production
            "wsgi.errors": sys.stderr, "SERVER_PROTOCOL": "HTTP/1.1",
        }  # fmt: skip
        status = []
        body = b"".join(self.handler(environ, lambda code, headers: status.append(code)))
        return int(status[0].split()[0]), body.decode()


def cpu_times():
    """The machine's CPU time counters since boot (Linux /proc/stat: user, nice, system, idle, iowait, irq,
    softirq, steal, ...), or None elsewhere."""
    try:
        with open("/proc/stat") as stat:
            return [int(value) for value in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None


def run_queries(args, started):
    client = Server()
    rows = []
    before = cpu_times()
    for name, queries in QUERIES.items():
        timings, hits = [], []
        for language, text in queries:
            client.get(f"/{language}/search/", {"q": text})  # warm up
            for _ in range(args.repeat):
                started = time.perf_counter()
                status, html = client.get(f"/{language}/search/", {"q": text})
                timings.append((time.perf_counter() - started) * 1000)
            assert status == 200, (text, status)
            match = re.search(r"([\d,]+) results? for|共有 ([\d,]+) 筆結果|超過 ([\d,]+) 筆", html)
            hits.append(int(next(g for g in match.groups() if g).replace(",", "")) if match else 0)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        rows.append((name, timings[0], statistics.median(timings), p95, min(hits), max(hits)))
    after = cpu_times()
    # The fastest run shows the code's own cost; p50 and p95 also show the machine's: on a virtual machine,
    # time the host gives to others ("steal") slows every step alike.
    print(f"\n  {'query class':<20}{'min ms':>10}{'p50 ms':>10}{'p95 ms':>10}   hits per query")
    for name, fastest, p50, p95, low, high in rows:
        print(f"  {name:<20}{fastest:>10.1f}{p50:>10.1f}{p95:>10.1f}   {low}–{high}")
    if before and after and len(after) > 7:
        spent = [later - earlier for earlier, later in zip(before, after, strict=True)]
        print(f"\n  CPU steal while querying: {100 * spent[7] / max(1, sum(spent)):.0f}% of the machine's time")
        busy = sum(spent) - spent[3] - spent[4]  # all but idle and iowait
        print(f"  CPU busy while querying: {100 * busy / max(1, sum(spent)):.0f}% of the machine's time (this one too)")
    loads = ", ".join(f"{load:.1f}" for load in os.getloadavg())
    print(f"  load average (1, 5, 15 min): {loads} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
