"""Write the audit's catalogue of what widely run images declare about themselves.

Reads the Dockerfiles of images at pinned commits from local git directories and writes, for each
image, the ``VOLUME``s its final stage declares, the ``ENV`` values that name a data directory
and its ``WORKDIR``, in the shape of an image config's ``config`` object
(https://github.com/opencontainers/image-spec/blob/v1.1.0/config.md: ``Volumes``, ``Env``,
``WorkingDir``), with the repository, commit and path it was read from.

Sources:

- Docker's official images: each ``library/<image>`` file of ``docker-library/official-images``
  names the image's repository, commit and directory
  (https://github.com/docker-library/official-images/blob/master/README.md#instruction-format);
  the entry tagged ``latest`` (else the first) is read;
- images that no such index lists (LinuxServer.io's fleet, self-hosted applications): the table
  :data:`OTHERS` below, each read at the commit its git directory holds;
- a Dockerfile of a repository too large to copy, read at a pinned commit elsewhere
  (``--dockerfile``).

Usage::

    python scripts/image_declarations.py --official GITDIR [--repo owner/name=GITDIR ...] \\
        [--dockerfile IMAGE=owner/name@COMMIT:PATH=FILE ...] \\
        > src/stateward/analysis/audit/image_declarations.json

A repository with no ``--repo`` is skipped (and named on stderr): the catalogue holds what was
read, never a guess. With ``--keep FILE`` (an earlier catalogue), a skipped image keeps the entry
that file holds, read then at the commit it names, so a few repositories can be read again or
added without fetching every other one.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

from dockerfile_parse import DockerfileParser
from dockerfile_parse.util import extract_key_values

from stateward.analysis.audit.appdata import data_variable

# Images no official-images file lists: image path -> (repository, Dockerfile, stage or "").
# Left out: hashicorp/consul, whose VOLUME /consul/data its default command never writes
# (``CMD ["agent", "-dev", …]``: a dev agent keeps everything in memory,
# https://developer.hashicorp.com/consul/docs/fundamentals/agent#dev-mode).
OTHERS: dict[str, tuple[str, str, str]] = {
    **{
        f"linuxserver/{name}": (f"linuxserver/docker-{name}", "Dockerfile", "")
        for name in (
            "bazarr",
            "bookstack",
            "calibre-web",
            "code-server",
            "deluge",
            "duplicati",
            "emby",
            "freshrss",
            "grocy",
            "heimdall",
            "homeassistant",
            "jackett",
            "jellyfin",
            "lidarr",
            "mariadb",
            "nextcloud",
            "nzbget",
            "overseerr",
            "plex",
            "prowlarr",
            "qbittorrent",
            "radarr",
            "readarr",
            "sabnzbd",
            "sonarr",
            "swag",
            "syncthing",
            "tautulli",
            "transmission",
            "wireguard",
        )
    },  # fmt: skip
    "vaultwarden/server": ("dani-garcia/vaultwarden", "docker/Dockerfile.debian", ""),
    "louislam/uptime-kuma": ("louislam/uptime-kuma", "docker/dockerfile", "release"),
    "paperless-ngx/paperless-ngx": ("paperless-ngx/paperless-ngx", "Dockerfile", ""),
    "minio/minio": ("minio/minio", "Dockerfile", ""),
    "portainer/portainer-ce": ("portainer/portainer", "build/linux/Dockerfile", ""),
    "prom/prometheus": ("prometheus/prometheus", "Dockerfile", ""),
    "grafana/loki": ("grafana/loki", "cmd/loki/Dockerfile", ""),
    "freshrss/freshrss": ("FreshRSS/FreshRSS", "Docker/Dockerfile", ""),
    "sysadminsmedia/homebox": ("sysadminsmedia/homebox", "Dockerfile", ""),
    "caronc/apprise": ("caronc/apprise-api", "Dockerfile", ""),
    "outlinewiki/outline": ("outline/outline", "Dockerfile", ""),
    "neosmemo/memos": ("usememos/memos", "scripts/Dockerfile", ""),
    "usememos/memos": ("usememos/memos", "scripts/Dockerfile", ""),
    "restic/rest-server": ("restic/rest-server", "Dockerfile", ""),
    "shaarli/shaarli": ("shaarli/Shaarli", "Dockerfile", ""),
    "thelounge/thelounge": ("thelounge/thelounge-docker", "Dockerfile", ""),
    "vikunja/vikunja": ("go-vikunja/vikunja", "Dockerfile", ""),
    "plankanban/planka": ("plankanban/planka", "Dockerfile", ""),
    "zulip/docker-zulip": ("zulip/docker-zulip", "Dockerfile", ""),
    "openhab/openhab": ("openhab/openhab-docker", "debian/Dockerfile", ""),
    "tomsquest/docker-radicale": ("tomsquest/docker-radicale", "Dockerfile", ""),
    "privatebin/nginx-fpm-alpine": ("PrivateBin/docker-nginx-fpm-alpine", "Dockerfile", ""),
    "searxng/searxng": ("searxng/searxng", "container/dist.dockerfile", ""),
    "requarks/wiki": ("requarks/wiki", "dev/build/Dockerfile", ""),
    "woodpeckerci/woodpecker-server": (
        "woodpecker-ci/woodpecker",
        "docker/Dockerfile.server.multiarch.rootless",
        "",
    ),
    "dullage/flatnotes": ("dullage/flatnotes", "Dockerfile", ""),
    "ckulka/baikal": ("ckulka/baikal-docker", "apache.dockerfile", ""),
    "onlyoffice/documentserver": ("ONLYOFFICE/Docker-DocumentServer", "Dockerfile", ""),
    "cryptpad/cryptpad": ("cryptpad/cryptpad", "Dockerfile", ""),
    "thomiceli/opengist": ("thomiceli/opengist", "Dockerfile", ""),
    "mumblevoip/mumble-server": ("mumble-voip/mumble-docker", "Dockerfile", ""),
    "ergochat/ergo": ("ergochat/ergo", "Dockerfile", ""),
    "tombursch/kitchenowl": ("TomBursch/kitchenowl", "Dockerfile", ""),
    "ampache/ampache": ("ampache/ampache-docker", "Dockerfile", ""),
    "mattermost/focalboard": ("mattermost/focalboard", "docker/Dockerfile", ""),
    "airsonicadvanced/airsonic-advanced": (
        "airsonic-advanced/airsonic-advanced",
        "install/docker/Dockerfile",
        "",
    ),
    "djmaze/snappymail": ("the-djmaze/snappymail", ".docker/release/Dockerfile", ""),
    "foxxmd/multi-scrobbler": ("FoxxMD/multi-scrobbler", "Dockerfile", ""),
    "redimp/otterwiki": ("redimp/otterwiki", "Dockerfile", ""),
    "grafana/pyroscope": ("grafana/pyroscope", "cmd/pyroscope/Dockerfile", ""),
    "petio-team/petio": ("petio-team/petio", "Dockerfile", ""),
}

_VARIABLE = re.compile(r"\$(?:\{(?P<braced>\w+)(?::?(?P<op>[-+])(?P<word>[^}]*))?\}|(?P<bare>\w+))")


@dataclass
class Stage:
    """What one build stage declares so far."""

    env: dict[str, str] = field(default_factory=dict)
    volumes: list[str] = field(default_factory=list)
    workdir: str = ""
    base: str = ""


def git_show(gitdir: str, commit: str, path: str) -> str:
    """One file of a repository at a commit."""
    done = subprocess.run(
        ["git", "--git-dir", gitdir, "show", f"{commit}:{path}"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        raise LookupError(done.stderr.strip())
    return done.stdout


def instructions(text: str) -> Iterator[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile as dockerfile-parse reads it (continuation lines
    joined, the escape directive and comments honoured, https://docs.docker.com/reference/dockerfile/#format)."""
    for item in DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8"))).structure:
        if item["instruction"] != "COMMENT":
            yield item["instruction"], item["value"].strip()


