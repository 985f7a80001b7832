#!/usr/bin/env bash
# Install Debian's Chromium for the dashboard's browser test, when it is missing.
# Playwright drives this browser; it never downloads one of its own. Used by `make test`.
set -euo pipefail

BROWSER=${MONITOR_CHROMIUM:-/usr/bin/chromium}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if [ ! -x "$BROWSER" ]; then
  echo "chromium: installing Debian's chromium package"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
echo "chromium: $("$BROWSER" --version 2>/dev/null || echo "$BROWSER")"
