"""The files a Compose file names beside itself: ``.env``, ``env_file`` and the ``file`` of a secret
or config. Each is read bounded (a symlink to ``/dev/zero`` is refused, not read forever) and only
from inside the project directory, or from a directory the operator allowed
(``scan --allow-outside DIR``): a Compose file from elsewhere may not make a scan read
``/etc/shadow`` into a digest.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stateward.errors import InputError
from stateward.sources.interpolate import InterpolationTooLarge, failure, parse_env_file
from stateward.sources.reading import ReadRefused, read_bounded, within

__all__ = ["MAX_SIDE_FILE", "SideFiles", "compose_bool"]

MAX_SIDE_FILE = 16 * 1024 * 1024
# compose-go's toBoolean, which its loader applies to a string where a boolean belongs
# (``required: "no"``):
# https://github.com/compose-spec/compose-go/blob/e70e961c3a3acebf0800b882f1afb3dbf1fb74a2/loader/interpolate.go#L103-L117
_BOOLEAN_WORDS = {
    **dict.fromkeys(("true", "y", "yes", "on"), True),
    **dict.fromkeys(("false", "n", "no", "off"), False),
}


def compose_bool(value: Any) -> bool | None:
    """``value`` as compose-go reads a boolean field; None when it would reject it."""
    if isinstance(value, bool):
        return value
    return _BOOLEAN_WORDS.get(value.lower()) if isinstance(value, str) else None


@dataclass(slots=True)
class SideFiles:
    """Reads the side files of the Compose file ``path``; refusals go to ``errors``."""

    path: Path
    allowed: tuple[Path, ...] = ()
    errors: list[InputError] = field(default_factory=list)
    project: Path | None = None
    """The project directory, when not the file's own (an ``include`` with
    ``project_directory``)."""
    hidden: dict[str, set[str]] = field(default_factory=dict)
    """Secret values the env files read so far took into variables not named as secrets, by
    variable (:attr:`~stateward.sources.interpolate.EnvFile.hidden`)."""

    @property
    def directory(self) -> Path:
        """The project directory: side file names are relative to it."""
        return self.path.parent if self.project is None else self.project

    def read(self, name: str, limit: int = MAX_SIDE_FILE) -> bytes:
        """The bytes of ``name`` (relative to the project directory), at most ``limit`` of them;
        ReadRefused otherwise."""
        if "\0" in name:  # YAML can spell one ("\0"); no file name holds it
            raise ReadRefused("a NUL in the file name; refused", unseen=False)
        target = self.directory / name
        if not any(within(target, root) for root in (self.directory, *self.allowed)):
            raise ReadRefused(
                "outside the project directory; refused (allow its directory with "
                "--allow-outside DIR)",
                unseen=False,
            )
        if not os.path.exists(target):  # False, not OSError, for a name too long to look up
            raise ReadRefused("file not found", unseen=False, missing=True)
        return read_bounded(target, limit)

    def dotenv(self) -> dict[str, str]:
        """Variables of the ``.env`` of the project directory (none when there is none)."""
        if not (self.directory / ".env").exists():
            return {}
        return self.env(".env", str(self.directory / ".env"), required=True)

    def env(
        self,
        name: str,
        location: str,
        *,
        required: bool,
        lookup: Mapping[str, str] | None = None,
        hidden: Mapping[str, set[str]] | None = None,
    ) -> dict[str, str]:
        """Variables of the env file ``name``, its values interpolated from ``lookup`` (whose
        variables hide ``hidden``'s secrets) and its own earlier lines; a refusal is an error at
        ``location`` when the file is required (compose-go skips a missing optional file)."""
        try:
            parsed = parse_env_file(self.read(name).decode("utf-8"), lookup, hidden)
        except ReadRefused as exc:
            if required:
                self.errors.append(InputError(location, f"env_file {name}: {exc.reason}"))
            return {}
        except UnicodeDecodeError:
            self.errors.append(InputError(location, f"env_file {name}: not UTF-8 text"))
            return {}
        except InterpolationTooLarge:
            reason = f"env_file {name}: its variables grow past the interpolation budget; refused"
            self.errors.append(InputError(location, reason))
            return {}
        for variable, message in parsed.failed:
            self.errors.append(
                InputError(location, f"env_file {name}: {failure(variable, message)}")
            )
        for variable, secrets in parsed.hidden.items():
            self.hidden.setdefault(variable, set()).update(secrets)
        return parsed.variables

    def text(self, name: str, location: str, what: str) -> str | None:
        """Another Compose file, ``name``, as text; None when refused or not UTF-8, with an
        error at ``location`` saying ``what`` named it (``include``, ``extends file``)."""
        try:
            return self.read(name).decode("utf-8-sig")
        except ReadRefused as exc:
            self.errors.append(InputError(location, f"{what} {name}: {exc.reason}"))
        except UnicodeDecodeError:
            self.errors.append(InputError(location, f"{what} {name}: not UTF-8 text"))
        return None

    def content(self, name: str, location: str) -> bytes | None:
        """A secret's or config's file; None when it is not on this machine (secret files are
        rarely committed), or refused (then with an error at ``location``)."""
        try:
            return self.read(name)
        except ReadRefused as exc:
            if not exc.missing:
                self.errors.append(InputError(location, f"file {name}: {exc.reason}"))
            return None
