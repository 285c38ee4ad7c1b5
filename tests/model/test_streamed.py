"""A streamed list reads, compares and prints as the list it stands for, made when read."""

from __future__ import annotations

from stateward.model.streamed import Streamed


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
