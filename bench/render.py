"""Markdown render times: the longest starting articles, and the most expensive inputs the renderer's limits
(kb.markup.check_markdown) still let through, each built up to the length limit.

    python bench/render.py

Prints each input's length, whether it was refused, and the time of its render (the best of three). The
target: no accepted text takes more than a second or two, so that an author's paste can never hold a worker.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from kb.markup import MAX_LENGTH, MarkupError, render_markdown  # noqa: E402


def paragraphs(unit, per_paragraph):
    return lambda: ((unit * per_paragraph) + "\n\n") * MAX_LENGTH


# Each builds a text of at least MAX_LENGTH characters; it is cut to the limit before rendering.
INPUTS = {
    # Refused: what used to take minutes or crash.
    "20,000 open brackets": lambda: "[" * 20_000,
    "lists nested 700 deep": lambda: "1. " * 700,
    "emphasis nested 2,000 deep": lambda: "*" * 2000 + "a" + "*" * 2000,
    "2,000 unclosed tags": lambda: "a <b " * MAX_LENGTH,
    "5,000 rules in one paragraph": lambda: "***\n" * MAX_LENGTH,
    # Accepted: the most expensive shapes within the limits.
    "unclosed [ near the limit": paragraphs("[" * 10 + "a" * 90, 1),
    "links at the paragraph limit": paragraphs("[a](http://b) ", 12),
    "unclosed < at the text limit": lambda: "x <b " * 20 + "word " * MAX_LENGTH,
    "one row of 1,400 [": lambda: "| " + "[" * 1400 + " |\n\n" + "word " * MAX_LENGTH,
    "lists nested 12 deep": paragraphs("1. ", 12),
    "quotes nested 12 deep": paragraphs("> ", 12),
    "emphasis runs of 30": lambda: ("*" * 30 + "a" + "*" * 30 + " ") * MAX_LENGTH,
    "alternating emphasis": lambda: "*a" * MAX_LENGTH,
    "300 headings": lambda: "## a\n" * 300 + "word " * MAX_LENGTH,
    "300 code blocks": lambda: "```\na\n```\n" * 300 + "word " * MAX_LENGTH,
    "tables of 40 columns, 100 rows": paragraphs("|a" * 40 + "|\n" + "|-" * 40 + "|\n" + ("|b" * 40 + "|\n") * 100, 1),
    "1,000-line paragraphs of rules": lambda: ("***\n" * 30 + "\n") * MAX_LENGTH,
    "inline code everywhere": lambda: "`a` " * MAX_LENGTH,
    "entities everywhere": lambda: "&amp;" * MAX_LENGTH,
}


def timed(text):
    best = None
    for _ in range(3):
        start = time.perf_counter()
        try:
            render_markdown(text, language="en")
        except MarkupError as error:
            return None, str(error)
        best = min(best or 1e9, time.perf_counter() - start)
    return best, ""


def main():
    print(f"{'input':40} {'chars':>8} {'seconds':>8}  outcome")
    worst = 0.0
    for path in sorted((ROOT / "content" / "articles").glob("*/*.md"), key=lambda p: -p.stat().st_size)[:4]:
        text = path.read_text(encoding="utf-8").split("---", 2)[2]
        seconds, _refused = timed(text)
        worst = max(worst, seconds or 0)
        print(f"{path.parent.name + '/' + path.name:40} {len(text):8,} {seconds:8.3f}  rendered (starting content)")
    for name, build in INPUTS.items():
        text = build()[:MAX_LENGTH]
        seconds, refused = timed(text)
        if refused:
            print(f"{name:40} {len(text):8,} {'':>8}  refused: {refused}")
            continue
        worst = max(worst, seconds)
        print(f"{name:40} {len(text):8,} {seconds:8.3f}  rendered")
    print(f"\nslowest accepted render: {worst:.3f} s")


if __name__ == "__main__":
    main()
