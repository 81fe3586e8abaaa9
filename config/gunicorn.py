"""gunicorn settings for production: ``gunicorn -c config/gunicorn.py config.wsgi`` (``make serve`` runs it).

Every value can be changed from the environment. Nothing is written to files: every log line is a JSON object
on stdout, where a container runtime or systemd collects it.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Two workers per core plus one keeps both cores busy while a request waits on the database.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request that takes longer than this is stuck: the worker is replaced and the request answers 502.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Replace each worker after a few thousand requests (with jitter, so they do not restart together).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Load the app before forking: workers share its memory and a broken configuration fails at start.
preload_app = True
# Requests are logged by the app itself (one JSON line each, with its request id); gunicorn's own access
# log would repeat them, so it is off unless GUNICORN_ACCESS_LOG=1. gunicorn's messages (workers starting,
# stopping, timing out) are JSON lines on stdout like the app's.
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.logs.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": loglevel.upper()},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {
            "handlers": ["stdout"],
            "level": "INFO" if os.environ.get("GUNICORN_ACCESS_LOG") else "WARNING",
            "propagate": False,
        },
    },
}
# No control socket: the app writes no files at runtime (it runs from a read-only image just as well).
control_socket_disable = True
# The proxy in front terminates TLS and says so in X-Forwarded-Proto; trust it from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Worker heartbeat files in memory, not on a disk that may be slow or read-only.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def when_ready(server):
    # Load the Simplified-to-Traditional dictionaries once, before the workers are forked, so that no
    # worker's first Chinese search pays for it (half a second).
    from search.analysis import to_traditional

    to_traditional("容器")
    # What the app loaded lives as long as the workers: set it apart from the garbage collector, whose
    # full collections would otherwise walk it all (about 50 ms, now and then, in the middle of a request)
    # and write to every page of it, which the forked workers then no longer share.
    gc.freeze()


def post_fork(server, worker):
    # Database connections opened while preloading must not be shared between processes.
    from django.db import connections

    connections.close_all()
