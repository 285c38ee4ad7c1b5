"""The verifiable ledger: an RFC 9162 Merkle log with C2SP signed checkpoints and tiles export.

``merkle`` (tree hashing, stored-hash layout, proofs), ``note`` and ``signer`` (C2SP signed notes,
Ed25519), ``checkpoint`` (C2SP tlog-checkpoint), ``tiles`` (C2SP tlog-tiles export), ``entry``
(the versioned leaf format), ``storage`` (the tables in the store's database), ``log`` (append,
checkpoint, prove, consistency), ``verify`` (recompute everything and compare).

Security model. The ledger is tamper-*evident*, not tamper-proof. Anyone who can write the
database can change it; what they cannot do unnoticed:

* edit an entry, a stored hash or an object without ``ledger verify`` naming it (it recomputes
  the tree from the entries and rehashes every object, trusting no stored hash);
* rewrite history and recompute every hash without the log key: the signed checkpoints kept in
  the store no longer match, and ``verify`` says so;
* truncate or roll back the log, even with the checkpoints table and the key: ``ledger
  consistency`` against a checkpoint kept *outside* the store (by an auditor, a witness, a
  ticket) fails. Keep checkpoints elsewhere; a log checked only against itself proves little.

An attacker holding both the database and the log key file can rebuild a different history
that verifies on its own; only an earlier checkpoint held elsewhere exposes it.
"""
