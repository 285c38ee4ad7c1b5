"""The REST API under ``/api/v1/``: each route is one :mod:`stateward.api` call and one JSON
document from :mod:`stateward.report` (the shapes ``--json`` prints), so no value the CLI would
not print is served: secrets appear as digests only.

Drift and audit read stored observations only (``ESTATE``, ``ESTATE@TIME``, ``ESTATE@#N``):
a server never reads a path or URL a client names.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from stateward import api
from stateward.errors import UsageError
from stateward.report.compare import comparison_document
from stateward.report.evidence import summary_rows
from stateward.report.history import components_document, estates_document, step_document
from stateward.report.ledger import checkpoint_head
from stateward.server.auth import Authorizer
from stateward.server.cost import Changes, PerDay, priced
from stateward.server.evidence import ADDRESS, logged

__all__ = ["rest_routes"]

Side = Annotated[str, Query(max_length=600, description="ESTATE, ESTATE@TIME or ESTATE@#N")]
When = Annotated[
    str | None,
    Query(max_length=64, description="#N, ISO 8601 (no zone: UTC), now, or a time ago (2h, -1d)"),
]


def rest_routes(store: api.StoreRef, auth: Authorizer) -> APIRouter:
    """Every ``/api/v1`` route over ``store``: reads need a read token, signing an admin one."""
    # reads also take the dashboard's session (its script fetches proofs): the cookie is
    # SameSite=Strict, and the admin route still needs a bearer token
    router = APIRouter(dependencies=[Depends(auth.require("read", session=True))])
    _estates(router, store)
    _compare(router, store)
    _ledger(router, store, auth)
    return router


def _estates(router: APIRouter, store: api.StoreRef) -> None:
    @router.get("/estates", tags=["estates"])
    def estates() -> list[dict[str, Any]]:
        """Every estate in the store, with its count of observations and the latest."""
        return estates_document(api.estates(store))

    @router.get("/estates/{estate}/observations", tags=["estates"])
    def observations(estate: str) -> list[dict[str, Any]]:
        """The estate's observations, oldest first."""
        return [record.as_dict() for record in api.history(store, estate)]

    @router.get("/estates/{estate}/components", tags=["estates"])
    def components(estate: str, at: When = None) -> dict[str, Any]:
        """Every component with its whole context, in the newest observation or as of ``at``."""
        shown = api.show(store, estate, None, at)
        return components_document(shown.record, shown.components, shown.unseen)

    @router.get("/estates/{estate}/components/{component:path}", tags=["estates"])
    def component(estate: str, component: str, at: When = None) -> dict[str, Any]:
        """One component (by id, which may hold ``/``, or name) with its whole context, now or
        as of ``at``."""
        shown = api.show(store, estate, component, at)
        return components_document(shown.record, shown.components, shown.unseen)

    @router.get("/estates/{estate}/timeline", tags=["estates"])
    def timeline(
        estate: str,
        since: When = None,
        component: Annotated[str | None, Query(max_length=512)] = None,
    ) -> dict[str, Any]:
        """Each observation after ``since`` with the component changes since the one before."""
        steps = api.timeline(store, estate, since, component)
        documents = [step_document(s.record, s.deltas, s.first) for s in steps]
        return {"estate": estate, "component": component, "steps": documents}


