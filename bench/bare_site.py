"""Settings for bench/pages.py: the production settings, with one more URL (bench/bare_urls.py)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"
