"""Inputs found clean are remembered: a repeat is redacted exactly as the first time, and nothing
secret is ever remembered."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stateward.model.secrets import SecretKeeper
from stateward.sources import redact
from stateward.sources.redact import redact_args, redact_env_value

S = "s3cr3t-canary"
_NAMES = st.sampled_from(["LOG_LEVEL", "DB_PASSWORD", "API_TOKEN", "URL", "GIT_COMMIT", "x"])
_VALUES = st.one_of(
    st.sampled_from(
        [
            "info", "true", "8080", "redis://redis:6379", f"redis://:{S}@redis:6379",
            "ghp_aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6", f"password={S}\nport=5432",
            "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY12", "${DB_PASSWORD}", "",
        ]
    ),
    st.text(max_size=40),
)  # fmt: skip


KEEPER = SecretKeeper(os.urandom(32))


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    kept = redact._CLEAN
    redact._CLEAN = redact._CleanInputs(budget=4_000_000)
    yield
    redact._CLEAN = kept


@settings(max_examples=120, deadline=None)
@given(pairs=st.lists(st.tuples(_NAMES, _VALUES), max_size=12))
def test_a_repeated_env_value_is_redacted_as_the_first_time(pairs: list[tuple[str, str]]) -> None:
    keeper = KEEPER
    first = [redact_env_value(name, value, keeper) for name, value in pairs]
    again = [redact_env_value(name, value, keeper) for name, value in pairs]
    redact._CLEAN = redact._CleanInputs(budget=4_000_000)
    fresh = [redact_env_value(name, value, keeper) for name, value in pairs]
    assert first == again == fresh


@settings(max_examples=80, deadline=None)
@given(args=st.lists(st.one_of(_VALUES, st.sampled_from(["--token", "-p", "mysql", "-c"]))))
def test_repeated_arguments_are_redacted_as_the_first_time(args: list[str]) -> None:
    keeper = KEEPER
    first = redact_args(args, keeper)
    assert redact_args(args, keeper) == first
    redact._CLEAN = redact._CleanInputs(budget=4_000_000)
    assert redact_args(args, keeper) == first


def test_nothing_redacted_is_remembered(keeper: SecretKeeper) -> None:
    assert redact_env_value("DB_PASSWORD", S, keeper) != S
    assert redact_args(["app", "--token", S], keeper) != ["app", "--token", S]
    assert redact_env_value("LOG_LEVEL", "info", keeper) == "info"
    remembered = redact._CLEAN._inputs
    assert remembered == {("LOG_LEVEL", "info")}
    assert not any(S in str(key) for key in remembered)


def test_past_its_budget_the_memory_starts_over() -> None:
    clean = redact._CleanInputs(budget=10)
    clean.add("a", 6)
    clean.add("b", 6)  # over: "a" is forgotten
    assert "b" in clean and "a" not in clean
    clean.add("huge", 11)  # larger than the whole budget: never kept
    assert "huge" not in clean
