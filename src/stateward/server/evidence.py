"""The evidence browser: every sealed bundle, and one bundle's manifest with a link to download
it as stored (its artefacts still encrypted: the server holds no key to open them). The same
:mod:`stateward.api` calls and documents as ``/api/v1/evidence``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import HTMLResponse

from stateward import api
from stateward.report.evidence import summary_rows
from stateward.server.html import render

__all__ = ["ADDRESS", "evidence_pages", "logged"]

ADDRESS = Annotated[str, Path(max_length=80, pattern="^sha256:[0-9a-f]{64}$")]


def evidence_pages(router: APIRouter, store: api.StoreRef, viewer: Any) -> None:
    """``/evidence`` and ``/evidence/{address}`` on ``router``."""

    @router.get("/evidence")
    def bundles(role: str = viewer) -> HTMLResponse:
        rows = summary_rows(api.evidence_list(store))
        return render("evidence.html", title="Evidence", bundles=rows, role=role)

    @router.get("/evidence/{address}")
    def bundle(address: ADDRESS, role: str = viewer) -> HTMLResponse:
        shown = api.evidence_show(store, logged(store, address))
        return render(
            "bundle.html", title="Evidence bundle", address=address, manifest=shown.manifest,
            erased=shown.erased, role=role,
        )  # fmt: skip


def logged(store: api.StoreRef, address: str) -> str:
    """``address`` if the ledger logs a bundle by it; else 404: an address a client guessed is
    not the damage (exit 3, 409) that a logged bundle missing from the store would be."""
    if address not in {s.record.address for s in api.evidence_list(store)}:
        raise HTTPException(404, "no evidence bundle has that address")
    return address