def expand(value: str, known: dict[str, str]) -> str | None:
    """``value`` with its ``$VAR``, ``${VAR}``, ``${VAR:-word}`` (word when unset) and
    ``${VAR:+word}`` (word when set, else nothing) replaced as the builder does
    (https://docs.docker.com/reference/dockerfile/#environment-replacement); None when a
    variable it needs is unknown."""
    missing = False

    def one(match: re.Match[str]) -> str:
        nonlocal missing
        name = match.group("braced") or match.group("bare")
        if match.group("op") == "+":
            return match.group("word") if name in known else ""
        if name in known:
            return known[name]
        if match.group("op") == "-":
            return match.group("word")
        missing = True
        return ""

    done = _VARIABLE.sub(one, value)
    return None if missing else done


def pairs(arguments: str) -> Iterator[tuple[str, str]]:
    """The ``ENV``/``ARG`` pairs, ``K=V K2="V 2"`` or the legacy ``K V``, as dockerfile-parse
    splits them, unexpanded (:func:`expand` decides what an unknown variable means here)."""
    yield from extract_key_values(False, {}, {}, arguments) if arguments else ()


def volumes(arguments: str) -> list[str]:
    """``VOLUME ["/a", "/b"]`` or ``VOLUME /a /b``."""
    if arguments.startswith("["):
        return [str(v) for v in json.loads(arguments)]
    return shlex.split(arguments)


