"""Analyses: they read observations and return findings (drift, parity, state audit, …)."""
