"""The CLI is a thin shell: it calls the library API, renders with ``stateward.report`` and
turns errors into exit codes. Nothing else of the library is imported by it, and only the
console modules import rich, so that a server can call exactly what the CLI calls."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import stateward

CLI = Path(stateward.__file__).parent / "cli"
ALLOWED = ("stateward.api", "stateward.report", "stateward.errors", "stateward.model",
           "stateward.config", "stateward.cli", "stateward.server")  # fmt: skip
FROM_TOP = {"__version__", "api"}


def _imports(path: Path) -> list[str]:
    """Every module ``path`` imports, ``from stateward import x`` as ``stateward.x``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module == "stateward":
            found += [f"stateward.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
    return found


def _outside(module: str) -> bool:
    if not module.startswith("stateward"):
        return False
    if module.startswith("stateward.") and module.split(".", 1)[1] in FROM_TOP:
        return False
    return not any(module == a or module.startswith(a + ".") for a in ALLOWED)


@pytest.mark.parametrize("path", sorted(CLI.glob("*.py")), ids=lambda p: p.name)
def test_the_cli_imports_only_the_api_renderers_errors_and_model(path: Path) -> None:
    outside = [m for m in _imports(path) if _outside(m)]
    assert outside == [], f"{path.name} reaches past stateward.api: {outside}"


def test_the_rule_would_catch_a_command_that_reaches_into_the_store() -> None:
    assert _outside("stateward.store") and _outside("stateward.analysis.drift")
    assert _outside("stateward.observe") and not _outside("stateward.api")
    assert not _outside("stateward.report.scan") and not _outside("stateward.__version__")


def test_only_the_console_modules_import_rich() -> None:
    package = Path(stateward.__file__).parent
    importers = {
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if any(m == "rich" or m.startswith("rich.") for m in _imports(path))
    }
    assert importers == {"cli/console.py", "report/progress.py", "report/terminal.py"}
