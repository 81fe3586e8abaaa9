"""Page benchmark: requests per second of the site's pages next to a bare Django view, under gunicorn.

    python bench/pages.py
    python bench/pages.py --database postgres://postgres@127.0.0.1:5432/infralearn_pages --rounds 5 --seconds 5

The database in the URL is dropped and created again (it must not be one you care about) and the starting
content imported, unless --reuse is given. gunicorn then runs with the project's configuration
(config/gunicorn.py, production settings, DEBUG off, collected static files) plus one more URL,
``/bench/bare/``: ``HttpResponse("ok")`` behind the same middleware (bench/bare_urls.py), the least any page
can cost on this stack. Every request says it came through a TLS proxy and accepts gzip, as a browser does.

Each page is loaded for --seconds with wrk (the Debian package) when it is installed, otherwise with a
Python load generator, and the pages take turns, round after round, so that whatever else the machine is
doing weighs on all of them alike. Each page's figure is the median of its rounds, and its ratio the median
of its ratio to the bare view in the same round. The share of the CPUs that other processes used during the
measurements is printed too: on a shared machine the ratios mean more than the absolute figures.
"""

import argparse
import multiprocessing
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import (
    ROOT,
    Gunicorn,
    cpu_busy,
    database_backends,
    fetch,
    free_port,
    manage,
    prepare_database,
    processes_cpu,
    production_environment,
)

PYTHON = ROOT / ".venv" / "bin" / "python"
READER = "pages-reader"
TARGETS = {"article (anonymous)": 0.50, "article (signed in)": 0.15}

