"""The verifiable ledger: an RFC 9162 Merkle log with C2SP signed checkpoints and tiles export.

``merkle`` (tree hashing, stored-hash layout, proofs), ``note`` and ``signer`` (C2SP signed notes,
Ed25519), ``checkpoint`` (C2SP tlog-checkpoint), ``tiles`` (C2SP tlog-tiles export).
"""
