"""Precision and recall of the state audit on every shared corpus, as a table.

Run from the repository root: ``.venv/bin/python -m tests.analysis.scorecard`` (``-v`` lists the
misses, unjustified findings and absences broken).
"""

from __future__ import annotations

import sys

from tests.analysis.truth import Score, corpus_names, score


def _line(s: Score) -> str:
    found = len(s.expected) - len(s.missed) - len(s.unreachable)
    return (
        f"| {s.corpus} | {found}/{len(s.expected)} | {s.recall:.1%} | {s.reachable_recall:.1%} "
        f"| {s.total} | {len(s.matched)} | {len(s.justified)} "
        f"| {len(s.unjustified) + len(s.violations)} | {s.precision:.1%} |"
    )


def main(argv: list[str]) -> int:
    """Print the table; exit 1 when a corpus misses a reachable pair or has a bad finding."""
    print("| corpus | expected found | recall | recall (reachable) | findings | in tables "
          "| justified | unjustified | precision |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    scores = [score(name) for name in corpus_names()]
    for s in scores:
        print(_line(s))
    if "-v" in argv:
        for s in scores:
            for label, rule, row in s.missed + s.unreachable:
                print(f"{s.corpus}: MISSED {rule} on {label}  [{row}]")
            for f in s.unjustified:
                print(f"{s.corpus}: UNJUSTIFIED {f.rule} on {f.component} {f.path}: {f.message}")
            for f, row in s.violations:
                print(f"{s.corpus}: ABSENCE BROKEN {f.rule} on {f.component}  [{row}]")
    bad = any(s.missed or s.unjustified or s.violations for s in scores)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
