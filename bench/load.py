"""Load benchmark: simulated readers and learners against gunicorn, then a check that no quiz attempt was lost.

    python bench/load.py --users 50 --duration 60
    python bench/load.py --users 50 --duration 60 --database postgres://postgres@127.0.0.1:5432/infralearn_load

The database in the URL is dropped and created again (it must not be one you care about); the starting
content is imported and one account is created per learner. gunicorn then runs as in production (DEBUG off,
collected static files, config/gunicorn.py) on a free loopback port, and every request says it came through
a TLS proxy (X-Forwarded-Proto: https) from the user's own address (X-Forwarded-For), so the SSL redirect,
HSTS, Secure cookies and login throttling behave as they do live.

Readers open the home page, article lists and pages, search (English and Chinese), courses and lessons in
both languages. Learners log in through the real form, then take quizzes: open the quiz, start an attempt,
answer every question from the HTML form and submit; a few click twice (two starts or two submits at
once), which must still give one attempt graded once. Users arrive over --ramp-up seconds and pause
--think milliseconds between pages (500-3000 by default: people clicking through quickly); --think 0-200
measures the most the server can take instead.
Prints request rates, errors and p50/p95/p99 latency per page type next to the targets, then compares the
attempts in the database with the ones the learners submitted. Exits 1 on any error or lost or doubled attempt.
"""

import argparse
import contextlib
import ctypes
import http.client
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LANGUAGES = ("en", "zh-hant")

SEARCHES = [
    ("en", "container"), ("en", "load balancer"), ("en", "terraform"), ("en", "upgrading"), ("en", "北橋"),
    ("zh-hant", "北橋"), ("zh-hant", "kubeadm 升級"), ("zh-hant", "容器"), ("zh-hant", "日誌"),
    ("zh-hant", "負載平衡"), ("zh-hant", "northbridge"),
]  # fmt: skip
# What a reader opens next, with weights: mostly articles and search, as on a knowledge base.
READER_PAGES = {"home": 10, "article list": 8, "article": 35, "search": 20, "courses": 5, "course": 10, "lesson": 12}
# Pages in the order the report lists them, with the target for the ones that have one.
PAGE_ORDER = [
    "home", "article list", "article", "search", "courses", "course", "lesson", "login page", "login", "dashboard",
    "quiz", "quiz start", "attempt form", "quiz submit", "attempt review",
]  # fmt: skip
P95_TARGETS_MS = {"article": 100}

CREATE_LEARNERS = """
import os
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from accounts.models import Profile

# One hash for every account: hashing is deliberately slow, and logging in still checks it in full.
password = make_password(os.environ["LOAD_PASSWORD"])
names = os.environ["LOAD_LEARNERS"].split(",")
users = get_user_model().objects.bulk_create(
    get_user_model()(username=name.split(":")[0], email=f"{name.split(':')[0]}@example.com", password=password)
    for name in names
)
Profile.objects.bulk_create(
    Profile(user=user, preferred_language=name.split(":")[1]) for user, name in zip(users, names)
)
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent simulated users")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--learners", type=float, default=0.3, help="share of the users who log in and take quizzes")
    parser.add_argument(
        "--double-click", type=float, default=0.1, help="share of quiz starts and submits sent twice at once"
    )
    parser.add_argument(
        "--think",
        default="500-3000",
        help="pause between two pages, in ms: a range to draw from (default 500-3000), or 0-200 to measure capacity",
    )
    parser.add_argument("--ramp-up", type=float, default=10, help="seconds over which the users arrive")
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/infralearn_load")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


# Setting up


def prepare_database(url):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def production_environment(database_url, port):
    # WEB_CONCURRENCY and GUNICORN_* from the caller's environment still apply, as config/gunicorn.py reads them.
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        BIND=f"127.0.0.1:{port}",
        PYTHONUNBUFFERED="1",
        # Each simulated user has an address of its own, which the proxy it comes through reports (login
        # throttling counts attempts per address, as it does behind the real proxy).
        TRUSTED_PROXY_COUNT="1",
    )
    return env


def manage(env, *args):
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Site:
    """The public pages to visit, read from the starting content (only what is published)."""

    articles: list
    courses: list
    lessons: list  # (course slug, lesson slug)
    quizzes: list

    @classmethod
    def from_content(cls, folder):
        articles = []
        for path in sorted((folder / "articles").glob("*/en.md")):
            front = yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])
            if front.get("status") == "published":
                articles.append(path.parent.name)
        courses, lessons = [], []
        for path in sorted((folder / "courses").glob("*.yaml")):
            course = yaml.safe_load(path.read_text(encoding="utf-8"))
            if course.get("status") == "published":
                courses.append(course["slug"])
                lessons.extend((course["slug"], lesson["slug"]) for lesson in course.get("lessons", []))
        quizzes = []
        for path in sorted((folder / "quizzes").glob("*.yaml")):
            quiz = yaml.safe_load(path.read_text(encoding="utf-8"))
            if quiz.get("status") == "published":
                quizzes.append(quiz["slug"])
        return cls(articles, courses, lessons, quizzes)


def _die_with_parent():
    # Linux: gunicorn gets SIGTERM if this process dies without cleaning up (kill -9, a crash).
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Gunicorn:
    """gunicorn as ``make serve`` starts it, in its own process group so it is stopped as a whole."""

    def __init__(self, env, port, log_path):
        self.env, self.port, self.log_path = env, port, log_path
        self.process = None

    def start(self, timeout=60):
        self.log = open(self.log_path, "wb")  # noqa: SIM115 (open while gunicorn runs, closed in stop())
        self.process = subprocess.Popen(
            [str(GUNICORN), "-c", "config/gunicorn.py", "config.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                status, _headers, _body = fetch(self.port, "GET", "/en/", {"X-Forwarded-Proto": "https"}, timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer /en/ within {timeout} s:\n{self.log_tail()}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        # SIGTERM is gunicorn's graceful shutdown: workers finish their request, then exit.
        self.process.terminate()
        try:
            self.process.wait(timeout=35)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        finally:
            self.log.close()

    def log_tail(self, lines=30):
        self.log.flush()
        return "\n".join(Path(self.log_path).read_text(errors="replace").splitlines()[-lines:])


# How busy the machine is


def cpu_busy():
    """Jiffies the whole machine spent busy (everything but idle and iowait), from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    return sum(fields) - fields[3] - fields[4]


