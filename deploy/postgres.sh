#!/usr/bin/env bash
# Install (Debian package) and start a local PostgreSQL, and create the test role and database.
# Idempotent: does nothing that is already done. Used by `make test`.
set -euo pipefail

DB_USER=${PG_USER:-monitor}
DB_PASS=${PG_PASSWORD:-monitor}
DB_NAME=${PG_DATABASE:-monitor_test}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "postgres: installing Debian's postgresql package"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

cluster=$(pg_lsclusters --no-header | head -n 1)
if [ -z "$cluster" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  $SUDO pg_createcluster "$version" main >/dev/null
  cluster=$(pg_lsclusters --no-header | head -n 1)
fi
read -r version name port status _ <<<"$cluster"
if [ "$status" != "online" ]; then
  echo "postgres: starting cluster $version/$name on port $port"
  $SUDO pg_ctlcluster "$version" "$name" start
fi

as_postgres() { $SUDO runuser -u postgres -- "$@"; }
as_postgres psql -p "$port" -qtAc "SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'" | grep -q 1 ||
  as_postgres psql -p "$port" -qc "CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASS'"
as_postgres psql -p "$port" -qtAc "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'" | grep -q 1 ||
  as_postgres createdb -p "$port" -O "$DB_USER" "$DB_NAME"
echo "postgres: ready on 127.0.0.1:$port (database $DB_NAME, role $DB_USER)"
