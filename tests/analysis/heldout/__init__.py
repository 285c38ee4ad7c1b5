"""Held-out real-world scorecard of the state audit (see README.md beside this file)."""
