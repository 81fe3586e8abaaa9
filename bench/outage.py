"""Database outage drill: stop PostgreSQL under a running gunicorn, check the site degrades as promised, start it
again and check the site recovers without a restart.

    python bench/outage.py                      # uses postgres://postgres@127.0.0.1:5432/infralearn_outage

It stops the machine's local PostgreSQL cluster (pg_ctlcluster), so run it where nothing else needs that
server for a minute, never against a shared one. Steps and what each must show:

1. Before: an article page answers 200, /readyz 200.
2. PostgreSQL stopped: pages answer 503 with Retry-After and the "temporarily unavailable" page in the page's
   language, within a few seconds; /readyz 503; /healthz and static files still 200.
3. PostgreSQL started again: the next requests answer 200, from the same gunicorn (same master process).

Prints each check with its timing and exits 1 if any fails.
"""

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from load import Gunicorn, fetch, free_port, manage, prepare_database, production_environment

HTTPS = {"X-Forwarded-Proto": "https"}


def cluster(action):
    version = next(Path("/etc/postgresql").iterdir()).name
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action], check=True)


def wait_for_postgres(ready, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answered = subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0
        if answered == ready:
            return
        time.sleep(0.2)
    raise RuntimeError(f"PostgreSQL did not become {'ready' if ready else 'unreachable'} in {timeout} s")


class Drill:
    def __init__(self, port):
        self.port = port
        self.failures = 0

    def get(self, path):
        started = time.monotonic()
        status, headers, body = fetch(self.port, "GET", path, HTTPS, timeout=30)
        return status, headers, body.decode("utf-8", "replace"), (time.monotonic() - started) * 1000

    def check(self, label, passed, detail):
        self.failures += not passed
        print(f"  {'ok  ' if passed else 'FAIL'}  {label:<52} {detail}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/infralearn_outage")
    args = parser.parse_args()

    prepare_database(args.database)
    port = free_port()
    env = production_environment(args.database, port)
    print("setting up: migrate, starting content, collectstatic")
    manage(env, "migrate", "--noinput")
    manage(env, "import_content", "content/")
    manage(env, "collectstatic", "--noinput", "-v0")
    server = Gunicorn(env, port, Path(tempfile.gettempdir()) / "infralearn-outage-gunicorn.log")
    server.start()
    drill = Drill(port)
    try:
        article = "/zh-hant/articles/container-stack/"
        status, _headers, html, _ms = drill.get("/en/")
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', html).group(1)
        master = server.process.pid

        print("\n1. PostgreSQL running")
        status, _headers, _html, ms = drill.get(article)
        drill.check("article page", status == 200, f"{status} in {ms:.0f} ms")
        drill.check("/readyz", drill.get("/readyz")[0] == 200, "")

        print("\n2. PostgreSQL stopped")
        cluster("stop")
        wait_for_postgres(ready=False)
        for path, text in ((article, "暫時無法使用"), ("/en/courses/", "Temporarily unavailable")):
            status, headers, html, ms = drill.get(path)
            drill.check(
                f"{path} answers 503 with Retry-After",
                status == 503 and headers.get("Retry-After") == "30" and text in html and ms < 5000,
                f"{status}, Retry-After {headers.get('Retry-After')}, in {ms:.0f} ms",
            )
            drill.check("  without a traceback", "Traceback" not in html and "psycopg" not in html, "")
        status, _headers, _html, ms = drill.get("/readyz")
        drill.check("/readyz answers 503", status == 503, f"{status} in {ms:.0f} ms")
        status, _headers, _html, ms = drill.get("/healthz")
        drill.check("/healthz still answers 200", status == 200, f"{status} in {ms:.0f} ms")
        status, _headers, _html, ms = drill.get(stylesheet)
        drill.check("static files are still served", status == 200, f"{status} in {ms:.0f} ms")

        print("\n3. PostgreSQL started again")
        cluster("start")
        wait_for_postgres(ready=True)
        started = time.monotonic()
        paths = (article, "/en/courses/", "/en/search/?q=%E5%AE%B9%E5%99%A8", "/readyz")  # q=容器
        statuses = [drill.get(path)[0] for path in paths]
        drill.check(
            "pages answer 200 again",
            statuses == [200, 200, 200, 200],
            f"{statuses} within {(time.monotonic() - started) * 1000:.0f} ms of PostgreSQL answering",
        )
        drill.check("same gunicorn, not restarted", server.process.poll() is None and server.process.pid == master, "")
    finally:
        # Whatever happened, leave PostgreSQL running.
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode != 0:
            cluster("start")
            wait_for_postgres(ready=True)
        server.stop()
    print(f"\n{'all checks passed' if not drill.failures else f'{drill.failures} checks failed'}")
    sys.exit(1 if drill.failures else 0)


if __name__ == "__main__":
    main()