def final_stage(text: str, target: str = "") -> Stage:
    """What the stage ``target`` (default: the last) declares, with what it inherits from an
    earlier stage it is built FROM."""
    stages: dict[str, Stage] = {}
    args: dict[str, str] = {}
    stage: Stage | None = None
    for word, rest in instructions(text):
        if word == "FROM":
            parts = [p for p in rest.split() if not p.startswith("--")]
            base = parts[0] if parts else ""
            parent = stages.get(base.lower())
            stage = (
                Stage(dict(parent.env), list(parent.volumes), parent.workdir, parent.base)
                if parent
                else Stage(base=base)
            )
            if len(parts) >= 3 and parts[1].upper() == "AS":
                stages[parts[2].lower()] = stage
            stages[""] = stage
        elif word == "ARG":
            for name, value in pairs(rest):
                args.setdefault(name, value)
        elif stage is None:
            continue
        elif word == "ENV":
            for name, value in pairs(rest):
                if (done := expand(value, {**args, **stage.env})) is not None:
                    stage.env[name] = done
        elif word == "VOLUME":
            for path in volumes(rest):
                if (done := expand(path, {**args, **stage.env})) is not None:
                    stage.volumes.append(done)
        elif word == "WORKDIR":
            if (done := expand(rest, {**args, **stage.env})) is not None:
                stage.workdir = done
    found = stages.get(target.lower() if target else "")
    if found is None:
        raise LookupError(f"no stage {target!r}")
    return found


def config(stage: Stage) -> dict[str, object]:
    """The image-config shape of a stage: data-directory ENVs only."""
    env = [
        f"{k}={v}" for k, v in sorted(stage.env.items())
        if v.startswith("/") and data_variable(k)
    ]  # fmt: skip
    out: dict[str, object] = {}
    if stage.volumes:
        out["Volumes"] = {v: {} for v in sorted(set(stage.volumes))}
    if env:
        out["Env"] = env
    if stage.workdir.startswith("/") and stage.workdir != "/":
        out["WorkingDir"] = stage.workdir
    return out


def library_entries(text: str) -> list[tuple[str, str, str]]:
    """(repository, commit, Dockerfile path) of an official image's entries, the one tagged
    ``latest`` first."""
    text = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    paragraphs = [dict(_fields(p)) for p in re.split(r"\n\s*\n", text) if p.strip()]
    head = paragraphs[0]
    entries = [p for p in paragraphs if "Tags" in p] or [head]
    entries.sort(key=lambda e: "latest" not in re.split(r",\s*", e.get("Tags", "")))
    found = []
    for entry in entries:
        merged = {**head, **entry}
        repo = re.sub(r"^https://github\.com/|\.git$|/$", "", merged.get("GitRepo", ""))
        path = f"{merged.get('Directory', '.')}/{merged.get('File', 'Dockerfile')}"
        found.append((repo, merged.get("GitCommit", ""), path.removeprefix("./")))
    return found


