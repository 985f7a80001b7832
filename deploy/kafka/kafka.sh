#!/usr/bin/env bash
# Local Apache Kafka: ./deploy/kafka/kafka.sh start|stop|status (same as `monitor kafka ...`).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
exec "$here/.venv/bin/monitor" kafka "$@"
