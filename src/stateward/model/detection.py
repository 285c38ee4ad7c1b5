"""Which names and values hold credentials.

Values: Yelp detect-secrets' regex plugins (AWS, GitHub, GitLab, Stripe, Slack, JWT, npm, PyPI,
OpenAI, Twilio, SendGrid…) and its two Shannon-entropy plugins at their default limits (base64
4.5 bits, hex 3.0 bits), used as a library (Apache-2.0), pinned in constraints.txt:
https://github.com/Yelp/detect-secrets/tree/v1.5.0/detect_secrets/plugins
Names: the keyword plugin's DENYLIST (``plugins/keyword.py`` at that tag) plus the words it lacks
that deployments use for credentials (``GITHUB_PAT``, ``STRIPE_SK``, ``SIGNING_SALT``,
``*_TOKEN``, ``*_KEY``, redis' ``requirepass``/``masterauth``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from detect_secrets.plugins.artifactory import ArtifactoryDetector
from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
from detect_secrets.plugins.base import RegexBasedDetector
from detect_secrets.plugins.basic_auth import BasicAuthDetector
from detect_secrets.plugins.discord import DiscordBotTokenDetector
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.high_entropy_strings import (
    Base64HighEntropyString,
    HexHighEntropyString,
    HighEntropyStringsPlugin,
)
from detect_secrets.plugins.jwt import JwtTokenDetector
from detect_secrets.plugins.keyword import DENYLIST
from detect_secrets.plugins.mailchimp import MailchimpDetector
from detect_secrets.plugins.npm import NpmDetector
from detect_secrets.plugins.openai import OpenAIDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.slack import SlackDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector
from detect_secrets.plugins.stripe import StripeDetector
from detect_secrets.plugins.telegram_token import TelegramBotTokenDetector
from detect_secrets.plugins.twilio import TwilioKeyDetector

__all__ = [
    "NAME_HINTS",
    "entropy_tokens",
    "harmless",
    "known_tokens",
    "names_a_digest",
    "secret_name",
    "secret_value",
]

# IPPublicDetector is left out on purpose: an address is a dependency edge, not a credential.
# The keyword-assignment plugins (Cloudant, IBM, SoftLayer) are covered by the name rules.
_DETECTORS: tuple[RegexBasedDetector, ...] = tuple(
    cls()
    for cls in (
        ArtifactoryDetector, AWSKeyDetector, AzureStorageKeyDetector, BasicAuthDetector,
        DiscordBotTokenDetector, GitHubTokenDetector, GitLabTokenDetector, JwtTokenDetector,
        MailchimpDetector, NpmDetector, OpenAIDetector, PypiTokenDetector, SendGridDetector,
        SlackDetector, SquareOAuthDetector, StripeDetector, TelegramBotTokenDetector,
        TwilioKeyDetector,
    )
)  # fmt: skip
_ENTROPY: tuple[HighEntropyStringsPlugin, ...] = (Base64HighEntropyString(), HexHighEntropyString())
# detect-secrets itself only scores quoted strings in source code; a bare value here is already
# one token, but short ones (ports, versions, names) score high by chance: 20 characters is the
# length of the shortest common API key shape (AWS access key ids).
_MIN_ENTROPY_LENGTH = 20
# Content digests (image references, checksums) are high-entropy hex, and public by design.
_DIGEST_BEFORE = re.compile(r"(?:sha(?:1|224|256|384|512)|md5)[:=-]$", re.IGNORECASE)
_LONGEST_DIGEST_NAME = len("sha512:")

_DENYLIST = re.compile("|".join(DENYLIST))
# Words that name a credential wherever they stand in a variable name.
_ANYWHERE = frozenset(
    "password passwd pwd pass passphrase secret secrets token tokens credential credentials "
    "creds apikey htpasswd basicauth salt pat dsn privatekey secretkey accesskey webhook "
    "requirepass masterauth".split()
)
# Words that name a credential as the last word only (``STRIPE_SK``, ``REDIS_AUTH``, ``*_KEY``).
_LAST = frozenset("key sk auth".split())
# A last word that turns the name into something about a credential, not the credential itself.
_ABOUT = frozenset(
    "file path dir directory name ref type mode enabled enable disabled length size ttl expiry "
    "expires timeout header field id user username location endpoint provider version kind "
    "policy format count prefix".split()
)


# Every secret name holds one of these, in any case (a test checks it): a text without one
# needs no name rule.
NAME_HINTS = (
    "pass", "pwd", "secret", "token", "cred", "key", "sk", "auth", "salt", "pat", "dsn", "hook",
    "contrase",
)  # fmt: skip


@functools.lru_cache(maxsize=8192)  # an estate repeats the same variable names many times
def secret_name(name: str) -> bool:
    """True when a variable, key or flag name says its value is a credential."""
    words = _words(name)
    if not words or words[-1] in _ABOUT:
        return False
    # A lone ``key`` is a map's field name (``"key": "service.name"`` in configs), not a key;
    # a lone ``auth`` is a credential (``"auth": "dXNlcjpwYXNz"`` in a Docker config.json).
    if words[-1] in _LAST and words != ["key"]:
        return True
    if any(word in _ANYWHERE for word in words):
        return True
    return _DENYLIST.search("_".join(words)) is not None


def _words(name: str) -> list[str]:
    # FOO_BAR, foo.bar, foo-bar and fooBar all split into words.
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [word for word in re.split(r"[^a-z0-9]+", spaced.lower()) if word]


def secret_value(value: str, entropy: bool = True) -> bool:
    """True when a whole value, one word, is shaped like a credential (a known token or, with
    ``entropy``, random text); words inside a longer text are found by :func:`known_tokens` and
    :func:`entropy_tokens` and replaced where they stand."""
    if not value or any(c.isspace() for c in value):
        return False
    if any(True for _ in known_tokens(value)):
        return True
    return entropy and any(True for _ in entropy_tokens(value))


def names_a_digest(name: str) -> bool:
    """True for a name whose value is random by construction and public by design: a checksum,
    a commit, an id (``com.docker.compose.config-hash``, ``GIT_COMMIT``, ``checksum/config``)."""
    return any(word in _DIGEST_WORDS for word in _words(name))


_DIGEST_WORDS = frozenset(
    "hash digest sha sha1 sha256 checksum commit revision rev etag fingerprint uid uuid".split()
)


def harmless(value: str, name: str = "") -> bool:
    """True for a value that reveals nothing even under a secret name: a switch, a reference to
    another variable (``${DB_PASSWORD}``, ``$(DB_PASSWORD)``, ``$DB_PASSWORD``) or a shell
    command that reads the secret at run time (``$(cat /run/secrets/db-password)``); those are
    better kept readable. So is ``memory`` under a data source ``name`` (``DSN=memory``): it
    names the in-memory backend, no address and no credential, and the audit reads it as records
    kept in memory only (:mod:`stateward.analysis.audit.memory_config`). Under any other secret
    name (a password that is the word ``memory``) it is a secret like any other."""
    lowered = value.lower()
    if lowered == "memory":
        words = _words(name)
        return bool(words) and words[-1] == "dsn"
    return lowered in _SWITCHES or _REFERENCE.fullmatch(value) is not None


_SWITCHES = frozenset({"true", "false", "yes", "no", "on", "off"})
_REFERENCE = re.compile(r"\$(?:\{[^}\s]*\}|\([^)]*\)|[A-Za-z_]\w*)")


def known_tokens(text: str) -> Iterator[str]:
    """The credentials in ``text`` that one of detect-secrets' regex plugins recognises."""
    if len(text) > _MAX_WORD and max(map(len, text.split())) > _MAX_WORD:
        # Some plugin patterns backtrack quadratically within one word (the JWT one on
        # "eyJeyJeyJ…"); no credential they know is that long, so such words are not offered.
        # (str.split and re's \S part words at the same characters, str.isspace's; the split
        # finds in a fifth of the time whether there is such a word at all.)
        text = _LONG_WORD.sub(lambda m: " " * len(m.group()), text)
    # One search for what any listed pattern needs: most texts (ports, names, switches, paths)
    # hold none of it, and then only detectors with an unlisted pattern run.
    scans = _SCANS if _GATE.search(text) is not None else _UNGATED
    lowered = text.lower() if text.isascii() else None
    for detector, needles, ascii_needles, shapes in scans:
        if (
            any(needle in text for needle in needles)
            or (
                ascii_needles
                and (lowered is None or any(needle in lowered for needle in ascii_needles))
            )
        ) and (not shapes or any(shape.search(text) for shape in shapes)):
            yield from (found for found in detector.analyze_string(text) if found)


