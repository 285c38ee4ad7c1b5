"""Credentials inside free text — config files, shell strings, comments — digested in place.

Every rule finds spans of the original text, in time linear in its length (names and schemes
have a bounded length, so a hostile megabyte-long word costs no more than a normal one).
Overlapping spans are merged and each is replaced once by its keyed digest, so a digest is never
scanned again and everything around a secret (keys, hosts, the rest of the command) stays as
written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stateward.model.detection import (
    NAME_HINTS,
    entropy_tokens,
    harmless,
    known_tokens,
    secret_name,
)
from stateward.model.secrets import SECRET_PREFIX, Digester

__all__ = ["redact_text", "takes_secret"]

Span = tuple[int, int]

_DIGEST = re.compile(re.escape(SECRET_PREFIX) + "[0-9a-f]{64}")

# scheme://user:password@ (RFC 3986 §3.2.1); the user may be empty, as in redis://:pw@host.
_URL_PASSWORD = re.compile(
    r"(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}://[^/\s:@'\"]*:([^/\s@'\"]+)@", re.IGNORECASE
)
# RFC 7468 §10 private key blocks: the whole block is the secret, not only its BEGIN line.
_PRIVATE_KEY = re.compile(
    r"-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----.*?(?:-----END \1PRIVATE KEY-----|\Z)", re.DOTALL
)
# A value: quoted, or a bare word, which may hold ``${VAR}`` and ``$(command)`` references.
_VALUE = r"""(?:"(?P<dq>[^"\n]*)"|'(?P<sq>[^'\n]*)'|(?P<bare>(?:\$\{[^}\s]{0,255}\}|\$\([^)\n]{0,255}\)|[^\s,;&"'{}\[\]()<>#])+))"""
# HTTP credentials written out (RFC 6750 §2.1 bearer tokens, RFC 7617 basic credentials).
# The token must look encoded (a digit, one of ``+/=_~``, or a capital after a small letter), so
# prose such as "Basic configuration" stays.
_AUTH_SCHEMES = ("earer ", "earer\t", "asic ", "asic\t")  # what a match holds: a cheap test first
_AUTH_SCHEME = re.compile(
    r"\b(?:[Bb]earer|[Bb]asic)[ \t]+"
    r"(?P<bare>(?=[A-Za-z0-9._~+/=-]*?(?:[0-9+/=_~]|[a-z][A-Z]))[A-Za-z0-9._~+/=-]{8,})"
)
# An Authorization or Proxy-Authorization header (RFC 9110 §11.6.2, §11.7.2: a scheme, then the
# credentials; header names and schemes are case-insensitive, §5.1 and §11.1), as a curl -H
# argument, a config line or a JSON member: the header says the credentials are one, whatever
# their shape (``Bearer abcdefgh`` too).
_AUTH_HEADER = re.compile(
    r"""(?i)(?<![\w-])(?:proxy-)?authorization["']?[ \t]*[:=][ \t]*["']?[a-z][\w-]{0,31}[ \t]+"""
    r"""(?P<bare>[^\s'"]+)"""
)
# curl's -u/--user and -U/--proxy-user ``user:password`` (https://curl.se/docs/manpage.html#-u):
# the pair is the credential; without a colon curl asks for the password, and no secret is
# written. Only on a curl command line: elsewhere -u names a user (``docker run -u 1000:1000``).
_CURL = re.compile(r"\bcurl\b")
_CURL_FLAGS = ("-u", "-U", "--user", "--proxy-user")
_CURL_USER = re.compile(r"(?<!\S)(?:-u|-U|--user|--proxy-user)(?:=|[ \t]+)?" + _VALUE)
# key = value, key: value, "key": "value", ?password=value (not scheme://). Keys start a word
# (the look-behind), so a megabyte-long word is tried once, not at each of its characters.
_ASSIGN = re.compile(
    r"""(?<![\w.-])(?P<key>[A-Za-z_][\w.-]{0,127})["']?[ \t]*(?:=|:(?!//))[ \t]*""" + _VALUE
)
# --flag value and --flag=value on a command line.
_FLAG = re.compile(r"(?<![\w-])--?(?P<key>[A-Za-z][\w.-]{0,127})(?:=|[ \t]+)" + _VALUE)
# A config directive of its own line: ``requirepass value`` (redis.conf), ``masterauth value``.
_DIRECTIVE = re.compile(r"^[ \t]*(?P<key>[A-Za-z_][\w.-]{0,127})[ \t]+" + _VALUE + r"[ \t]*$", re.M)
# htpasswd entries, ``user:hash`` (traefik and nginx basic-auth users): MD5-APR1, bcrypt, SHA-1
# and crypt(3) hashes, https://httpd.apache.org/docs/2.4/misc/password_encryptions.html
_HTPASSWD = re.compile(
    r"(?<![\w$])[\w.@-]{1,64}:(?P<bare>\$(?:apr1|2[abxy]?|1|5|6)\$[^\s,\"']+|\{SHA\}[A-Za-z0-9+/=]+)"
)
# Programs whose short flags take a password: mysql's ``-pSECRET`` (attached; ``-p SECRET``
# would prompt and read SECRET as the database) and the next word after redis-cli's ``-a`` and
# sqlcmd's ``-P``:
# https://dev.mysql.com/doc/refman/8.4/en/connection-options.html#option_general_password
# https://redis.io/docs/latest/develop/tools/cli/
# https://learn.microsoft.com/en-us/sql/tools/sqlcmd/sqlcmd-utility#-p-password
_MYSQL = re.compile(r"\b(?:mysql|mysqladmin|mysqldump|mysqlsh|mariadb|mariadb-admin)\b")
_MYSQL_P = re.compile(r"(?<!\S)-p(?P<bare>[^\s\"']+)")
# (program, its flag, a substring every name of the program holds: a cheap test first)
_SHORT_FLAGS = (
    (re.compile(r"\b(?:redis|valkey|keydb)-cli\b"), "-a", "-cli"),
    (re.compile(r"\bsqlcmd\b"), "-P", "sqlcmd"),
)
_SHORT_FLAG_VALUES = {
    flag: re.compile(rf"(?<!\S){flag}[ \t]+" + _VALUE) for _, flag, _ in _SHORT_FLAGS
}


