"""A data path whose program is handed, beside it, the address it downloads that data from.

A setting that names where a program keeps a data set (``SOLVE_IT_DATA_PATH``) and a sibling
setting of the same name ending in ``_URL`` whose value is an ``http(s)`` address
(``SOLVE_IT_DATA_URL=https://…/solve-it.json``) say together where the directory's content
comes from: the program fetches it again from that address, as a mirror refills itself from
its upstream. Lost with the container, it is downloaded again at the next start: a warm-up, not
data. The two must share everything but the last word (``…_PATH``/``…_DIR`` against ``…_URL``),
so an application's public address (``APP_URL``) beside its upload directory says nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["fetched_from"]

_PATH_WORDS = ("_PATH", "_DIR", "_DIRECTORY", "_ROOT", "_FOLDER")
_REMOTE = ("http://", "https://")


def fetched_from(settings: Mapping[str, str], variable: str) -> str:
    """Why the directory ``variable`` names holds a download ('' when nothing says so), read
    from the variables a container is given (``settings``: its own and its ConfigMaps')."""
    stem = next((variable[: -len(w)] for w in _PATH_WORDS if variable.endswith(w)), "")
    if not stem:
        return ""
    source = f"{stem}_URL"
    url = settings.get(source, "")
    if not url.lower().startswith(_REMOTE):
        return ""
    return f"{source} names the address it is downloaded from again"
