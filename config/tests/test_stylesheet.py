"""The stylesheets are hand-written files: a brace left open silently switches off every rule after it."""

import re

import pytest
from django.conf import settings


@pytest.mark.parametrize("name", ["site.css", "dark.css"])
def test_every_block_of_the_stylesheet_is_closed(name):
    css = re.sub(r"/\*.*?\*/", "", (settings.BASE_DIR / "static" / "css" / name).read_text(), flags=re.S)
    depth = 0
    for line_number, line in enumerate(css.splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"{name} closes a block that is not open on line {line_number}"
    assert depth == 0, f"{name} leaves a block open"