def processes_cpu(group, pids):
    """Jiffies used so far by the live processes of one process group (gunicorn's master and workers) and
    by the given processes (the PostgreSQL backends serving them)."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError), open(f"/proc/{entry}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
            if int(fields[2]) == group or int(entry) in pids:  # fields[2]: the process group
                total += int(fields[11]) + int(fields[12])
            if int(entry) == group:  # the master: and the workers it has replaced (max_requests)
                total += int(fields[13]) + int(fields[14])
    return total


def database_backends(url):
    """The PostgreSQL backends connected to the benchmark's database (gunicorn keeps its connections)."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(url, autocommit=True) as connection:
        rows = connection.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [name]).fetchall()
    return {pid for (pid,) in rows}


# HTTP


def fetch(port, method, path, headers, body=None, timeout=30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers={"Host": f"127.0.0.1:{port}", **headers})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


@dataclass
class Result:
    kind: str
    seconds: float
    problem: str = ""  # empty when the answer was the one expected
    detail: str = ""


@dataclass
class Response:
    status: int
    location: str
    text: str


class Browser:
    """One user's connection to the site: keeps its cookies (Secure ones too, the proxy is implied) and
    sends what a browser behind the TLS proxy sends. Every request is timed and judged against what the
    flow expects; anything else is recorded as a problem."""

    def __init__(self, port, results, address):
        self.port, self.results = port, results
        self.address = address  # the user's own address, as the proxy in front reports it
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies = {}
        self.referer = None

    def request(self, kind, method, path, *, form=None, expect=(200,)):
        path = quote(path, safe="/?=&%+")  # non-ASCII slugs encoded; an already encoded query left alone
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "User-Agent": "infralearn-load/1",
            "Accept": "text/html",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin})
        if self.referer:
            headers["Referer"] = self.referer
        started = time.perf_counter()
        try:
            status, response_headers, raw = fetch(self.port, method, path, headers, body)
        except (OSError, http.client.HTTPException) as error:
            self.results.append(Result(kind, time.perf_counter() - started, f"{type(error).__name__}", path))
            return None
        elapsed = time.perf_counter() - started
        self.remember_cookies(response_headers.get_all("Set-Cookie") or [])
        response = Response(status, urlsplit(response_headers.get("Location", "")).path, raw.decode(errors="replace"))
        problem = ""
        if status not in expect:
            problem = f"HTTP {status}" + (f" -> {response.location}" if response.location else "")
        self.results.append(Result(kind, elapsed, problem, f"{method} {path}"))
        if status == 200 and method == "GET":
            self.referer = self.origin + path
        return None if problem else response

    def remember_cookies(self, headers):
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value  # sent back exactly as it was set

    def flow_problem(self, kind, problem, detail):
        """The answer had the expected status but not the expected content: counts as an error."""
        self.results.append(Result(kind, 0.0, problem, detail))


