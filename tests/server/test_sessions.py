"""Session cookies: signed, so any worker validates them; refused once forged, expired or ended,
and ended for every process that shares the ended sessions."""

from __future__ import annotations

import os
import time

import pytest

from stateward.server.sessions import Sessions, SharedSessions


def test_a_cookie_gives_its_role_until_it_ends() -> None:
    sessions = Sessions()
    read, admin = sessions.start("read"), sessions.start("admin")
    assert (sessions.role(read), sessions.role(admin)) == ("read", "admin")
    sessions.end(read)
    assert sessions.role(read) is None and sessions.role(admin) == "admin"


def test_another_server_instance_with_its_own_key_refuses_the_cookie() -> None:
    cookie = Sessions().start("admin")
    assert Sessions().role(cookie) is None


def test_a_process_sharing_the_key_accepts_the_cookie_and_its_end() -> None:
    shared = SharedSessions()
    cookie = Sessions(shared).start("read")
    other = Sessions(shared)  # another worker: same shared memory, its own object
    assert other.role(cookie) == "read"
    pid = os.fork()
    if pid == 0:  # a forked worker logs the session out
        Sessions(shared).end(cookie)
        os._exit(0)
    assert os.waitpid(pid, 0)[1] == 0
    assert other.role(cookie) is None


def _altered(cookie: str) -> list[str]:
    session, role, until, mac = cookie.split(".")
    flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")
    return [
        f"{session}.admin.{until}.{mac}" if role == "read" else "",
        f"{session}.{role}.{int(until) + 1}.{mac}",
        f"{session[:-1]}{'A' if session[-1] != 'A' else 'B'}.{role}.{until}.{mac}",
        f"{session}.{role}.{until}.{flipped}",
        f" {cookie}",
        f"{cookie}.",
        cookie.replace(".", ":"),
        "",
    ]


@pytest.mark.parametrize("index", range(8))
def test_an_altered_cookie_is_refused(index: int) -> None:
    sessions = Sessions()
    cookie = sessions.start("read")
    assert sessions.role(_altered(cookie)[index]) is None


def test_an_expired_cookie_is_refused() -> None:
    sessions = Sessions(lifetime_s=-1)
    assert sessions.role(sessions.start("read")) is None


def test_a_full_table_of_ended_sessions_renews_the_key() -> None:
    sessions = Sessions(SharedSessions(slots=2))
    ended = [sessions.start("read") for _ in range(2)]
    live = sessions.start("read")
    for cookie in ended:
        sessions.end(cookie)
    assert sessions.role(live) == "read"
    third = sessions.start("read")
    sessions.end(third)  # no free slot: every cookie signed so far stops working
    assert [sessions.role(c) for c in [*ended, live, third]] == [None] * 4
    assert sessions.role(sessions.start("read")) == "read"


def test_a_slot_is_reused_once_its_session_would_have_expired() -> None:
    shared = SharedSessions(slots=1)
    short = Sessions(shared, lifetime_s=1)
    first = short.start("read")
    short.end(first)
    time.sleep(1.1)
    live = short.start("admin")
    second = short.start("admin")
    short.end(second)  # takes the expired session's slot: the key is kept
    assert short.role(live) == "admin" and short.role(second) is None
