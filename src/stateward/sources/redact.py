"""Secret values become keyed digests as objects are read, before anything else sees them.

Covers: Secret ``data`` (base64-decoded first) and ``stringData`` — so one value gives one digest
whichever field carried it; the last-applied annotation (which repeats the whole object, argo-cd
#897); literal env values whose name or shape looks like a credential, wherever an ``env`` list
appears (pod templates, CronJob templates, custom resources that embed pod specs); and
``--password=…``-style arguments and URLs with passwords in ``command`` and ``args``.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from stateward.model.secrets import SecretKeeper, looks_secret, redact

__all__ = ["LAST_APPLIED", "redact_args", "redact_env_value", "redact_object"]

_ARG_KEYS = frozenset({"args", "command"})

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def redact_object(body: dict[str, Any], keeper: SecretKeeper) -> dict[str, Any]:
    """Digest every secret value of a Kubernetes object, in place; returns the object."""
    if body.get("kind") == "Secret":
        _redact_secret(body, keeper)
    _redact_env_lists(body, keeper)
    _redact_last_applied(body, keeper)
    return body


def redact_env_value(name: str, value: Any, keeper: SecretKeeper) -> Any:
    """The value itself, or its digest when the variable looks like a credential."""
    if isinstance(value, str) and looks_secret(name, value):
        return redact(name, value, keeper)
    return value


def _redact_secret(body: dict[str, Any], keeper: SecretKeeper) -> None:
    data = body.get("data")
    if isinstance(data, dict):
        body["data"] = {k: keeper.digest(_b64_or_raw(v)) for k, v in data.items()}
    string_data = body.get("stringData")
    if isinstance(string_data, dict):
        body["stringData"] = {k: keeper.digest(str(v)) for k, v in string_data.items()}


def _b64_or_raw(value: Any) -> bytes:
    # The API server rejects non-base64 data; a desired manifest may still hold it. Digest the
    # raw text then, so the value is hidden either way.
    text = "" if value is None else str(value)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return text.encode("utf-8")


def redact_args(args: Any, keeper: SecretKeeper) -> list[str]:
    """Arguments, with URL passwords and ``--password=value``-style values digested."""
    if isinstance(args, str):
        args = [args]
    return [_arg(str(arg), keeper) for arg in args or []]


def _arg(arg: str, keeper: SecretKeeper) -> str:
    if looks_secret("", arg):
        return keeper.digest(arg)
    name, sep, value = arg.partition("=")
    if sep and looks_secret(name.lstrip("-"), value):
        return f"{name}={keeper.digest(value)}"
    return arg


def _redact_env_lists(node: Any, keeper: SecretKeeper) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "env" and isinstance(value, list):
                _redact_env(value, keeper)
            elif key in _ARG_KEYS and isinstance(value, list):
                node[key] = redact_args(value, keeper)
            else:
                _redact_env_lists(value, keeper)
    elif isinstance(node, list):
        for item in node:
            _redact_env_lists(item, keeper)


def _redact_env(env: list[Any], keeper: SecretKeeper) -> None:
    for item in env:
        if isinstance(item, dict) and "value" in item:
            item["value"] = redact_env_value(str(item.get("name", "")), item["value"], keeper)


def _redact_last_applied(body: dict[str, Any], keeper: SecretKeeper) -> None:
    annotations = (body.get("metadata") or {}).get("annotations")
    if not isinstance(annotations, dict) or LAST_APPLIED not in annotations:
        return
    text = annotations[LAST_APPLIED]
    try:
        applied = json.loads(text)
    except (TypeError, ValueError):
        annotations[LAST_APPLIED] = keeper.digest(str(text))
        return
    if isinstance(applied, dict):
        inner = (applied.get("metadata") or {}).get("annotations")
        if isinstance(inner, dict):
            inner.pop(LAST_APPLIED, None)
        redact_object(applied, keeper)
        annotations[LAST_APPLIED] = json.dumps(applied, sort_keys=True, separators=(",", ":"))
    else:
        annotations[LAST_APPLIED] = keeper.digest(str(text))
