#!/usr/bin/env bash
# Validate docker-compose.yml without a Docker engine: Debian's docker-compose 1.29 parses and
# checks the file against the Compose schema (`config -q`). Installed when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v docker-compose >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "compose-check: installing Debian's docker-compose package"
  { $SUDO apt-get install -y -qq docker-compose >/dev/null 2>&1 ||
    { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq docker-compose >/dev/null; }; } ||
    { echo "error: could not install docker-compose to validate docker-compose.yml" >&2; exit 1; }
fi
docker-compose -f docker-compose.yml config -q
echo "docker-compose.yml is valid"
