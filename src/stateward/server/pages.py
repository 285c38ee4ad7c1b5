"""The dashboard: server-rendered HTML (Jinja2, autoescaped) over the same :mod:`stateward.api`
calls and :mod:`stateward.report` documents as the REST API, so a page shows what the API
answers. Pages need a session (a token presented once at ``/login``) or a bearer token; a
request without either is answered 401 with the login form.

Every page is sent with the Content-Security-Policy of :mod:`stateward.server.html`.
"""

from __future__ import annotations

import json
import math
import threading
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from stateward import api
from stateward.report.compare import comparison_document
from stateward.report.history import components_document, estates_document, step_document
from stateward.server.auth import CHALLENGE, Authorizer
from stateward.server.cost import cost_page
from stateward.server.evidence import evidence_pages
from stateward.server.html import HERE, render
from stateward.server.sessions import COOKIE, LIFETIME_S

__all__ = ["page_routes"]

_MAX_LOGIN = 4096  # a login form holds one token and one path

Side = Annotated[str, Query(max_length=600)]


class LoginNeeded(Exception):
    """A page was asked for without a session: answered with the login form."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


def page_routes(app: FastAPI, store: api.StoreRef, auth: Authorizer) -> None:
    """The dashboard's pages, login and logout, and its static files on ``app``."""
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _login(app, auth)
    router = APIRouter(include_in_schema=False)
    viewer = _viewer(auth)
    _estate_pages(router, store, viewer)
    _analysis_pages(router, store, viewer)
    _ledger_page(router, store, viewer)
    evidence_pages(router, store, viewer)
    cost_page(router, store, viewer)
    app.include_router(router)


def _viewer(auth: Authorizer) -> Any:
    """A dependency: the role of a session or bearer token; LoginNeeded without one."""
    check = auth.require("read", session=True)

    async def viewer(request: Request) -> str:
        try:
            return await check(request)
        except HTTPException as refused:
            if refused.status_code == 401:
                raise LoginNeeded(request.url.path) from None
            raise

    return Depends(viewer)


def _login(app: FastAPI, auth: Authorizer) -> None:
    @app.exception_handler(LoginNeeded)
    def login_needed(_: Request, needed: LoginNeeded) -> HTMLResponse:
        page = render("login.html", 401, title="Log in", next=needed.path, role=None)
        page.headers.update(CHALLENGE)  # a 401 names its scheme (RFC 9110 §15.5.2)
        return page

    @app.get("/login", include_in_schema=False)
    def login_form(next: Annotated[str, Query(max_length=600)] = "/") -> HTMLResponse:
        return render("login.html", title="Log in", next=_local(next), role=None)

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        # a plain form post parsed here: python-multipart is not needed for two fields
        body = await request.body()
        fields = parse_qs(body[:_MAX_LOGIN].decode("utf-8", "replace"), max_num_fields=4)
        token = fields.get("token", [""])[0]
        target = _local(fields.get("next", ["/"])[0])
        session = await auth.login(request, token)
        if session is None:
            message = "That token is not valid."
            return render(
                "login.html", 401, title="Log in", next=target, message=message, role=None
            )
        answer = RedirectResponse(target, status_code=303)
        secure = request.url.scheme == "https"
        answer.set_cookie(
            COOKIE, session, max_age=int(LIFETIME_S), httponly=True, samesite="strict",
            secure=secure, path="/",
        )  # fmt: skip
        return answer

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request) -> Response:
        auth.sessions.end(request.cookies.get(COOKIE, ""))
        answer = RedirectResponse("/login", status_code=303)
        answer.delete_cookie(COOKIE, path="/")
        return answer


