"""Reading one engine's containers for :mod:`.source`: list, inspect, hash the writable layer,
and keep what was read when the engine fails part-way. Imported only when an engine is scanned,
so the core runs without the ``[engine]`` extra (the docker SDK)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import docker

from stateward.errors import InputError, SourceError, first_line
from stateward.model.resource import Origin, Resource, ResourceKey
from stateward.model.secrets import SecretKeeper
from stateward.sources.engine.client import DEADLINE_S, Engine, connect, is_engine_gone
from stateward.sources.engine.endpoint import Endpoint
from stateward.sources.engine.facts import container_facts
from stateward.sources.engine.layer import Budget, writable_layer
from stateward.sources.engine.source import GROUP, KIND, SOURCE
from stateward.sources.interface import Progress, SourceResult

__all__ = ["scan_engine"]


def scan_engine(
    endpoint: Endpoint,
    keeper: SecretKeeper,
    budget: Budget | None,
    deadline_s: float | None,
    progress: Progress | None,
) -> SourceResult:
    """Every container of the engine at ``endpoint``, one resource each."""
    engine = connect(endpoint, DEADLINE_S if deadline_s is None else deadline_s)
    try:
        return _scan(engine, keeper, budget or Budget(), progress)
    finally:
        engine.close()


def _scan(
    engine: Engine,
    keeper: SecretKeeper,
    budget: Budget,
    progress: Progress | None,
) -> SourceResult:
    api, url = engine.api, engine.url
    listed = _list(api, url)
    result = SourceResult()
    images: dict[str, Mapping[str, Any]] = {}
    if progress:
        progress(0, len(listed))
    for done, (name, ident) in enumerate(listed):
        try:
            result.resources.append(_read(engine, ident, keeper, budget, images))
        except docker.errors.APIError as exc:
            result.errors.append(_container_error(engine, name, ident, exc))
        except _SHAPE_ERRORS as exc:
            result.errors.append(_shape_error(engine, name, exc))
        except Exception as exc:
            if not is_engine_gone(exc):
                raise
            result.complete = False
            result.errors.append(_gone_error(url, done, len(listed), exc))
            break
        if progress:
            progress(done + 1, len(listed))
    return result


# What reading an answer of the wrong shape raises (a JSON array where an object belongs, a
# number where a list does): the engine's fault, reported per container, never a traceback.
_SHAPE_ERRORS = (AttributeError, TypeError, KeyError, ValueError)


def _shape_error(engine: Engine, name: str, exc: Exception) -> InputError:
    reason = f"engine's answer has an unexpected shape ({type(exc).__name__}); skipped"
    return InputError(f"{engine.url}#{name}", reason)


def _list(api: docker.APIClient, url: str) -> list[tuple[str, str]]:
    """(name, id) of every container, running or stopped, in name order."""
    try:
        summaries = api.containers(all=True)
    except Exception as exc:
        if not is_engine_gone(exc) and not isinstance(exc, docker.errors.APIError):
            raise
        raise SourceError(f"cannot list containers at {url}: {first_line(exc)}") from None
    try:
        names = [
            (str((s.get("Names") or [s["Id"]])[0]).lstrip("/"), str(s["Id"])) for s in summaries
        ]
    except _SHAPE_ERRORS as exc:
        raise SourceError(
            f"cannot list containers at {url}: the answer has an unexpected shape ({type(exc).__name__})"
        ) from None
    return sorted(names)


def _read(
    engine: Engine,
    ident: str,
    keeper: SecretKeeper,
    budget: Budget,
    images: dict[str, Mapping[str, Any]],
) -> Resource:
    inspect = engine.api.inspect_container(ident)
    if not isinstance(inspect, dict):
        raise TypeError("the inspect answer is not a JSON object")
    image_id = str(inspect.get("Image", ""))
    if image_id not in images:
        images[image_id] = _image(engine.api, image_id)
    body = container_facts(inspect, images[image_id], keeper)
    body["writable_layer"] = writable_layer(engine, ident, budget)
    project = (body["compose"] or {}).get("project", "")
    key = ResourceKey(GROUP, KIND, project, body["name"])
    return Resource.of(key, body, Origin(SOURCE, f"{engine.url}#{body['name']}"))


def _image(api: docker.APIClient, image_id: str) -> Mapping[str, Any]:
    try:
        # types-docker 7.2 leaves inspect_image unannotated; it returns the decoded JSON object.
        found: Mapping[str, Any] = api.inspect_image(image_id)  # type: ignore[no-untyped-call]
    except docker.errors.NotFound:
        return {}  # the image was removed under a stopped container: its facts are unknown
    return found if isinstance(found, dict) else {}


def _container_error(
    engine: Engine, name: str, ident: str, exc: docker.errors.APIError
) -> InputError:
    where = f"{engine.url}#{name}"
    if not engine.has_container(ident):
        return InputError(where, "container was removed before it could be read; skipped")
    return InputError(where, f"engine could not describe the container: {first_line(exc)}")


def _gone_error(url: str, done: int, total: int, exc: BaseException) -> InputError:
    return InputError(
        url,
        f"engine stopped answering after {done} of {total} containers ({first_line(exc)}); "
        "the observation is incomplete",
        remedy="Check that the engine is running and scan again; what was read is kept.",
    )