# What each detector pattern cannot match without: one of these substrings; for the patterns of
# _ASCII_NEEDLES, one of those in the lower-cased text, when it is ASCII (re's case-blind match
# also takes "ſ" for "s" and "K" (Kelvin) for "k", and its \d any script's digits). Most texts hold none for most detectors, which are then not run: on a
# 100 KB dashboard in a ConfigMap that saves ~30 regex scans, most of the time a scan spent
# redacting. A detector with a pattern not listed here (a newer detect-secrets) always runs.
_NEEDLES: dict[str, tuple[str, ...]] = {
    r'(?:\s|=|:|"|^)AKC[a-zA-Z0-9]{10,}(?:\s|"|$)': ("AKC",),
    r'(?:\s|=|:|"|^)AP[\dABCDEF][a-zA-Z0-9]{8,}(?:\s|"|$)': ("AP",),
    r"(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}": ("A3T", "ABIA", "ACCA", "AKIA", "ASIA"),
    r"AccountKey=[a-zA-Z0-9+\/=]{88}": ("AccountKey=",),
    r"[MNO][a-zA-Z\d_-]{23,25}\.[a-zA-Z\d_-]{6}\.[a-zA-Z\d_-]{27}": (".",),
    r"(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9_]{36}": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
    r"(glpat|gldt|glft|glsoat|glrt)-[A-Za-z0-9_\-]{20,50}(?!\w)": (
        "glpat-", "gldt-", "glft-", "glsoat-", "glrt-",
    ),
    r"GR1348941[A-Za-z0-9_\-]{20,50}(?!\w)": ("GR1348941",),
    r"glcbt-([0-9a-fA-F]{2}_)?[A-Za-z0-9_\-]{20,50}(?!\w)": ("glcbt-",),
    r"glimt-[A-Za-z0-9_\-]{25}(?!\w)": ("glimt-",),
    r"glptt-[A-Za-z0-9_\-]{40}(?!\w)": ("glptt-",),
    r"glagent-[A-Za-z0-9_\-]{50,1024}(?!\w)": ("glagent-",),
    r"gloas-[A-Za-z0-9_\-]{64}(?!\w)": ("gloas-",),
    r"eyJ[A-Za-z0-9-_=]+\.[A-Za-z0-9-_=]+\.?[A-Za-z0-9-_.+/=]*?": ("eyJ",),
    r"[0-9a-z]{32}-us[0-9]{1,2}": ("-us",),
    r"\/\/.+\/:_authToken=\s*((npm_.+)|([A-Fa-f0-9-]{36})).*": ("/:_authToken=",),
    r"sk-[A-Za-z0-9-_]*[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}": ("T3BlbkFJ",),
    r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9-_]{70,}": ("pypi-AgEIcHlwaS5vcmc",),
    r"pypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9-_]{70,}": ("pypi-AgENdGVzdC5weXBpLm9yZw",),
    r"SG\.[a-zA-Z0-9_-]{22}\.[a-zA-Z0-9_-]{43}": ("SG.",),
    r"sq0csp-[0-9A-Za-z\\\-_]{43}": ("sq0csp-",),
    r"(?:r|s)k_live_[0-9a-zA-Z]{24}": ("k_live_",),
    r"AC[a-z0-9]{32}": ("AC",),
    r"SK[a-z0-9]{32}": ("SK",),
    r"://[^:/\?\#\[\]@!\$\&'\(\)\*\+,;=\s]+:([^:/\?\#\[\]@!\$\&'\(\)\*\+,;=\s]+)@": (
        "://",
    ),
}  # fmt: skip
_ASCII_NEEDLES: dict[str, tuple[str, ...]] = {
    r"\d{8,10}:[0-9A-Za-z_-]{35}": tuple(f"{digit}:" for digit in range(10)),
    r"aws.{0,20}?(?:key|pwd|pw|password|pass|token).{0,20}?[\'\"]([0-9a-zA-Z/+]{40})[\'\"]": (
        "aws",
    ),
    r"xox(?:a|b|p|o|s|r)-(?:\d+-)+[a-z0-9]+": ("xox",),
    r"https://hooks\.slack\.com/services/T[a-zA-Z0-9_]+/B[a-zA-Z0-9_]+/[a-zA-Z0-9_]+": (
        "https://hooks.slack.com/services/",
    ),
}  # fmt: skip


