"""Rendering the dashboard's pages: Jinja2 templates, autoescaped, sent with a
Content-Security-Policy allowing only this server's own scripts, styles and connections
(https://www.w3.org/TR/CSP3/), so no inline script runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

__all__ = ["HEADERS", "HERE", "render"]

HERE = Path(__file__).parent
_TEMPLATES = Environment(
    loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True)
)
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def render(name: str, status: int = 200, **values: Any) -> HTMLResponse:
    """Template ``name`` filled with ``values``, with the dashboard's security headers."""
    html = _TEMPLATES.get_template(name).render(**values)
    return HTMLResponse(html, status_code=status, headers=HEADERS)