def csrf_token(html):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else None


class QuizForm(HTMLParser):
    """The inputs of the attempt form (#quiz-form), grouped by name."""

    def __init__(self, html):
        super().__init__()
        self.inside, self.hidden, self.choices, self.texts = False, {}, defaultdict(list), []
        self.kinds = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "quiz-form":
            self.inside = True
        elif tag == "input" and self.inside and attrs.get("name"):
            kind, name = attrs.get("type", "text"), attrs["name"]
            if kind == "hidden":
                self.hidden[name] = attrs.get("value", "")
            elif kind in {"radio", "checkbox"}:
                self.choices[name].append(attrs["value"])
                self.kinds[name] = kind
            elif kind == "text":
                self.texts.append(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False

    def answers(self, rng):
        data = dict(self.hidden)
        for name, values in self.choices.items():
            if self.kinds[name] == "radio":
                data[name] = rng.choice(values)
            else:
                data[name] = rng.sample(values, rng.randint(1, len(values)))
        for name in self.texts:
            data[name] = rng.choice(["kubeadm", "northbridge", "override", "DaemonSet", "北橋", "containerd"])
        data["action"] = "submit"
        return data


# Simulated users


@dataclass
class Submission:
    username: str
    quiz: str
    attempt_id: int


@dataclass
class User:
    number: int
    browser: Browser
    rng: random.Random
    language: str
    username: str = ""
    password: str = ""
    started: list = field(default_factory=list)  # every attempt this learner started, as Submission
    submissions: list = field(default_factory=list)  # the ones whose submit the server accepted
    exhausted: set = field(default_factory=set)  # quizzes whose attempts limit this learner has used up


class Load:
    def __init__(self, args, site, port, password):
        self.args, self.site, self.port = args, site, port
        self.stop = threading.Event()
        self.deadline, self.cpu_started = 0.0, 0.0
        self.learner_count = round(args.users * args.learners)
        self.learner_names = [(f"load-learner-{n:03}", LANGUAGES[n % 2]) for n in range(self.learner_count)]
        self.password = password
        self.results = []  # one list per user, merged at the end (list.append is thread-safe anyway)
        self.users = []

    def think(self, user):
        low, _, high = self.args.think.partition("-")
        self.stop.wait(user.rng.uniform(float(low), float(high or low)) / 1000)

    def running(self):
        return not self.stop.is_set() and time.monotonic() < self.deadline

    def read_something(self, user):
        site, rng, browser = self.site, user.rng, user.browser
        language = rng.choice(LANGUAGES)
        page = rng.choices(list(READER_PAGES), weights=list(READER_PAGES.values()))[0]
        if page == "home":
            path = f"/{language}/"
        elif page == "article list":
            path = f"/{language}/articles/"
        elif page == "article":
            path = f"/{language}/articles/{rng.choice(site.articles)}/"
        elif page == "search":
            language, text = rng.choice(SEARCHES)
            path = f"/{language}/search/?{urlencode({'q': text})}"
        elif page == "courses":
            path = f"/{language}/courses/"
        elif page == "course":
            path = f"/{language}/courses/{rng.choice(site.courses)}/"
        else:
            course, lesson = rng.choice(site.lessons)
            path = f"/{language}/courses/{course}/lessons/{lesson}/"
        browser.request(page, "GET", path)

    def log_in(self, user):
        prefix = f"/{user.language}"
        page = user.browser.request("login page", "GET", f"{prefix}/accounts/login/")
        if page is None:
            return False
        form = {"csrfmiddlewaretoken": csrf_token(page.text), "username": user.username, "password": user.password}
        form["next"] = ""
        answer = user.browser.request("login", "POST", f"{prefix}/accounts/login/", form=form, expect=(302,))
        if answer is None:
            return False
        return user.browser.request("dashboard", "GET", answer.location) is not None

    def take_quiz(self, user):
        rng, browser, prefix = user.rng, user.browser, f"/{user.language}"
        choices = [slug for slug in self.site.quizzes if slug not in user.exhausted]
        if not choices:
            return
        slug = rng.choice(choices)
        quiz_path = f"{prefix}/quizzes/{slug}/"
        detail = browser.request("quiz", "GET", quiz_path)
        if detail is None:
            return
        start_action = f'action="{prefix}/quizzes/{slug}/start/"'
        if start_action not in detail.text:
            user.exhausted.add(slug)  # every allowed attempt used (or an open one left by an earlier error)
            return
        self.think(user)
        # Some learners click twice (two requests at once): both must land on the same attempt, graded once.
        double = rng.random() < self.args.double_click
        # From here on the attempt is finished even if the time is up, so none is left open.
        start_form = {"csrfmiddlewaretoken": csrf_token(detail.text)}
        answers = self.maybe_twice(
            double,
            lambda: browser.request(
                "quiz start", "POST", f"{prefix}/quizzes/{slug}/start/", form=start_form, expect=(302,)
            ),
        )
        if None in answers:
            return
        locations = {answer.location for answer in answers}
        pattern = rf"{re.escape(prefix)}/quizzes/{re.escape(slug)}/attempts/(\d+)/"
        match = re.fullmatch(pattern, answers[0].location)
        if len(locations) > 1 or not match:
            browser.flow_problem("quiz start", f"redirected to {' and '.join(sorted(locations))}", quiz_path)
            return
        attempt_id, attempt_path = int(match.group(1)), answers[0].location
        if any(done.attempt_id == attempt_id for done in user.submissions):
            browser.flow_problem("quiz start", "resumed an attempt already submitted", attempt_path)
            return
        attempt = Submission(user.username, slug, attempt_id)
        user.started.append(attempt)
        form_page = browser.request("attempt form", "GET", attempt_path)
        if form_page is None:
            return
        form = QuizForm(form_page.text)
        if not form.choices and not form.texts:
            browser.flow_problem("attempt form", "no questions in the form", attempt_path)
            return
        self.think(user)
        double = rng.random() < self.args.double_click
        filled = form.answers(rng)
        answers = self.maybe_twice(
            double, lambda: browser.request("quiz submit", "POST", attempt_path, form=filled, expect=(302,))
        )
        if None in answers:
            return
        if any(answer.location != attempt_path for answer in answers):
            browser.flow_problem("quiz submit", f"redirected to {answers[0].location}", attempt_path)
            return
        user.submissions.append(attempt)
        review = browser.request("attempt review", "GET", attempt_path)
        # A form or a refusal there means the submit was not taken. After a double click the slower request
        # is refused ("already submitted"), and that message shows on the review: only the score card counts.
        confirmed = "score-card" in review.text if review is not None else True
        if review is not None and not double:
            confirmed = confirmed and not re.search(r"message-(error|info)", review.text)
        if not confirmed:
            messages = re.findall(r'class="message message-\w+">([^<]*)<', review.text)
            browser.flow_problem("attempt review", f"the submit is not confirmed: {messages}", attempt_path)

    @staticmethod
    def maybe_twice(double, send):
        """``send()`` once, or twice at the same moment from two threads; the answers (None for a failure)."""
        if not double:
            return [send()]
        answers = [None, None]

        def second():
            answers[1] = send()

        helper = threading.Thread(target=second)
        helper.start()
        answers[0] = send()
        helper.join()
        return answers

    def run_user(self, user, learner):
        # Users arrive one after another over the ramp-up, as visitors do, not all in the same millisecond.
        self.stop.wait(self.args.ramp_up * user.number / max(1, self.args.users))
        try:
            if learner and not self.log_in(user):
                user.browser.flow_problem("login", "login failed; this learner only reads", user.username)
                learner = False
            while self.running():
                if learner and user.rng.random() < 0.6:
                    self.take_quiz(user)
                else:
                    self.read_something(user)
                self.think(user)
        except Exception as error:  # a bug in the benchmark itself must show, not end a thread silently
            user.browser.flow_problem("benchmark", f"{type(error).__name__}: {error}", user.username)

    def run(self):
        rng = random.Random(self.args.seed)
        for number in range(self.args.users):
            results = []
            self.results.append(results)
            address = f"10.{number // 65536}.{number // 256 % 256}.{number % 256}"
            browser = Browser(self.port, results, address)
            user = User(number, browser, random.Random(rng.random()), LANGUAGES[number % 2])
            if number < self.learner_count:
                user.username, user.language = self.learner_names[number]
                user.password = self.password
            self.users.append(user)
        threads = [
            threading.Thread(target=self.run_user, args=(user, user.number < self.learner_count), daemon=True)
            for user in self.users
        ]
        started, self.cpu_started = time.monotonic(), time.process_time()
        self.deadline = started + self.args.duration
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(timeout=0.5)
        return time.monotonic() - started


# Report


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def report_requests(load, elapsed):
    results = [result for per_user in load.results for result in per_user]
    requests = [result for result in results if result.seconds > 0]
    problems = [result for result in results if result.problem]
    print(f"\n  users: {load.args.users} ({load.learner_count} learners), think {load.args.think} ms, "
          f"ramp-up {load.args.ramp_up:g} s, {elapsed:.1f} s of load"
          f"  (target: 50 users for 60 s)")  # fmt: skip
    print(f"  requests: {len(requests)}, {len(requests) / elapsed:.1f} requests/s")
    # The simulated users run on the same machine as the server: their share of the CPU is not the server's.
    client_cpu = (time.process_time() - load.cpu_started) / elapsed
    print(f"  load generator: {100 * client_cpu:.0f}% of one CPU, on {os.cpu_count()} CPUs shared with the server")
    print(f"  errors: {len(problems)}  (target: 0)")
    for (kind, problem), count in sorted(Counter((r.kind, r.problem) for r in problems).items()):
        example = next(r.detail for r in problems if (r.kind, r.problem) == (kind, problem))
        print(f"    {count:>5} × {kind}: {problem}  (e.g. {example})")
    by_kind = defaultdict(list)
    for result in requests:
        by_kind[result.kind].append(result.seconds * 1000)
    print(f"\n  {'page':<16}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}   target")
    for kind in PAGE_ORDER + sorted(set(by_kind) - set(PAGE_ORDER)):
        timings = by_kind.get(kind)
        if not timings:
            continue
        target = ""
        if kind in P95_TARGETS_MS:
            p95 = percentile(timings, 0.95)
            met = "met" if p95 < P95_TARGETS_MS[kind] else "MISSED"
            target = f"p95 < {P95_TARGETS_MS[kind]} ms: {met}"
        print(
            f"  {kind:<16}{len(timings):>9}{percentile(timings, 0.5):>9.0f}{percentile(timings, 0.95):>9.0f}"
            f"{percentile(timings, 0.99):>9.0f}{max(timings):>9.0f}   {target}"
        )
    reader = [seconds for kind in READER_PAGES for seconds in by_kind.get(kind, [])]
    if reader:
        p95 = percentile(reader, 0.95)
        print(f"\n  reader pages together: {len(reader)} requests, p95 {p95:.0f} ms  (target at 500 users: < 200 ms)")
    article = by_kind.get("article", [])
    return len(problems), bool(article) and percentile(article, 0.95) < P95_TARGETS_MS["article"]


def check_attempts(database_url, load):
    """Every submitted attempt is stored once, closed and graded; no attempt exists that no learner submitted."""
    import psycopg

    submissions = [submission for user in load.users for submission in user.submissions]
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            """
            SELECT a.id, u.username, q.slug, a.number, a.submitted_at IS NOT NULL, a.score IS NOT NULL,
                   a.passed IS NOT NULL, jsonb_array_length(a.snapshot -> 'questions'),
                   (SELECT count(*) FROM quizzes_answer answer
                     WHERE answer.attempt_id = a.id AND answer.points IS NOT NULL AND answer.is_correct IS NOT NULL)
              FROM quizzes_attempt a
              JOIN auth_user u ON u.id = a.user_id
              JOIN quizzes_quiz q ON q.id = a.quiz_id
            """
        ).fetchall()
    stored = {row[0]: row for row in rows}
    problems = []
    for attempt_id, count in Counter(s.attempt_id for s in submissions).items():
        if count > 1:
            problems.append(f"attempt {attempt_id} was confirmed {count} times")
    for submission in submissions:
        row = stored.get(submission.attempt_id)
        if row is None:
            problems.append(f"lost: attempt {submission.attempt_id} ({submission.username}, {submission.quiz})")
            continue
        _id, username, slug, _number, closed, scored, judged, questions, graded = row
        if (username, slug) != (submission.username, submission.quiz):
            problems.append(f"attempt {submission.attempt_id} belongs to {username}/{slug}, not {submission.username}")
        if not (closed and scored and judged):
            problems.append(f"attempt {submission.attempt_id} is not submitted and graded")
        if graded != questions:
            problems.append(f"attempt {submission.attempt_id}: {graded} graded answers for {questions} questions")
    confirmed = {s.attempt_id for s in submissions}
    started = {s.attempt_id for user in load.users for s in user.started}
    unconfirmed = []  # started by a learner whose submit failed: already counted among the request errors
    for attempt_id, row in sorted(stored.items()):
        if attempt_id in confirmed:
            continue
        description = f"attempt {attempt_id} ({row[1]}, {row[2]} #{row[3]}, {'submitted' if row[4] else 'open'})"
        if attempt_id in started:
            unconfirmed.append(description)
        else:
            problems.append(f"no learner started {description}")
    numbers = defaultdict(list)
    for row in rows:
        numbers[(row[1], row[2])].append(row[3])
    for (username, slug), used in numbers.items():
        if sorted(used) != list(range(1, len(used) + 1)):
            problems.append(f"{username}/{slug}: attempt numbers {sorted(used)}")
    print(
        f"\n  attempts: {len(submissions)} submitted by the learners, {len(rows)} in the database, "
        f"{sum(1 for row in rows if row[4])} of them submitted"
    )
    print(f"  lost or duplicated attempts: {len(problems)}  (target: 0)")
    for problem in problems[:30]:
        print(f"    {problem}")
    if len(problems) > 30:
        print(f"    … and {len(problems) - 30} more")
    if unconfirmed:
        print(f"  started, but the submit request failed (see the errors): {len(unconfirmed)}")
        for description in unconfirmed[:10]:
            print(f"    {description}")
    return len(problems)


