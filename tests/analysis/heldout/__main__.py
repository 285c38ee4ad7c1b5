"""The held-out scorecard as a table: ``.venv/bin/python -m tests.analysis.heldout [SET|ESTATE…] [-v]``.

``SET`` (``first``, ``second``, ``third``, ``fourth``, ``fifth``, ``sixth``, ``seventh``, ``eighth``,
``ninth``, ``tenth``, ``eleventh``, ``twelfth``, ``thirteenth``, ``fourteenth``, ``fifteenth``, ``sixteenth``, ``seventeenth``, ``eighteenth``, ``nineteenth``, ``twentieth``, ``twentyfirst``, ``twentysecond``, ``twentythird``, ``twentyfourth``, ``twentyfifth``, ``twentysixth``, ``twentyseventh``, ``twentyeighth``, ``twentyninth``, ``thirtieth``, ``thirtyfirst``, ``thirtysecond``, ``thirtythird``, ``thirtyfourth``, ``thirtyfifth``, ``thirtysixth``, ``thirtyseventh``, ``thirtyeighth``, ``thirtyninth``, ``fortieth``, ``fortyfirst``, ``fortysecond``, ``fortythird``, ``fortyfourth``, ``fortyfifth``, ``fortysixth``, ``fortyseventh``, ``fortyeighth``, ``fortyninth``, ``fiftieth``, ``fiftyfirst``, ``fiftysecond``, ``fiftythird``, ``fiftyfourth``, ``fiftyfifth``, ``fiftysixth``, ``fiftyseventh``, ``fiftyeighth``, ``fiftyninth``, ``sixtieth``, ``sixtyfirst``, ``sixtysecond``, ``sixtythird``, ``sixtyfourth``, ``sixtyfifth``, ``sixtysixth`` or ``sixtyseventh``, ``sixtyeighth``, ``sixtyninth``, ``seventieth``, ``seventyfirst``, ``seventysecond``, ``seventythird``, ``seventyfourth``, ``seventyfifth``, ``seventysixth``, ``seventyseventh``, ``seventyeighth``, ``seventyninth``, ``eightieth``, ``eightyfirst``, ``eightysecond``, ``eightythird``, ``eightyfourth``, ``eightyfifth``, ``eightysixth``, ``eightyseventh``, ``eightyeighth``, ``eightyninth``, ``ninetieth``, ``ninetyfirst``, ``ninetysecond``, ``ninetythird``) or an estate's name limits the table to it; several are
pooled together as well as apart (an unknown name exits 2); ``-v`` lists the data missed,
wrong findings, edges missed and gravity pairs ranked wrong or tied.
"""

from __future__ import annotations

import sys

from .score import Score, estate_names, score, totals

SETS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth",
        "fifteenth", "sixteenth", "seventeenth", "eighteenth",
        "nineteenth", "twentieth", "twentyfirst", "twentysecond",
        "twentythird", "twentyfourth", "twentyfifth", "twentysixth", "twentyseventh",
        "twentyeighth", "twentyninth", "thirtieth", "thirtyfirst",
        "thirtysecond", "thirtythird", "thirtyfourth", "thirtyfifth", "thirtysixth",
        "thirtyseventh", "thirtyeighth", "thirtyninth", "fortieth", "fortyfirst",
        "fortysecond", "fortythird", "fortyfourth", "fortyfifth", "fortysixth",
        "fortyseventh", "fortyeighth", "fortyninth",
        "fiftieth", "fiftyfirst",
        "fiftysecond", "fiftythird", "fiftyfourth", "fiftyfifth", "fiftysixth",
        "fiftyseventh", "fiftyeighth", "fiftyninth", "sixtieth", "sixtyfirst", "sixtysecond",
        "sixtythird", "sixtyfourth", "sixtyfifth", "sixtysixth", "sixtyseventh", "sixtyeighth", "sixtyninth", "seventieth", "seventyfirst", "seventysecond", "seventythird", "seventyfourth", "seventyfifth", "seventysixth", "seventyseventh", "seventyeighth", "seventyninth", "eightieth", "eightyfirst", "eightysecond", "eightythird", "eightyfourth", "eightyfifth", "eightysixth", "eightyseventh", "eightyeighth", "eightyninth", "ninetieth", "ninetyfirst", "ninetysecond", "ninetythird")  # fmt: skip


def _line(s: Score) -> str:
    data = len(s.data_found) + len(s.data_missed)
    judged = len(s.right) + len(s.wrong)
    high = [f for f in s.right if str(f.severity) == "high"]
    high_all = len(high) + sum(str(f.severity) == "high" for f, _ in s.wrong)
    edges = len(s.edges_found) + len(s.edges_missed)
    pairs = len(s.gravity_right) + len(s.gravity_wrong) + len(s.gravity_tied)
    return (
        f"| {s.estate} | {len(s.data_found)}/{data} | {len(s.right)}/{judged} "
        f"| {len(high)}/{high_all} | {len(s.rated_data)}/{len(s.rated_data) + len(s.rated_data_wrong)} "
        f"| {len(s.edges_found)}/{edges} | {len(s.gravity_wrong)}/{pairs} | {len(s.gravity_tied)} "
        f"| {len(s.unjudged)} | {len(s.unlisted)} |"
    )


def _details(s: Score) -> list[str]:
    return (
        [f"{s.estate}: DATA MISSED {name}" for name in s.data_missed]
        + [f"{s.estate}: RATED DATA, truth not {name}" for name in s.rated_data_wrong]
        + [
            f"{s.estate}: WRONG {f.rule} ({f.severity}) on {f.component}: {why}"
            for f, why in s.wrong
        ]
        + [f"{s.estate}: EDGE MISSED {line}" for line in s.edges_missed]
        + [f"{s.estate}: GRAVITY WRONG {line}" for line in s.gravity_wrong]
        + [f"{s.estate}: GRAVITY TIED {line}" for line in s.gravity_tied]
        + [f"{s.estate}: UNLISTED component {ident}" for ident in s.unlisted]
    )


def main(argv: list[str]) -> int:
    """Print the table and the pooled figures."""
    print("| estate | data found (recall) | findings right (precision) | high right "
          "| rated data right | edges found | gravity wrong | gravity tied | unjudged "
          "| unlisted |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    named = [a for a in argv if a not in ("-v", "all")]  # "all": what naming nothing shows
    known = estate_names()
    unknown = [a for a in named if a not in SETS and a not in known]
    if unknown:
        print(f"not a set or an estate: {', '.join(unknown)}", file=sys.stderr)
        return 2
    chosen = {n for a in named for n in (estate_names(a) if a in SETS else [a])}
    scores = [score(name) for name in sorted(chosen) or known]
    for s in scores:
        print(_line(s))
    for which in [a for a in named if a in SETS] if named else (*SETS, "all"):
        members = set(estate_names(which))  # once a set, not once an estate: it globs every folder
        _pooled(which, [s for s in scores if s.estate in members])
    if len(named) > 1 or any(a not in SETS for a in named):
        _pooled("+".join(named), scores)  # what was named, pooled
    if "-v" in argv:
        for line in (line for s in scores for line in _details(s)):
            print(line)
    return 0


def _pooled(which: str, scores: list[Score]) -> None:
    t = totals(scores)
    print(
        f"\n{which} set ({len(scores)} estates): recall {t.recall:.1%}  precision {t.precision:.1%}  high precision "
        f"{t.high_precision:.1%}  data-rating precision {t.data_precision:.1%}  edge recall "
        f"{t.edge_recall:.1%}  gravity errors {t.gravity_errors}/{t.gravity_pairs} "
        f"(ties {t.gravity_ties})"
    )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
