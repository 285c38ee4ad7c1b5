"""The container fixtures of the engine tests, for the capture progress test."""

from tests.engine.conftest import engine, make_container

__all__ = ["engine", "make_container"]
