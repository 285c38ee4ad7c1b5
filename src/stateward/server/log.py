"""The ledger served as a C2SP tiled transparency log, read-only, under ``/log/``.

https://github.com/C2SP/C2SP/blob/0ad71eb1f1b99acf18deb575978c9205e24860cc/tlog-tiles.md:
``<prefix>/checkpoint`` is the signed checkpoint, ``<prefix>/tile/<L>/<N>[.p/<W>]`` the hash
tiles and ``<prefix>/tile/entries/<N>[.p/<W>]`` the entry bundles, all built from the stored
hashes by the same code as ``ledger export --tiles``. A tile that exists never changes (its
hashes are stored once), so it is served as immutable; the checkpoint is not cached.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from stateward import api
from stateward.errors import InputError

__all__ = ["log_routes"]

# tlog-tiles §Checkpoints: text/plain; tiles and bundles are opaque bytes
_IMMUTABLE = {"Cache-Control": "public, max-age=31536000, immutable"}


def log_routes(store: api.StoreRef) -> APIRouter:
    """``/checkpoint`` and ``/tile/…`` over ``store``'s ledger."""
    router = APIRouter(tags=["log"])

    @router.get("/checkpoint", response_class=Response)
    def checkpoint() -> Response:
        """The signed checkpoint of the whole ledger (C2SP tlog-checkpoint)."""
        note = api.log_checkpoint(store)
        return Response(
            note, media_type="text/plain; charset=utf-8", headers={"Cache-Control": "no-store"}
        )

    @router.get("/tile/{path:path}", response_class=Response)
    def tile(path: str) -> Response:
        """A hash tile or an entry bundle; 404 while the ledger does not hold it."""
        try:
            data = api.tile(store, f"tile/{path}")
        except InputError:
            raise HTTPException(404, "no such tile") from None
        if data is None:
            raise HTTPException(404, "not in the log yet")
        return Response(data, media_type="application/octet-stream", headers=_IMMUTABLE)

    return router
