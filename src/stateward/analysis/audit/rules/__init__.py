"""Built-in rules; importing this package registers them (the same way a plugin registers)."""

from stateward.analysis.audit.rules import (  # noqa: F401  (imported for registration)
    compose,
    data,
    host,
    hosted,
    network_fs,
    operated,
    relations,
    routing,
    startup,
    storage,
    structure,
)
