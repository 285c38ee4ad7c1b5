"""Forensics: capture a component's last state before it is destroyed, seal it as evidence,
and record the sealing in the ledger.

:mod:`.capture` reads a container (inspect, logs, writable layer) through the engine source's
client, :mod:`.evidence` and :mod:`.sealing` make and verify the signed, encrypted bundle,
:mod:`.records` writes it to the ledger, :mod:`.guard` captures containers as they stop, and
:mod:`.exported` reads bundles exported as tar files. The same package will capture Kubernetes
pods: nothing here is specific to one source but the reading.
"""
