#!/usr/bin/env bash
# Makes the base image the Containerfile builds on, locally: no registry is reachable, so a
# Debian bookworm root with Python is made by mmdebstrap (https://gitlab.mister-muffin.de/josch/mmdebstrap)
# from Debian's packages and imported into Podman as localhost/stateward-base:bookworm.
# Kept when it exists already (delete the image to make it again).
#   scripts/container-base.sh [PODMAN-URL]
set -euo pipefail
. "$(dirname "$0")/services.d/common.bash"

image="localhost/stateward-base:bookworm"
url="${1:-${STATEWARD_TEST_ENGINE:-}}"
run_podman() { if [ -n "$url" ]; then podman --url "$url" "$@"; else podman "$@"; fi; }

if run_podman image exists "$image"; then
  echo "$image"
  exit 0
fi
need_packages mmdebstrap
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
say "container base: mmdebstrap bookworm (python3, ca-certificates) into $work"
mmdebstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  bookworm "$work/root.tar" >&2
run_podman import --change 'CMD ["/bin/bash"]' "$work/root.tar" "$image" >&2
echo "$image"
