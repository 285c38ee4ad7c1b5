#!/usr/bin/env bash
# make demo: record the shop's desired production state, then what is live, into a fresh store,
# and show what changed in flight while every image stayed the same.
set -euo pipefail
cd "$(dirname "$0")"
sw=../../.venv/bin/stateward
store=$(mktemp -d "${TMPDIR:-/tmp}/stateward-demo.XXXXXX")
export STATEWARD_STORE="$store"
export COLUMNS="${COLUMNS:-120}"

step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

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
echo "Store: $store (delete it, and its keys directory above, when done)" >&2
echo "Dashboard: stateward tokens create --role read --store $store (a token to log in with), then" >&2
echo "  stateward serve --store $store    and open http://127.0.0.1:8080/login" >&2
