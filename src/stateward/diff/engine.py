"""The semantic diff: two normalized bodies in, changes with paths and facets out.

Mappings are compared key by key; lists the Kubernetes API merges by key are matched by
identity (:mod:`stateward.model.identity`), all others by position, as strategic merge and
server-side apply do. Scalars are
equal only when type and value agree, so ``'1'`` and ``1`` differ, and ``true`` is not ``1``.

Paths are JSON pointers (RFC 6901). A change inside a matched list item, or a removed item,
carries the item's position in *before*; an added item carries its position in *after*.
Emitted in that order — nested changes, then removals from the highest position down, then
additions from the lowest up — the changes replay on *before* with :func:`apply_changes`.
"""

from __future__ import annotations

from typing import Any

from stateward.diff.facets import facet_for
from stateward.diff.result import MODES, Mode
from stateward.errors import UsageError
from stateward.model.change import Change, Op
from stateward.model.finding import Finding, Severity
from stateward.model.identity import Identity, identity_for
from stateward.model.pointer import Trail, join, trail_pointer, trail_tokens
from stateward.model.resource import ResourceKey
from stateward.model.secrets import is_secret_digest

__all__ = ["check_mode", "diff_documents"]

_ANY = ResourceKey("", "", "", "")
_SCALARS = frozenset({str, int, float, bool, type(None)})


def check_mode(mode: str) -> Mode:
    """``mode`` itself when it is a known mode; UsageError otherwise."""
    for known in MODES:
        if mode == known:
            return known
    raise UsageError(f"unknown diff mode {mode!r}", remedy="Use --mode strict or --mode argo.")


def diff_documents(
    before: Any,
    after: Any,
    *,
    key: ResourceKey = _ANY,
    mode: str = "strict",
    sides: tuple[str, str] = ("desired", "live"),
) -> tuple[list[Change], list[Finding]]:
    """Changes that turn ``before`` into ``after``, and findings met on the way (duplicates).

    No normalization happens here: pass normalized bodies (see :func:`stateward.diff.diff_bodies`).
    In ``argo`` mode, keys and merge-keyed list items present only in ``after`` are ignored.
    """
    walker = _Walker(key, check_mode(mode) == "argo", sides)
    walker.value(before, after, None, "")
    return walker.changes, walker.findings


