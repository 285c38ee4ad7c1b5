"""Comments cite primary sources, never documents that live outside the repository.

A reader of ``src/`` has the code, the upstream projects and the RFCs, not the planning notes
(``ANCHORS``, ``STYLE``, ``DESIGN``) or the issue tracker: a reference to those says nothing to
them. Cite the RFC section, the upstream file at a pinned commit or the docs URL instead, and
say why rather than who asked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
DOCS = ROOT / "docs"

OUTSIDE = re.compile(r"\bANCHORS\b|\b[Ii]ssue #?\d|\bSTYLE §|\bDESIGN\b")
SHARED = re.compile(r"\.\./shared\b")


def offending_lines(path: Path, pattern: re.Pattern[str]) -> list[str]:
    """``path:line: text`` for each line of ``path`` that ``pattern`` matches."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for n, line in enumerate(lines, 1)
        if pattern.search(line)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "(ANCHORS §2.6)",
        "(issue 7 §4)",
        "Issue 3 §6 on the corpus",
        "(STYLE §9)",
        "DESIGN invariant: no secret",
        "DESIGN §3",
    ],
)
def test_the_pattern_catches_each_kind_of_outside_reference(text: str) -> None:
    assert OUTSIDE.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "RFC 9162 §2.1.4",
        "argo-cd #8833",
        "https://github.com/kubernetes/kubernetes/issues/62119",
        "the design of the ledger",
    ],
)
def test_the_pattern_leaves_primary_sources_alone(text: str) -> None:
    assert not OUTSIDE.search(text)


def outside_references(paths: list[Path]) -> str:
    """Every line of ``paths`` that cites a planning note, an issue or ``../shared``."""
    return "\n".join(
        hit
        for path in paths
        for pattern in (OUTSIDE, SHARED)
        for hit in offending_lines(path, pattern)
    )


def test_source_comments_cite_no_document_outside_the_repository() -> None:
    found = outside_references(sorted(SRC.rglob("*.py")))
    assert not found, "cite the primary source instead:\n" + found


def test_docs_link_no_document_outside_the_repository() -> None:
    found = outside_references(sorted(DOCS.glob("*.md")))
    assert not found, "link the repository's own docs or the primary source:\n" + found
