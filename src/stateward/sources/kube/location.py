"""``kube://[CONTEXT][/NAMESPACE][?selector=…&secrets=metadata]``: which cluster, which part.

kubectl's conventions (https://kubernetes.io/docs/reference/kubectl/#in-cluster-authentication-
and-namespace-overrides): no CONTEXT is the kubeconfig's current context; no NAMESPACE is the
context's namespace, else ``default``; NAMESPACE ``*`` is every namespace (``kubectl -A``) and
then cluster-scoped kinds too. ``selector`` is a label selector (``kubectl -l``); ``secrets=
metadata`` reads Secrets as metadata only, so no Secret value ever crosses the wire.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from stateward.errors import SourceError

__all__ = [
    "ALL_NAMESPACES",
    "DEADLINE_S",
    "PAGE",
    "SCHEME",
    "SERVICE_ACCOUNT",
    "SOURCE",
    "KubeTarget",
    "accepts",
    "with_options",
]

# Defaults of reaching a cluster, here rather than beside the client so that naming the source
# (every command registers it) does not import the kubernetes package (about 0.2 s).
SOURCE = "kube"
DEADLINE_S = 30.0
"""Longest any one request may take."""
PAGE = 500
"""Objects per page: kubectl's default ``--chunk-size``."""
SERVICE_ACCOUNT = Path("/var/run/secrets/kubernetes.io/serviceaccount")
"""Where a pod's service account is mounted (used when there is no kubeconfig)."""

SCHEME = "kube://"
ALL_NAMESPACES = "*"
_OPTIONS = ("selector", "secrets")


@dataclass(frozen=True, slots=True)
class KubeTarget:
    """What one ``kube://`` location asks for."""

    context: str = ""
    """Kubeconfig context; "" for the current one."""
    namespace: str = ""
    """A namespace, ``*`` for all, "" for the context's own."""
    selector: str = ""
    secrets_metadata_only: bool = False

    @classmethod
    def parse(cls, location: str) -> KubeTarget:
        """The target of ``location``; SourceError naming what is wrong with it."""
        if not accepts(location):
            raise SourceError(f"{location!r} is not a kube:// location")
        parts = urlsplit(location)
        path = parts.path.strip("/")
        if "/" in path:
            raise SourceError(f"{location}: give at most one namespace after the context",
                              remedy="Use kube://CONTEXT/NAMESPACE.")  # fmt: skip
        options = dict(parse_qsl(parts.query, keep_blank_values=True))
        unknown = sorted(set(options) - set(_OPTIONS))
        if unknown or options.get("secrets", "metadata") != "metadata":
            raise SourceError(
                f"{location}: unknown option {(unknown or ['secrets'])[0]!r}",
                remedy="Options are selector=LABELS and secrets=metadata.",
            )
        return cls(unquote(parts.netloc), unquote(path), options.get("selector", ""),
                   "secrets" in options)  # fmt: skip

    def __str__(self) -> str:
        text = SCHEME + quote(self.context, safe="@:.-_")
        if self.namespace:
            text += "/" + quote(self.namespace, safe="*.-_")
        query = {"selector": self.selector} if self.selector else {}
        if self.secrets_metadata_only:
            query["secrets"] = "metadata"
        return text + ("?" + urlencode(query) if query else "")


def accepts(location: str) -> bool:
    """True for ``kube://`` locations."""
    return location.startswith(SCHEME)


def with_options(
    location: str,
    *,
    context: str | None = None,
    namespace: str | None = None,
    all_namespaces: bool = False,
    selector: str | None = None,
    secrets_metadata_only: bool = False,
) -> str:
    """``location`` with the command line's ``--context``/``-n``/``-A``/``-l`` filled in where
    the location leaves them open; any other location is returned as it is."""
    if not accepts(location):
        return location
    target = KubeTarget.parse(location)
    if all_namespaces and namespace:
        raise SourceError("-A and -n cannot be used together", remedy="Give one of them.")
    target = replace(
        target,
        context=target.context or context or "",
        namespace=target.namespace or (ALL_NAMESPACES if all_namespaces else namespace or ""),
        selector=target.selector or selector or "",
        secrets_metadata_only=target.secrets_metadata_only or secrets_metadata_only,
    )
    return str(target)