class _Walker:
    __slots__ = ("_subject", "argo", "changes", "findings", "key", "sides")

    def __init__(self, key: ResourceKey, argo: bool, sides: tuple[str, str]) -> None:
        self.key, self.argo, self.sides = key, argo, sides
        self._subject: str | None = None
        self.changes: list[Change] = []
        self.findings: list[Finding] = []

    @property
    def subject(self) -> str:
        # Named on the first change or finding: most pairs of a drift have neither.
        if self._subject is None:
            self._subject = str(self.key) if self.key != _ANY else ""
        return self._subject

    def emit(self, op: Op, trail: Trail, before: Any, after: Any) -> None:
        tokens = trail_tokens(trail)
        facet = facet_for(self.key, tokens, before, after)
        if self.key.kind == "Secret" and tokens[:1] in (["data"], ["stringData"]):
            before, after = _conceal(before), _conceal(after)
        self.changes.append(Change(self.subject, join(tokens), facet, op, before, after))

    def value(self, a: Any, b: Any, path: Trail, field: str) -> None:
        if a is b:
            return
        kind_a, kind_b = type(a), type(b)
        if kind_a is dict and kind_b is dict:
            self.mapping(a, b, path)
        elif kind_a is list and kind_b is list:
            self.sequence(a, b, path, field)
        elif kind_a is not kind_b or a != b:
            self.emit(Op.CHANGED, path, a, b)

    def mapping(self, a: dict[str, Any], b: dict[str, Any], path: Trail) -> None:
        removed = 0
        for name, value in a.items():
            if name not in b:
                self.emit(Op.REMOVED, (path, name), value, None)
                removed += 1
                continue
            other = b[name]
            kind = type(value)
            # Most fields are equal scalars: decided here, without a call per leaf. Anything
            # else (containers, or scalars of two types) goes through value().
            if kind is type(other) and kind in _SCALARS:
                if value is not other and value != other:  # one NaN object equals itself
                    self.emit(Op.CHANGED, (path, name), value, other)
            elif value is not other:
                # value()'s first two cases, one call less
                if kind is dict and type(other) is dict:
                    self.mapping(value, other, (path, name))
                elif kind is list and type(other) is list:
                    self.sequence(value, other, (path, name), name)
                else:
                    self.value(value, other, (path, name), name)
        # b holds a key a lacks only when it has more keys than a's found in it: most maps of
        # a pair hold the same keys, and are not read a second time.
        if not self.argo and len(b) > len(a) - removed:
            for name, value in b.items():
                if name not in a:
                    self.emit(Op.ADDED, (path, name), None, value)

    def sequence(self, a: list[Any], b: list[Any], path: Trail, field: str) -> None:
        identity = identity_for(field, a or b, self.key.kind)
        if identity is not None:
            keyed_a = self.index(a, identity, path, self.sides[0])
            keyed_b = self.index(b, identity, path, self.sides[1])
            if keyed_a is not None and keyed_b is not None:
                self.keyed(a, b, keyed_a, keyed_b, path)
                return
        self.ordered(a, b, path)

    def index(
        self, items: list[Any], identity: Identity, path: Trail, side: str
    ) -> dict[Any, int] | None:
        """Position of each item by its key; None (compare by position) when one lacks a key
        or two share one — duplicates are reported, never silently merged (argo-cd #20979)."""
        positions: dict[Any, int] = {}
        for position, item in enumerate(items):
            ident = identity(item) if isinstance(item, dict) else None
            if ident is None:
                return None
            try:
                if ident in positions:
                    self.duplicate(path, side, ident)
                    return None
            except TypeError:  # an unhashable key value (a list): cannot match by identity
                return None
            positions[ident] = position
        return positions

    def duplicate(self, trail: Trail, side: str, ident: Any) -> None:
        path = trail_pointer(trail)
        shown = (
            ident
            if isinstance(ident, str)
            else "/".join(map(str, ident if isinstance(ident, tuple) else (ident,)))
        )
        self.findings.append(Finding(
            rule="DUPLICATE_LIST_KEY",
            severity=Severity.MEDIUM,
            message=f"{side} has two items keyed {shown!r} in {path or '/'}; compared by position",
            resource=self.subject or None,
            path=path,
            remedy="Remove the duplicate: the API server keeps only one of them (argo-cd #20979).",
        ))  # fmt: skip

    def keyed(
        self, a: list[Any], b: list[Any], ka: dict[Any, int], kb: dict[Any, int], path: Trail
    ) -> None:
        matched = 0
        for ident, i in ka.items():
            j = kb.get(ident)
            if j is not None:
                matched += 1
                x, y = a[i], b[j]
                if type(x) is dict and type(y) is dict:  # value()'s first case, one call less
                    self.mapping(x, y, (path, str(i)))
                else:
                    self.value(x, y, (path, str(i)), "")
        # Most keyed lists of a pair hold the same items: then neither pass below is needed.
        if matched < len(ka):
            for i in sorted((i for ident, i in ka.items() if ident not in kb), reverse=True):
                self.emit(Op.REMOVED, (path, str(i)), a[i], None)
        # strategic merge keeps live-only items: Argo never sees them (#4537)
        if matched < len(kb) and not self.argo:
            for j in sorted(j for ident, j in kb.items() if ident not in ka):
                self.emit(Op.ADDED, (path, str(j)), None, b[j])

    def ordered(self, a: list[Any], b: list[Any], path: Trail) -> None:
        common = min(len(a), len(b))
        for i in range(common):
            self.value(a[i], b[i], (path, str(i)), "")
        for i in range(len(a) - 1, common - 1, -1):
            self.emit(Op.REMOVED, (path, str(i)), a[i], None)
        for j in range(common, len(b)):  # an atomic list differs in either mode
            self.emit(Op.ADDED, (path, str(j)), None, b[j])


UNDIGESTED = "<undigested secret value>"


def _conceal(value: Any) -> Any:
    # Defence in depth for the secrets invariant: sources digest Secret values on read, so a
    # plain string here means a caller skipped that; it is never put into a change as text.
    if isinstance(value, str):
        return value if is_secret_digest(value) else UNDIGESTED
    if isinstance(value, dict):
        return {k: _conceal(v) for k, v in value.items()}
    return UNDIGESTED if value is not None else None