CREATE_READER = """
import os
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

user, _ = get_user_model().objects.get_or_create(username=os.environ["READER"])
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/infralearn_pages")
    parser.add_argument("--reuse", action="store_true", help="keep the database of the previous run")
    parser.add_argument("--rounds", type=int, default=5, help="how many times every page is measured")
    parser.add_argument("--seconds", type=float, default=5, help="length of one measurement")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto")
    return parser.parse_args()


# Measuring


def run_wrk(url, headers, seconds, connections):
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds:g}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    failures = int(bad.group(1)) if bad else 0
    failures += sum(int(n) for n in errors.groups()) if errors else 0
    return rate, failures


def _python_client(port, path, headers, deadline, counts):
    done = failed = 0
    while time.monotonic() < deadline:
        try:
            status, _headers, _body = fetch(port, "GET", path, headers, timeout=10)
            done += 1
            failed += status not in (200, 304)
        except OSError:
            failed += 1
    counts.put((done, failed))


def run_python(port, path, headers, seconds, connections):
    """One process per connection, each sending requests one after another (gunicorn's sync workers close
    the connection after every answer, so each request opens a new one, as with wrk)."""
    counts = multiprocessing.Queue()
    started = time.monotonic()
    deadline = started + seconds
    workers = [
        multiprocessing.Process(target=_python_client, args=(port, path, headers, deadline, counts))
        for _ in range(connections)
    ]
    for worker in workers:
        worker.start()
    results = [counts.get() for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    return sum(done for done, _ in results) / elapsed, sum(failed for _, failed in results)


# Setting up


def hashed_static(name):
    import json

    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    return f"/static/{manifest['paths'][name]}"


def pages(article, session_key):
    """(name, path, extra headers) of every page measured, the bare view first."""
    signed_in = {"Cookie": f"sessionid={session_key}"}
    return [
        ("bare view", "/bench/bare/", {}),
        ("article (anonymous)", f"/en/articles/{article}/", {}),
        ("article (signed in)", f"/en/articles/{article}/", signed_in),
        ("home", "/en/", {}),
        ("glossary", "/en/glossary/", {}),
        ("search", "/en/search/?q=container", {}),
        ("static file", hashed_static("css/site.css"), {}),
    ]


def main():
    args = parse_args()
    tool = args.tool
    if tool == "auto":
        tool = "wrk" if shutil.which("wrk") else "python"
    port = free_port()
    env = production_environment(args.database, port)
    env["DJANGO_SETTINGS_MODULE"] = "bench.bare_site"
    print(f"database: {args.database}")
    if not args.reuse:
        prepare_database(args.database)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "import_content", str(ROOT / "content"))
    manage(env, "collectstatic", "--noinput", "-v0")
    session_key = subprocess.run(
        [str(PYTHON), "manage.py", "shell", "-c", CREATE_READER],
        cwd=ROOT,
        env={**env, "READER": READER},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]  # the shell may say what it imported first
    article = sorted(path.parent.name for path in (ROOT / "content" / "articles").glob("*/en.md"))[0]

    headers = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip", "Accept": "text/html"}
    measured = pages(article, session_key)
    server = Gunicorn(env, port, Path(tempfile.gettempdir()) / "infralearn-pages-gunicorn.log")
    workers = env.get("WEB_CONCURRENCY") or os.cpu_count() * 2 + 1
    rates = {name: [] for name, _path, _headers in measured}
    ratios = {name: [] for name, _path, _headers in measured}
    cpu = {name: [] for name, _path, _headers in measured}  # ms of CPU (server, database, client) per request
    failures = dict.fromkeys(rates, 0)
    busy = ours = 0
    try:
        server.start()
        print(f"gunicorn on 127.0.0.1:{port}, {workers} workers; {tool}, {args.connections} connections, "
              f"{args.rounds} rounds of {args.seconds:g} s per page; article: {article}")  # fmt: skip
        for name, path, extra in measured:  # each page answers, the signed-in one as the reader
            plain = {key: value for key, value in headers.items() if key != "Accept-Encoding"}
            status, _response_headers, body = fetch(port, "GET", path, {**plain, **extra})
            if status != 200 or (extra and READER.encode() not in body):
                raise RuntimeError(f"{name}: HTTP {status} for {path}, or not signed in")
        for round_number in range(args.rounds):
            order = measured[round_number % len(measured) :] + measured[: round_number % len(measured)]
            this_round = {}
            backends = database_backends(args.database)
            for name, path, extra in order:
                before_busy, before_ours = cpu_busy(), processes_cpu(server.process.pid, backends)
                before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
                if tool == "wrk":
                    url = f"http://127.0.0.1:{port}{path}"
                    rate, failed = run_wrk(url, {**headers, **extra}, args.seconds, args.connections)
                else:
                    rate, failed = run_python(port, path, {**headers, **extra}, args.seconds, args.connections)
                after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
                client = (after_children.ru_utime + after_children.ru_stime) - (
                    before_children.ru_utime + before_children.ru_stime
                )
                busy += cpu_busy() - before_busy
                used = processes_cpu(server.process.pid, backends) - before_ours + client * os.sysconf("SC_CLK_TCK")
                ours += used
                cpu[name].append(1000 * used / os.sysconf("SC_CLK_TCK") / max(1, rate * args.seconds))
                this_round[name] = rate
                rates[name].append(rate)
                failures[name] += failed
            for name, rate in this_round.items():
                ratios[name].append(rate / this_round["bare view"])
            print(f"  round {round_number + 1}: " + ", ".join(f"{n} {r:.0f}" for n, r in this_round.items()))
    finally:
        server.stop()

    print(f"\n  {'page':<22}{'requests/s':>11}{'range':>14}{'of bare':>9}{'CPU ms':>8}{'of bare':>9}   target")
    bare_cpu = statistics.median(cpu["bare view"])
    for name, _path, _extra in measured:
        ratio = statistics.median(ratios[name])
        target = ""
        if name in TARGETS:
            target = f">= {TARGETS[name]:.0%}: {'met' if ratio >= TARGETS[name] else 'MISSED'}"
        spread = f"{min(rates[name]):.0f}-{max(rates[name]):.0f}"
        page_cpu = statistics.median(cpu[name])
        print(
            f"  {name:<22}{statistics.median(rates[name]):>11.0f}{spread:>14}{ratio:>9.0%}"
            f"{page_cpu:>8.2f}{bare_cpu / page_cpu:>9.0%}   {target}"
        )
    print(
        "\n  CPU ms: CPU time per request of gunicorn, its database backends and the load generator; its ratio "
        "to the bare view's is what the throughput ratio becomes on a machine nothing else uses."
    )
    others = max(0.0, (busy - ours) / busy) if busy else 0.0
    print(
        f"\n  other processes (not gunicorn, its database connections or the load generator) used {others:.0%} "
        f"of the CPU time the machine was busy while measuring ({os.cpu_count()} CPUs)"
    )
    failed = sum(failures.values())
    if failed:
        print(f"  failed requests: {failures}")
    met = all(statistics.median(ratios[name]) >= share for name, share in TARGETS.items())
    print(f"  targets {'met' if met else 'NOT met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
