"""Stateward: observe, diff, audit, price, capture and prove change."""

__version__ = "0.1.0"
