#!/usr/bin/env bash
# Debian's Chromium and its WebDriver for the dashboard's browser tests (tests/server/
# test_dashboard.py drives the system browser with Selenium; nothing is downloaded by Selenium).
# Not a service: checked once that it starts headless and answers.
# Prints: export STATEWARD_TEST_CHROMIUM=<path> STATEWARD_TEST_CHROMEDRIVER=<path>
set -euo pipefail
. "$(dirname "$0")/common.bash"

need_packages chromium chromium-driver || { say "chromium: cannot install"; exit 1; }
browser="$(command -v chromium)"
driver="$(command -v chromedriver)"
if ! timeout 60 "$browser" --headless --no-sandbox --disable-gpu --dump-dom about:blank >/dev/null 2>&1; then
  say "chromium: $browser does not start headless"
  exit 1
fi
echo "export STATEWARD_TEST_CHROMIUM=$browser"
echo "export STATEWARD_TEST_CHROMEDRIVER=$driver"
