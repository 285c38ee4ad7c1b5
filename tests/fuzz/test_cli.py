"""Fuzz the CLI's ``ESTATE[@TIME]`` sides and ``--at TIME`` against a real store.

Property: every command ends with exit code 0-3 and a one-line ``Error:`` at most; a Python
exception other than SystemExit (a traceback) is a failure.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from stateward.api import parse_time
from stateward.cli import main
from stateward.errors import StatewardError

from .conftest import fuzz_settings
from .strategies import SHOP, TEXT

_TIMES = st.one_of(
    TEXT, st.text(alphabet="0123456789-:+TZ. W@", max_size=32),
    st.datetimes().map(lambda d: d.isoformat()), st.just("2026-13-45T25:61:61Z"),
)  # fmt: skip
_ESTATES = st.one_of(st.just("shop"), TEXT.filter(lambda t: "://" not in t))


@functools.cache
def _store() -> Path:
    """A real store holding one scan of the example shop, made on first use."""
    store = Path(tempfile.mkdtemp(prefix="stateward-fuzz-")) / "store"
    scanned = _invoke("scan", str(SHOP / "production"), "--estate", "shop", store=store)
    assert scanned.exit_code == 0, scanned.output
    return store


def _invoke(*args: str, store: Path) -> Result:
    # The store's keys live beside it, not in the per-test XDG_CONFIG_HOME of conftest: the
    # store outlives a test.
    env = {"NO_COLOR": "1", "XDG_CONFIG_HOME": str(store.parent / "config")}
    return CliRunner().invoke(main, [*args, "--store", str(store)], env=env)


def _run(*args: str) -> None:
    result = _invoke(*args, store=_store())
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1, 2, 3), result.output


def _side(estate: str, when: str | None) -> str:
    side = estate if when is None else f"{estate}@{when}"
    return side if not os.path.exists(side) else f"shop@{when}"  # a path would be observed


@fuzz_settings()
@given(_ESTATES, st.one_of(st.none(), _TIMES), _ESTATES, st.one_of(st.none(), _TIMES))
def test_estate_at_time_sides(a: str, at_a: str | None, b: str, at_b: str | None) -> None:
    _run("drift", _side(a, at_a), _side(b, at_b))
    _run("parity", _side(a, at_a), _side(b, at_b))


@fuzz_settings()
@given(_ESTATES, _TIMES)
def test_at_times(estate: str, when: str) -> None:
    try:
        parse_time(when)
    except StatewardError:
        pass
    _run("show", estate, "--at", when)
    _run("at", when, "--estate", estate)
