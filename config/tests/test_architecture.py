"""Imports run one way. Each app may import only the apps below it in LAYERS; config/ assembles the site and
may import any of them. The knowledge base also names no higher app in its strings (URL names, model labels):
what another app adds to kb's pages or search is registered through that app's AppConfig."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["search", "kb", "accounts", "courses", "quizzes", "learning", "authoring"]


def modules(app):
    """The app's own Python files; its tests may use fixtures from anywhere and are left out."""
    for path in sorted((ROOT / app).rglob("*.py")):
        if "tests" not in path.relative_to(ROOT).parts:
            yield path


def imported_apps(path):
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names)
    return found & {*LAYERS, "config"}


@pytest.mark.parametrize("app", [app for app in LAYERS if (ROOT / app).is_dir()])
def test_an_app_imports_only_the_apps_below_it(app):
    allowed = set(LAYERS[: LAYERS.index(app) + 1])
    wrong = [
        f"{path.relative_to(ROOT)} imports {', '.join(sorted(imported - allowed))}"
        for path in modules(app)
        if (imported := imported_apps(path)) - allowed
    ]
    assert not wrong, "imports against the direction " + " ← ".join(LAYERS) + ":\n" + "\n".join(wrong)


def test_the_knowledge_base_names_no_higher_app():
    higher = "|".join(LAYERS[LAYERS.index("kb") + 1 :])
    named = re.compile(rf"""["'](?:{higher})[.:][A-Za-z_]""")
    wrong = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in modules("kb")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if named.search(line)
    ]
    assert not wrong, "kb names a higher app:\n" + "\n".join(wrong)


def test_the_check_sees_a_wrong_import(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("from courses.models import Course\nimport kb.models\nfrom . import sibling\n")
    assert imported_apps(module) == {"courses", "kb"}