# What every match of a pattern holds, as a pattern re finds at memory speed: a literal first,
# where the detector's own pattern starts with an alternation or a class that re tries at each
# character. A big text (a dashboard in a ConfigMap) holds "AP", "." and "-us" somewhere, so the
# needles let these detectors run; these then skip them unless the text holds the shape too.
# On the bench estate they took half the time spent in detectors, a sixth of reading a file.
_SHAPES: dict[str, str] = {
    r'(?:\s|=|:|"|^)AKC[a-zA-Z0-9]{10,}(?:\s|"|$)': r"AKC[a-zA-Z0-9]{10}",
    r'(?:\s|=|:|"|^)AP[\dABCDEF][a-zA-Z0-9]{8,}(?:\s|"|$)': r"AP[\dABCDEF][a-zA-Z0-9]{8}",
    r"[MNO][a-zA-Z\d_-]{23,25}\.[a-zA-Z\d_-]{6}\.[a-zA-Z\d_-]{27}": (
        r"\.[a-zA-Z\d_-]{6}\.[a-zA-Z\d_-]{27}"
    ),
    r"[0-9a-z]{32}-us[0-9]{1,2}": r"-us[0-9]",
}


def _scan(
    detector: RegexBasedDetector,
) -> tuple[RegexBasedDetector, tuple[str, ...], tuple[str, ...], tuple[re.Pattern[str], ...]]:
    patterns = [pattern.pattern for pattern in detector.denylist]
    # "" is in every text: a pattern listed nowhere has its detector run on every text
    exact = (n for p in patterns if p not in _ASCII_NEEDLES for n in _NEEDLES.get(p, ("",)))
    ascii_only = (n for p in patterns for n in _ASCII_NEEDLES.get(p, ()))
    # Shapes only when every pattern has one (none: no test beyond the needles), each compiled
    # with its pattern's flags, so it finds what the pattern would.
    shapes = tuple(re.compile(_SHAPES[p.pattern], p.flags) for p in detector.denylist
                   if p.pattern in _SHAPES)  # fmt: skip
    return detector, tuple(exact), tuple(ascii_only), shapes if len(shapes) == len(patterns) else ()


