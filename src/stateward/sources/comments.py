"""Comments next to configuration: YAML loaders drop them, people put intent in them.

``memory: 500M  # high to support the recommendationCache feature`` says more about hidden
state than the value does. Each resource keeps the comments of its own lines as
``(code, comment)`` pairs: the code the comment sits on ("" for a comment line of its own) and
the comment's text. They are hints for analyses, not part of the canonical body, so a comment
never changes a fingerprint. A comment may sit on a line that holds a secret
(``password: s3cret  # rotate yearly``) or quote one: :func:`scrub_comments` digests those
values in the kept text, as they are digested in the body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from stateward.model.secrets import Digester
from stateward.sources.redact_text import redact_text

__all__ = ["Comments", "block_end", "block_start", "comments_between", "scrub_comments"]

Comments = tuple[tuple[str, str], ...]

# A comment starts at "#" preceded by whitespace (or at the line start), outside quotes.
_COMMENT = re.compile(r"^(?P<code>(?:[^#'\"]|'[^']*'|\"[^\"]*\")*?)(?:^|\s)#\s?(?P<text>.*)$")
_MAX_COMMENTS = 64


def comments_between(lines: list[str], start: int, end: int) -> Comments:
    """Comments on lines ``start`` to ``end`` (0-based, end excluded), at most 64."""
    found = []
    for line in lines[start:end]:
        if "#" not in line:
            continue
        match = _COMMENT.match(line)
        if match and match["text"].strip():
            found.append((match["code"].strip(), match["text"].strip()))
            if len(found) == _MAX_COMMENTS:
                break
    return tuple(found)


def scrub_comments(comments: Comments, seen: Iterable[str], keeper: Digester) -> Comments:
    """``comments`` with the credentials they show digested: those found in the text itself and
    every value in ``seen`` (what was digested in the object the comments belong to)."""
    if not comments:
        return comments
    values = sorted((v for v in set(seen) if v.strip()), key=len, reverse=True)
    pattern = (
        re.compile("|".join(rf"(?<![\w]){re.escape(v)}(?![\w])" for v in values))
        if values
        else None
    )
    return tuple(
        (_scrub(code, pattern, keeper), _scrub(text, pattern, keeper)) for code, text in comments
    )


def _scrub(text: str, pattern: re.Pattern[str] | None, keeper: Digester) -> str:
    if pattern is not None:
        text = pattern.sub(lambda m: keeper.digest(m.group()), text)
    return redact_text(text, keeper)


def block_start(lines: list[str], start: int) -> int:
    """The first of the comment lines just above line ``start`` (``start`` when there are none):
    the comments that introduce the block, as :func:`block_end` leaves them to it."""
    while start > 0 and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    return start


def block_end(lines: list[str], start: int) -> int:
    """The line after the YAML block that starts at ``start``: the next line indented no
    deeper than the block's own first line (blank and comment-only lines do not end it), less
    the comment lines at the block's own depth or shallower just before it."""
    indent = _indent(lines[start])
    end = len(lines)
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("#") and _indent(lines[index]) <= indent:
            end = index
            break
    # Comment lines just above the next block introduce that block, not this one; those
    # indented deeper than this block's first line are inside it (a service's commented-out
    # last mount, ``      # - ./data:/app/data``), and so is what is above them.
    while end > start + 1 and _introduces_next(lines[end - 1], indent):
        end -= 1
    return end


def _introduces_next(line: str, indent: int) -> bool:
    """A blank line, or a comment line no deeper than the block (``indent``)."""
    return not line.strip() or line.lstrip().startswith("#") and _indent(line) <= indent


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
