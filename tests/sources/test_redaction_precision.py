"""Redaction on real data: the held-out corpus sample has no false redaction and no miss."""

from __future__ import annotations

from .redaction_precision import measure


def test_held_out_sample_precision_and_recall() -> None:
    tally = measure()
    assert tally.false == []
    assert tally.missed == []
    assert tally.true >= 17
