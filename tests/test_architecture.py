"""The apps depend one way (the layers contract in pyproject.toml, checked by ``lint-imports``
in the test command), and no import hides in a function body to dodge a cycle: there is no
allow-list. An app's ``AppConfig.ready`` is the one place Django asks imports to wait for, until
every app's models are loaded."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "accreditation",
    "catalog",
    "discovery",
    "frontend",
    "live",
    "lms",
    "playback",
    "playlists",
)


def _project_modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts and "node_modules" not in path.parts:
                yield path


def _is_project_import(node: ast.AST) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] in PACKAGES
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] in PACKAGES for alias in node.names)
    return False


def _deferred_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if path.name == "apps.py" and function.name == "ready":
            continue
        found += [
            f"{path.relative_to(path.parent.parent)}:{node.lineno}"
            for node in ast.walk(function)
            if _is_project_import(node)
        ]
    return found


def test_no_project_import_waits_in_a_function_body():
    deferred = [line for path in _project_modules() for line in _deferred_imports(path)]
    assert deferred == []


def test_the_check_finds_a_deferred_import_and_spares_app_ready(tmp_path):
    (tmp_path / "services.py").write_text(
        "def f():\n    from catalog import api\n    import json\n"
    )
    (tmp_path / "apps.py").write_text(
        "class C:\n    def ready(self):\n        from . import signals\n"
    )
    assert _deferred_imports(tmp_path / "services.py") == [f"{tmp_path.name}/services.py:2"]
    assert _deferred_imports(tmp_path / "apps.py") == []
