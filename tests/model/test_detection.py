"""Name and value rules for credentials (detect-secrets' rule set plus the words it lacks)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stateward.model.detection import (
    _ASCII_NEEDLES,
    _DETECTORS,
    _NEEDLES,
    NAME_HINTS,
    entropy_tokens,
    known_tokens,
    secret_name,
    secret_value,
)

_WORDS = ["db", "pass", "word", "api", "key", "token", "sk", "github", "pat", "file", "salt",
          "auth", "x", "secret", "url", "id", "pwd", "hook", "cred", "s"]  # fmt: skip


@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5), st.sampled_from("_-."))
def test_every_secret_name_holds_a_hint_word(words: list[str], sep: str) -> None:
    # redact_text only runs the name rules on lines holding a hint: this must never skip one.
    name = sep.join(words).upper()
    if secret_name(name):
        assert any(hint in name.lower() for hint in NAME_HINTS)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("GITHUB_PAT", True),
        ("STRIPE_SK", True),
        ("SIGNING_SALT", True),
        ("ACCESS_TOKEN", True),
        ("APP_KEY", True),
        ("requirepass", True),
        ("spring.datasource.password", True),
        ("webhookUrl", True),
        ("DB_PASSWORD_FILE", False),
        ("secretKeyRef", False),
        ("GF_AUTH_ANONYMOUS_ENABLED", False),
        ("key", False),  # a map's field name in configs
        ("AWS_ACCESS_KEY_ID", False),
        ("CACHE_KEY_PREFIX", False),
    ],
)
def test_secret_names(name: str, expected: bool) -> None:
    assert secret_name(name) is expected


def test_content_digests_are_not_taken_for_keys() -> None:
    digest = "sha256:4bc453b53cb3d914b45f4b250294236adba2c0e09ff6f03793949e7e39fd4cc1"
    assert list(entropy_tokens(digest)) == []
    assert secret_value(digest.partition(":")[2])  # the same hex alone could be a key


def test_values_with_spaces_are_left_to_the_text_rules() -> None:
    assert not secret_value("ghp_aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6 and more")


def _reference(text: str) -> list[str]:
    """known_tokens as detect-secrets' own plugins find them, every pattern run."""
    return [found for d in _DETECTORS for found in d.analyze_string(text) if found]


def test_every_detector_pattern_has_its_needles() -> None:
    # an unlisted pattern is still run on every text, only slower: say so when one appears
    listed = _NEEDLES.keys() | _ASCII_NEEDLES.keys()
    assert [p.pattern for d in _DETECTORS for p in d.denylist if p.pattern not in listed] == []


@pytest.mark.parametrize("pattern", [p for d in _DETECTORS for p in d.denylist], ids=str)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_needles_never_skip_a_pattern_that_matches(pattern: re.Pattern[str], data: Any) -> None:
    around = st.text(alphabet=st.sampled_from("aAsSſK -_:=./\"'\nxyz019"), max_size=12)
    token = data.draw(st.from_regex(pattern))
    text = data.draw(around) + token + data.draw(around)
    assert list(known_tokens(text)) == _reference(text)


@pytest.mark.parametrize(
    "text",
    [
        "aws_secret_key = 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY12'",
        "AWſ_ſecret_key = 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY12'",  # long s: re's case-blind
        "XOXB-123-abc",
        "bot \u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669:AAH"
        + "x" * 32,  # \d: any digit
        "\u212aey=1 aws_\u017fecret='wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY12'",  # Kelvin, long s
        "nothing any listed pattern needs: 0.0.0.0 port five",
        "no credential here at all: " * 200,
    ],
)
def test_known_tokens_match_detect_secrets(text: str) -> None:
    assert list(known_tokens(text)) == _reference(text)


def test_a_word_past_the_limit_is_not_offered_and_the_rest_of_the_text_is() -> None:
    token = "ghp_aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6"
    assert list(known_tokens("x" * 3000 + token)) == []  # one word of 3,040 characters
    found = _reference(token)
    assert found
    assert list(known_tokens("x" * 3000 + " " + token)) == found
    assert list(known_tokens("x" * 3000 + "\u2003" + token)) == found  # any space parts words
