"""The stylesheet is one hand-written file: a brace left open silently switches off every rule after it."""

import re

from django.conf import settings


def test_every_block_of_the_stylesheet_is_closed():
    css = re.sub(r"/\*.*?\*/", "", (settings.BASE_DIR / "static" / "css" / "site.css").read_text(), flags=re.S)
    depth = 0
    for line_number, line in enumerate(css.splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"site.css closes a block that is not open on line {line_number}"
    assert depth == 0, "site.css leaves a block open"