_SCANS = tuple(map(_scan, _DETECTORS))
_UNGATED = tuple(scan for scan in _SCANS if "" in scan[1])

# What _ASCII_NEEDLES stand for in any text, as a pattern with the detector pattern's own flags:
# re's case-blind and Unicode matching then agree with the detector's on non-ASCII text too.
_ANY_TEXT_NEEDLES: dict[str, str] = {
    r"\d{8,10}:[0-9A-Za-z_-]{35}": r"\d:",
    r"aws.{0,20}?(?:key|pwd|pw|password|pass|token).{0,20}?[\'\"]([0-9a-zA-Z/+]{40})[\'\"]": "aws",
    r"xox(?:a|b|p|o|s|r)-(?:\d+-)+[a-z0-9]+": "xox",
    r"https://hooks\.slack\.com/services/T[a-zA-Z0-9_]+/B[a-zA-Z0-9_]+/[a-zA-Z0-9_]+": (
        r"https://hooks\.slack\.com/services/"
    ),
}  # fmt: skip


def _gate_part(pattern: re.Pattern[str]) -> str:
    """A pattern every match of ``pattern`` holds a match of (its shape, or one of its needles),
    under ``pattern``'s own case-blindness."""
    if pattern.pattern in _ANY_TEXT_NEEDLES:
        part = _ANY_TEXT_NEEDLES[pattern.pattern]
    elif pattern.pattern in _SHAPES:
        part = _SHAPES[pattern.pattern]
    else:
        part = "|".join(map(re.escape, _NEEDLES[pattern.pattern]))
    return f"(?i:{part})" if pattern.flags & re.IGNORECASE else f"(?:{part})"


_LISTED = _NEEDLES.keys() | _ASCII_NEEDLES.keys()
_GATE = re.compile(
    "|".join(_gate_part(p) for d in _DETECTORS for p in d.denylist if p.pattern in _LISTED)
)

_MAX_WORD = 2048
_LONG_WORD = re.compile(rf"(?<!\S)\S{{{_MAX_WORD + 1},}}")  # anchored: linear, one try per word
_TOKEN = re.compile(r"[A-Za-z0-9+/=_-]+")


def entropy_tokens(text: str) -> Iterator[re.Match[str]]:
    """Runs of base64 or hex characters random enough to be keys (detect-secrets' limits)."""
    for match in _TOKEN.finditer(text):
        token = match.group().rstrip("=")
        before = max(0, match.start() - _LONGEST_DIGEST_NAME)
        if len(token) < _MIN_ENTROPY_LENGTH or _DIGEST_BEFORE.search(text, before, match.start()):
            continue
        if any(_scores(plugin, token) for plugin in _ENTROPY):
            yield match


def _scores(plugin: HighEntropyStringsPlugin, token: str) -> bool:
    if not set(token) <= set(plugin.charset):
        return False
    return float(plugin.calculate_shannon_entropy(token)) > plugin.entropy_limit
