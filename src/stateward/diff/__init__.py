"""Semantic diff of Kubernetes objects: normalization pipeline, list identities, facets, modes.

Entry points:

- :func:`diff_resources` — desired vs live resources paired by key; the one the CLI calls.
- :func:`diff_observations` — the same over two :class:`~stateward.model.Observation`.
- :func:`diff_bodies` — one desired body vs one live body.
- :func:`diff_components` — two components' binary and context (parity).
- :func:`diff_documents` — the raw tree diff, no normalization.
- :func:`apply_changes` — replay changes on a document.
- :func:`load_rules` — ``ignoreDifferences`` rules from a ``stateward.yaml``.
"""

from stateward.diff.compare import MAX_OBJECT_BYTES, diff_bodies, diff_observations, diff_resources
from stateward.diff.components import diff_components
from stateward.diff.engine import diff_documents
from stateward.diff.patch import apply_changes
from stateward.diff.result import MODES, DiffResult, Mode, Note
from stateward.normalize import BUILTIN_PIPELINE, normalize, pipeline
from stateward.normalize.interface import NormalizeContext, Normalizer
from stateward.normalize.rules import IgnoreRule, load_rules, parse_rules

__all__ = [
    "BUILTIN_PIPELINE",
    "MAX_OBJECT_BYTES",
    "MODES",
    "DiffResult",
    "IgnoreRule",
    "Mode",
    "NormalizeContext",
    "Normalizer",
    "Note",
    "apply_changes",
    "diff_bodies",
    "diff_components",
    "diff_documents",
    "diff_observations",
    "diff_resources",
    "load_rules",
    "normalize",
    "parse_rules",
    "pipeline",
]