def _local(target: str) -> str:
    """A path on this server to go to after login; anything else (another host, ``//host``,
    a scheme) is the overview, so the login form cannot redirect elsewhere."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _estate_pages(router: APIRouter, store: api.StoreRef, viewer: Any) -> None:
    @router.get("/")
    def overview(role: str = viewer) -> HTMLResponse:
        rows = estates_document(api.estates(store))
        return render("estates.html", title="Estates", estates=rows, role=role)

    @router.get("/estates/{estate}")
    def estate(estate: str, role: str = viewer) -> HTMLResponse:
        audited = api.audit_estate(store, estate, None).report.as_dict()
        steps = api.timeline(store, estate)
        changed = {d.component: s.record.seq for s in steps if not s.first for d in s.deltas}
        components = [{**c, "changed": changed.get(c["id"])} for c in audited["components"]]
        observation = steps[-1].record.as_dict()
        desired = estate + api.DESIRED
        declared = desired if any(e.name == desired for e in api.estates(store)) else None
        return render(
            "estate.html", title=estate, estate=estate, observation=observation,
            components=components, desired=declared, role=role,
        )  # fmt: skip

    @router.get("/estates/{estate}/components/{component:path}")
    def component(estate: str, component: str, role: str = viewer) -> HTMLResponse:
        shown = api.show(store, estate, component)
        document = components_document(shown.record, shown.components, shown.unseen)
        one = (document["components"] or document["not_observed"])[0]
        history = [
            {**s.record.as_dict(), **d.as_dict()}
            for s in api.timeline(store, estate, None, one["id"])
            for d in s.deltas
        ]
        return render(
            "component.html", title=one["name"], estate=estate, component=one,
            observation=document["observation"], not_observed=not document["components"],
            context=json.dumps(one["context"], indent=2, sort_keys=True), history=history,
            role=role,
        )  # fmt: skip

    @router.get("/estates/{estate}/map")
    def state_map(estate: str, role: str = viewer) -> HTMLResponse:
        components = api.audit_estate(store, estate, None).report.as_dict()["components"]
        nodes, edges, size = _layout(components)
        return render(
            "map.html", title=f"{estate}: state map", estate=estate, nodes=nodes, edges=edges,
            size=size, role=role,
        )  # fmt: skip

    @router.get("/estates/{estate}/timeline")
    def timeline(estate: str, role: str = viewer) -> HTMLResponse:
        steps = [step_document(s.record, s.deltas, s.first) for s in api.timeline(store, estate)]
        return render(
            "timeline.html", title=f"{estate}: timeline", estate=estate, steps=steps, role=role
        )


_FILL = {"persistent": "#cf222e", "ephemeral-with-warm-up": "#d4a72c"}


def _layout(components: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Any], int]:
    """Components on a circle (heaviest first, from the top), each radius growing with its
    gravity (0-100), and a line per dependency: a picture drawn by the server, no script."""
    size = 640
    middle, ring = size / 2, size / 2 - 70
    ordered = sorted(components, key=lambda c: (-c["gravity"], c["id"]))
    nodes = []
    for n, c in enumerate(ordered):
        angle = 2 * math.pi * n / max(1, len(ordered)) - math.pi / 2
        nodes.append({
            "id": c["id"], "name": c["name"], "gravity": c["gravity"],
            "lifecycle": c["lifecycle"], "fill": _FILL.get(c["lifecycle"], "#2da44e"),
            "x": round(middle + ring * math.cos(angle), 1),
            "y": round(middle + ring * math.sin(angle), 1),
            "r": round(8 + 30 * c["gravity"] / 100, 1),
        })  # fmt: skip
    at = {n["id"]: n for n in nodes}
    edges = [
        {"source": c["id"], "target": d, "x1": at[c["id"]]["x"], "y1": at[c["id"]]["y"],
         "x2": at[d]["x"], "y2": at[d]["y"]}
        for c in ordered for d in c["depends_on"] if d in at
    ]  # fmt: skip
    return nodes, edges, size


def _analysis_pages(router: APIRouter, store: api.StoreRef, viewer: Any) -> None:
    @router.get("/estates/{estate}/audit")
    def audit(estate: str, role: str = viewer) -> HTMLResponse:
        report = api.audit_estate(store, estate, None).report.as_dict()
        return render(
            "audit.html", title=f"{estate}: audit", estate=estate, report=report, role=role
        )

    @router.get("/drift")
    def drift(desired: Side = "", live: Side = "", role: str = viewer) -> HTMLResponse:
        report = None
        if _stored(desired, live):
            drifted = api.drift(store, desired, live)
            report = comparison_document(drifted.report.as_dict(), drifted.sides.key_rotated)
        return render(
            "drift.html", title="Drift", desired=desired, live=live, report=report, role=role
        )

    @router.get("/parity")
    def parity(a: Side = "", b: Side = "", role: str = viewer) -> HTMLResponse:
        paired = api.parity(store, a, b) if _stored(a, b) else None
        report = {**paired.report.as_dict(), "differs": paired.differs} if paired else None
        return render("parity.html", title="Parity", a=a, b=b, report=report, role=role)


def _stored(*sides: str) -> bool:
    """True when both sides are given; a 400 for a side that is a path or URL (the server
    compares stored estates only)."""
    for side in sides:
        if side and api.is_location(side):
            raise HTTPException(400, f"{side!r} is a path or URL: stored estates only")
    return all(sides)


def _ledger_page(router: APIRouter, store: api.StoreRef, viewer: Any) -> None:
    verified = _Verified(store)

    @router.get("/ledger")
    def ledger(role: str = viewer) -> HTMLResponse:
        figures = api.figures(store)
        return render(
            "ledger.html", title="Ledger", figures=figures, checkpoint=api.kept_checkpoint(store),
            verified=verified.report(figures.ledger_entries), role=role,
        )  # fmt: skip


class _Verified:
    """The whole-ledger verification, recomputed only when the ledger has grown: a page view
    must not cost a full pass over a large log."""

    def __init__(self, store: api.StoreRef) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._last: tuple[int, Any] | None = None

    def report(self, size: int) -> Any:
        with self._lock:
            if self._last is None or self._last[0] != size:
                self._last = (size, api.verify(self.store))
            return self._last[1]
