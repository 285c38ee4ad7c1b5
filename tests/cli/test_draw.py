"""Only what is shown is drawn: under ``--json`` the document holds every row, so the human
report on stderr keeps its lines and draws no table (measuring a table of thousands of rows is
most of what a large scan costs)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from stateward.cli import main

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"


def _run(*args: str) -> tuple[str, str]:
    result = CliRunner().invoke(main, list(args), env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert result.exit_code in (0, 1), result.stderr
    return result.stdout, result.stderr


@pytest.mark.parametrize(
    ("command", "header"),
    [
        (("scan", str(SHOP / "production"), "--estate", "shop"), r"component\s+┃ binary"),
        (("audit", str(SHOP / "production")), r"component\s+┃ lifecycle"),
    ],
)
def test_tables_are_drawn_only_without_json(
    tmp_path: Path, command: tuple[str, ...], header: str
) -> None:
    store = ("--store", str(tmp_path / "a")) if command[0] == "scan" else ()
    _, human = _run(*command, *store)
    assert re.search(header, human)
    store = ("--store", str(tmp_path / "b")) if command[0] == "scan" else ()
    document, lines = _run(*command, *store, "--json")
    assert not re.search(header, lines) and "┃" not in lines
    assert json.loads(document)  # the rows are in the document
    assert "findings (" in lines  # the report's lines still say what happened