def _fields(paragraph: str) -> Iterator[tuple[str, str]]:
    key = ""
    for line in paragraph.splitlines():
        if line[:1].isspace() and key:
            continue  # a continued Maintainers list
        key, _, value = line.partition(":")
        yield key.strip(), value.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--official", required=True, help="git dir of docker-library/official-images"
    )
    parser.add_argument("--repo", action="append", default=[], help="owner/name=GITDIR")
    parser.add_argument(
        "--dockerfile", action="append", default=[],
        help="IMAGE=owner/name@COMMIT:PATH=FILE: a Dockerfile read at a pinned commit elsewhere",
    )  # fmt: skip
    parser.add_argument(
        "--keep", help="an earlier catalogue whose entries stay for images not read this time"
    )
    given = parser.parse_args()
    kept: dict[str, dict[str, object]] = {}
    if given.keep:
        with open(given.keep, encoding="utf-8") as earlier:
            kept = json.load(earlier)["images"]
    gitdirs = {k.lower(): v for k, _, v in (r.partition("=") for r in given.repo)}
    index = subprocess.run(
        ["git", "--git-dir", given.official, "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    names = subprocess.run(
        ["git", "--git-dir", given.official, "ls-tree", "--name-only", "HEAD", "library/"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    wanted: dict[str, list[tuple[str, str, str, str]]] = {}
    for name in names:
        entries = library_entries(git_show(given.official, "HEAD", name))
        wanted[name.removeprefix("library/")] = [(*e, "") for e in entries]
    for image, (repo, path, stage) in OTHERS.items():
        wanted[image] = [(repo, "", path, stage)]  # no pinned commit: the snapshot's HEAD
    images = {image: entry for image, entry in kept.items() if image not in wanted}
    for image, candidates in sorted(wanted.items()):
        found = declared(image, candidates, gitdirs)
        if found is None:
            found = kept.get(image, {})  # not read this time: as the earlier catalogue read it
        if found:
            images[image] = found
    for given_file in given.dockerfile:
        image, source, local = given_file.split("=", 2)
        with open(local, encoding="utf-8") as text:
            if found := config(final_stage(text.read())):
                images[image] = {**found, "source": source}
    json.dump(
        {"index": f"docker-library/official-images@{index}", "images": images},
        sys.stdout,
        indent=0,
        sort_keys=True,
    )
    sys.stdout.write("\n")
    return 0


def declared(
    image: str, candidates: list[tuple[str, str, str, str]], gitdirs: dict[str, str]
) -> dict[str, object] | None:
    """The config of the first candidate entry whose Dockerfile can be read ({} when it declares
    nothing or none can be read), None when its repository is not given."""
    for repo, commit, path, stage in candidates:
        gitdir = gitdirs.get(repo.lower())
        if gitdir is None:
            print(f"skipped {image}: {repo} not given", file=sys.stderr)
            return None
        try:
            read, text = pinned_or_head(gitdir, commit, path)
            found = config(final_stage(text, stage))
        except (LookupError, ValueError):
            continue
        return {**found, "source": f"{repo}@{read}:{path}"} if found else {}
    print(f"skipped {image}: no entry readable", file=sys.stderr)
    return {}


def pinned_or_head(gitdir: str, commit: str, path: str) -> tuple[str, str]:
    """(commit read, Dockerfile) at the pinned commit, or at the git directory's HEAD when that
    commit is not there (a snapshot older or newer than the index): the commit read is the one
    recorded."""
    try:
        return commit, git_show(gitdir, commit, path)
    except LookupError:
        head = subprocess.run(
            ["git", "--git-dir", gitdir, "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if head == commit:
            raise
        return head, git_show(gitdir, head, path)


if __name__ == "__main__":
    sys.exit(main())