def interrupt(signum, frame):
    # SIGTERM ends the run the way Ctrl+C does, and so does SIGINT when the shell started us with it ignored
    # (in the background): gunicorn is stopped either way.
    raise KeyboardInterrupt


def main():
    args = parse_args()
    site = Site.from_content(ROOT / "content")
    port = free_port()
    env = production_environment(args.database, port)
    log_path = Path(tempfile.gettempdir()) / "infralearn-load-gunicorn.log"
    load = Load(args, site, port, secrets.token_urlsafe(16))
    print(f"database: {args.database}")
    setup_started = time.monotonic()
    prepare_database(args.database)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "import_content", str(ROOT / "content"))
    manage(env, "collectstatic", "--noinput", "-v0")
    learners = ",".join(f"{name}:{language}" for name, language in load.learner_names)
    if learners:
        subprocess.run(
            [str(PYTHON), "manage.py", "shell", "-c", CREATE_LEARNERS],
            cwd=ROOT,
            env={**env, "LOAD_LEARNERS": learners, "LOAD_PASSWORD": load.password},
            check=True,
            stdout=subprocess.DEVNULL,
        )
    print(
        f"  set up in {time.monotonic() - setup_started:.1f} s: {len(site.articles)} articles, "
        f"{len(site.courses)} courses, {len(site.lessons)} lessons, {len(site.quizzes)} quizzes, "
        f"{load.learner_count} learner accounts"
    )

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, interrupt)
    server = Gunicorn(env, port, log_path)
    try:
        server.start()
        workers = env.get("WEB_CONCURRENCY") or os.cpu_count() * 2 + 1
        print(f"  gunicorn on 127.0.0.1:{port}, {workers} workers (log: {log_path})")
        backends = database_backends(args.database)
        before_busy, before_ours = cpu_busy(), processes_cpu(server.process.pid, {*backends, os.getpid()})
        elapsed = load.run()
        busy = cpu_busy() - before_busy
        ours = processes_cpu(server.process.pid, {*backends, os.getpid()}) - before_ours
    except KeyboardInterrupt:
        load.stop.set()
        print("\ninterrupted: stopping gunicorn", file=sys.stderr)
        return 130
    finally:
        load.stop.set()
        server.stop()

    errors, fast_enough = report_requests(load, elapsed)
    print(
        f"  the machine: busy {busy / os.sysconf('SC_CLK_TCK') / elapsed / os.cpu_count():.0%} of the time on "
        f"{os.cpu_count()} CPUs, {max(0.0, (busy - ours) / busy) if busy else 0:.0%} of that for other processes "
        f"than gunicorn, its database connections and the load generator"
    )
    lost = check_attempts(args.database, load)
    met = errors == 0 and lost == 0 and fast_enough and args.users >= 50 and args.duration >= 60
    print(f"\n  targets {'met' if met else 'NOT met'}")
    return 1 if errors or lost else 0


if __name__ == "__main__":
    sys.exit(main())
