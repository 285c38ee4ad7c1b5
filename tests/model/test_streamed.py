"""A streamed list reads, compares and prints as the list it stands for, made when read."""

from __future__ import annotations

import json
from datetime import date

from stateward.model.streamed import Streamed, json_default


def test_a_streamed_list_is_the_list_of_its_members_made_when_read() -> None:
    made: list[int] = []

    def square(n: int) -> int:
        made.append(n)
        return n * n

    streamed = Streamed(range(5), square)
    assert made == [] and len(streamed) == 5 and bool(streamed)
    assert streamed[2] == 4 and streamed[-1] == 16 and streamed[1:3] == [1, 4]
    assert made == [2, 4, 1, 2]
    assert streamed == [0, 1, 4, 9, 16] and streamed == Streamed([0, 1, 2, 3, 4], square)
    assert streamed != [0, 1, 4, 9] and streamed != (0, 1, 4, 9, 16)
    assert repr(streamed) == "[0, 1, 4, 9, 16]" and list(streamed) == [0, 1, 4, 9, 16]
    assert not Streamed([], square)


def test_a_json_encoder_writes_a_streamed_list_as_its_members_and_the_rest_as_text() -> None:
    document = {"list": Streamed([1, 2], lambda n: {"n": n}), "day": date(2026, 12, 5)}
    text = json.dumps(document, default=json_default, sort_keys=True)
    assert text == '{"day": "2026-12-05", "list": [{"n": 1}, {"n": 2}]}'
