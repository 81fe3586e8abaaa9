"""The search app knows no other app of the project: apps register with it (search.documents)."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

SEARCH = Path(__file__).resolve().parent.parent


def test_search_imports_no_other_app_of_the_project():
    others = {config.name for config in apps.get_app_configs() if Path(config.path).parent == settings.BASE_DIR}
    others -= {"search"}
    imported = {}
    for path in SEARCH.rglob("*.py"):
        if "tests" in path.relative_to(SEARCH).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in others:
                    imported.setdefault(str(path.relative_to(SEARCH)), []).append(name)
    assert others >= {"kb", "courses"}
    assert imported == {}
