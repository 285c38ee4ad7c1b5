"""Only what is shown is drawn: under ``-o json`` the document holds every row, so no human
report is drawn at all (measuring a table of thousands of rows is most of what a large scan
costs), and a human table lists only its first rows unless ``--all``."""

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
    human, _ = _run(*command, *store)
    assert re.search(header, human)  # a table is data: on stdout
    store = ("--store", str(tmp_path / "b")) if command[0] == "scan" else ()
    document, lines = _run(*command, *store, "--json")
    assert not re.search(header, document + lines) and "┃" not in document + lines
    assert json.loads(document)  # the rows are in the document, and it is all stdout holds
    assert "findings (" not in lines  # nor is the human report drawn on stderr
