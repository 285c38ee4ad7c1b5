#!/usr/bin/env bash
# make demo: record the shop's desired production state, then what is live, into a fresh store,
# and show what changed in flight while every image stayed the same.
#
# The store is .stateward/demo in the checkout (STATEWARD_DEMO_STORE sets another place), so
# `stateward serve --store .stateward/demo` serves it afterwards. Each run starts it afresh: the
# previous demo store is deleted, with its keys (in the config directory, README "Keys").
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
sw="$root/.venv/bin/stateward"
store="${STATEWARD_DEMO_STORE:-$root/.stateward/demo}"
export STATEWARD_STORE="$store"
export COLUMNS="${COLUMNS:-120}"
cd "$here"
. ../step.sh

if [ -e "$store/store.db" ]; then
  # the old store's key directory, read before the store that names it goes
  keys=$("$sw" keys show --json 2>/dev/null | "$root/.venv/bin/python" -c \
    'import json, os, sys; print(os.path.dirname(json.load(sys.stdin)["secret_key_file"]))' || true)
  case "$keys" in */stateward/keys/*) rm -rf -- "$keys" ;; esac
fi
rm -rf -- "$store"
mkdir -p "$store"

step "1. Desired state of production (examples/shop/production)"
$sw scan production --estate shop-prod

step "2. Live state of production (a kubectl get -o yaml dump), recorded as the next observation"
$sw scan live/production.yaml --estate shop-prod || true

step "3. The estate's history"
$sw history shop-prod

step "4. Drift: desired production vs live, grouped by component and facet"
$sw drift production live/production.yaml || true

step "5. Parity: staging vs production, expected differences set apart (parity.yaml)"
$sw parity staging production --policy parity.yaml || true

step "6. What applying those in-flight changes costs: replace or update in place, and the cheaper path"
$sw cost shop-prod --chart "$store/rollout.svg" || true

step "7. Where the store's keys are: not in the store, so a copy of it is not a copy of them"
$sw keys show

echo >&2
echo "Store: $store (serve it: stateward serve --store $store); the next run starts it afresh" >&2