def _compare(router: APIRouter, store: api.StoreRef) -> None:
    @router.get("/drift", tags=["analysis"])
    def drift(desired: Side, live: Side) -> dict[str, Any]:
        """Drift of the recorded ``live`` estate from the recorded ``desired`` one (another
        estate holding the desired source, or the same estate at a baseline time)."""
        drifted = api.drift(store, _stored(desired), _stored(live))
        return comparison_document(drifted.report.as_dict(), drifted.sides.key_rotated)

    @router.get("/parity", tags=["analysis"])
    def parity(a: Side, b: Side) -> dict[str, Any]:
        """Parity of two recorded estates (say staging and production), component by
        component, under the built-in policy of expected differences."""
        paired = api.parity(store, _stored(a), _stored(b))
        return {**paired.report.as_dict(), "differs": paired.differs}

    @router.get("/evidence", tags=["evidence"])
    def evidence() -> list[dict[str, Any]]:
        """Every sealed evidence bundle logged in the store, oldest first."""
        return summary_rows(api.evidence_list(store))

    @router.get("/evidence/{address}", tags=["evidence"])
    def evidence_manifest(address: ADDRESS) -> dict[str, Any]:
        """A sealed bundle's manifest (artefacts by digest; nothing is decrypted here)."""
        return dict(api.evidence_show(store, logged(store, address)).manifest)

    @router.get("/evidence/{address}/bundle", tags=["evidence"], response_class=FileResponse)
    def evidence_bundle(address: ADDRESS) -> FileResponse:
        """The bundle as a tar file, artefacts as stored (ciphertext when encrypted), as
        ``stateward evidence export`` writes it; decrypt and verify it where the key is."""
        folder = FilePath(tempfile.mkdtemp(prefix="stateward-bundle-"))
        try:
            api.evidence_export(store, logged(store, address), folder / "bundle.tar")
        except BaseException:
            shutil.rmtree(folder)
            raise
        return FileResponse(
            folder / "bundle.tar", media_type="application/x-tar",
            filename=f"{address.replace(':', '-')}.tar",
            background=BackgroundTask(shutil.rmtree, folder),
        )  # fmt: skip

    @router.get("/estates/{estate}/cost", tags=["analysis"])
    def cost(estate: str, changes: Changes = None, deploys_per_day: PerDay = 1.0) -> dict[str, Any]:
        """The price of the changes recorded in the estate (its two latest observations, or
        ``changes=FROM..TO``): per component in place or replace, and totals per deploy and
        per month (``stateward cost ESTATE --json``)."""
        return priced(store, estate, changes, deploys_per_day).report.as_dict()

    @router.get("/estates/{estate}/audit", tags=["analysis"])
    def audit(estate: str, at: When = None) -> dict[str, Any]:
        """Where state hides in the estate as recorded (newest, or as of ``at``)."""
        return api.audit_estate(store, estate, at).report.as_dict()


def _stored(side: str) -> str:
    """A side naming a stored estate; a path or URL the server could read is refused."""
    if api.is_location(side):
        raise UsageError(f"{side!r} is a path or URL; the server compares stored estates only")
    return side


def _ledger(router: APIRouter, store: api.StoreRef, auth: Authorizer) -> None:
    @router.get("/ledger/checkpoint", tags=["ledger"])
    def checkpoint() -> dict[str, Any]:
        """The signed checkpoint of the whole ledger (as ``/log/checkpoint`` serves it)."""
        return {"signed_note": api.log_checkpoint(store)}

    @router.post(
        "/ledger/checkpoint", tags=["ledger"], dependencies=[Depends(auth.require("admin"))]
    )
    def sign() -> dict[str, Any]:
        """Sign and keep a new checkpoint of the ledger as it is now."""
        signed = api.checkpoint(store)
        return {**checkpoint_head(signed.checkpoint), "signed_note": signed.note}

    @router.get("/ledger/entries/{index}/proof", tags=["ledger"])
    def inclusion(index: int, request: Request) -> dict[str, Any]:
        """Inclusion proof of entry ``index`` (RFC 9162 §2.1.3): with an admin token against a
        checkpoint signed now; with a read token against the newest kept one (a reader never
        writes), 400 while that does not cover the entry yet."""
        if request.state.role == "admin":
            return api.prove(store, index).as_dict()
        return api.prove_stored(store, index).as_dict()

    @router.post("/ledger/consistency", tags=["ledger"])
    def consistency(
        checkpoint: Annotated[str, Body(embed=True, max_length=8192)],
    ) -> dict[str, Any]:
        """Proof (RFC 9162 §2.1.4) that the ledger extends ``checkpoint``, an earlier signed
        checkpoint of this log; 409 when it does not (truncated or rewritten)."""
        return api.consistency_with(store, checkpoint).as_dict()
