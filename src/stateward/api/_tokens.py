"""Bearer tokens for the server: made once (their value shown then only), checked by digest."""

from __future__ import annotations

from stateward.api._stores import StoreRef, opened
from stateward.store.tokens import ROLES, NewToken, create_token, delete_token, token_role

__all__ = ["ROLES", "NewToken", "make_token", "revoke_token", "role_of"]


def make_token(store: StoreRef, role: str) -> NewToken:
    """A new token with ``role`` (``read`` or ``admin``); only its digest is stored."""
    return create_token(opened(store).db, role)


def role_of(store: StoreRef, value: str) -> str | None:
    """The role of token ``value``, or None when the store holds no such token."""
    return token_role(opened(store, read_only=True).db, value)


def revoke_token(store: StoreRef, token_id: str) -> None:
    """Delete the token ``token_id`` (UsageError for none such)."""
    delete_token(opened(store, create=False).db, token_id)