def redact_text(text: str, keeper: Digester, context: str = "", entropy: bool = True) -> str:
    """``text`` with every credential found in it replaced by its digest. ``context`` is the
    rest of the command line a word belongs to (it says which program reads ``-p``); without
    ``entropy`` random-looking words stay (the value is named as a checksum)."""
    done = [m.span() for m in _DIGEST.finditer(text)] if SECRET_PREFIX in text else []
    spans = [s for s in _merge(_spans(text, context or text, entropy)) if not _within(s, done)]
    if not spans:
        return text
    out, at = [], 0
    for start, end in spans:
        out += [text[at:start], keeper.digest(text[start:end])]
        at = end
    out.append(text[at:])
    return "".join(out)


def _within(span: Span, done: list[Span]) -> bool:
    # A digest already in the text (a comment scrubbed before) is not digested again.
    return any(start < span[1] and span[0] < end for start, end in done)


def takes_secret(flag: str, context: str) -> bool:
    """True when command-line word ``flag`` takes a credential as the next word."""
    if not flag.startswith("-") or "=" in flag:
        return False
    if any(flag == short and program.search(context) for program, short, _ in _SHORT_FLAGS):
        return True
    if flag in _CURL_FLAGS and _CURL.search(context):
        return True
    return len(flag) > 2 and secret_name(flag.lstrip("-"))


def _spans(text: str, context: str, entropy: bool) -> Iterator[Span]:
    # Cheap substring tests first: a dashboard JSON in a ConfigMap runs to megabytes.
    if "://" in text and "@" in text:
        yield from (m.span(1) for m in _URL_PASSWORD.finditer(text))
    if "PRIVATE KEY" in text:
        yield from (m.span() for m in _PRIVATE_KEY.finditer(text))
    for found in set(known_tokens(text)):
        yield from _occurrences(text, found)
    for start, end in _hinted_lines(text):
        for pattern in (_ASSIGN, _FLAG, _DIRECTIVE):
            yield from _keyed(pattern, text, start, end)
    if ":$" in text or ":{SHA}" in text:
        yield from _values(_HTPASSWD, text)
    if any(scheme in text for scheme in _AUTH_SCHEMES):
        yield from _values(_AUTH_SCHEME, text)
    if "uthorization" in text or "UTHORIZATION" in text:
        yield from _values(_AUTH_HEADER, text)
    if "curl" in context and _CURL.search(context):
        yield from _curl_users(text)
    if ("mysql" in context or "mariadb" in context) and _MYSQL.search(context):
        yield from _values(_MYSQL_P, text)
    for program, flag, name in _SHORT_FLAGS:
        if flag in context and name in context and program.search(context):
            yield from _values(_SHORT_FLAG_VALUES[flag], text)
    if entropy and "\n" not in text:  # on config files it would take certificates, checksums
        yield from (m.span() for m in entropy_tokens(text))


def _hinted_lines(text: str) -> list[Span]:
    """(start, end) of each line that holds a word a secret name needs; a key and its value
    always share a line in the rules that use these."""
    lowered = text.lower()  # str.find per word beats one case-blind regex by far on big texts
    lines: set[Span] = set()
    for word in NAME_HINTS:
        at = lowered.find(word)
        while at >= 0:
            end = text.find("\n", at)
            end = len(text) if end < 0 else end
            lines.add((text.rfind("\n", 0, at) + 1, end))
            at = lowered.find(word, end)  # one hit is enough: the rest of the line is taken
    return sorted(lines)


def _keyed(pattern: re.Pattern[str], text: str, start: int, end: int) -> Iterator[Span]:
    for match in pattern.finditer(text, start, end):
        if secret_name(match["key"]):
            yield from _values_of(match)


def _curl_users(text: str) -> Iterator[Span]:
    for match in _CURL_USER.finditer(text):
        value = match["dq"] or match["sq"] or match["bare"] or ""
        if ":" in value:
            yield from _values_of(match)


def _values(pattern: re.Pattern[str], text: str) -> Iterator[Span]:
    for match in pattern.finditer(text):
        yield from _values_of(match)


def _values_of(match: re.Match[str]) -> Iterator[Span]:
    for group in ("dq", "sq", "bare"):
        if group in match.re.groupindex and match[group]:
            key = match["key"] if "key" in match.re.groupindex else ""
            if not harmless(match[group], key or ""):
                yield match.span(group)
            return


def _occurrences(text: str, found: str) -> Iterator[Span]:
    at = text.find(found)
    while at >= 0:
        yield at, at + len(found)
        at = text.find(found, at + len(found))


def _merge(spans: Iterator[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if start == end:
            continue
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
