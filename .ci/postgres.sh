#!/usr/bin/env bash
# Starts a throw-away PostgreSQL on loopback and runs the API, store, row-level-security and
# multi-instance suites against it. The test role is an ordinary one (no superuser, no
# BYPASSRLS), as the service's own role must be, and signs in over TCP with SCRAM-SHA-256
# (PostgreSQL's default method), as a production server asks; only the administrator's set-up
# below uses the Unix socket, trusted.
set -euo pipefail
cd "$(dirname "$0")/.."

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/pg_ctl" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres

port=${PGPORT_TEST:-55432}
data=$(mktemp -d /tmp/tenant-api-pg.XXXXXX)
chown postgres "$data"
as_pg() { runuser -u postgres -- "$@"; }
cleanup() { as_pg "$pg_bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$data"; }
trap cleanup EXIT

as_pg "$pg_bin/initdb" -D "$data" --auth-local=trust --auth-host=scram-sha-256 -U postgres >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$data" -w -l "$data/server.log" \
  -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >/dev/null
psql -h /tmp -p "$port" -U postgres -v ON_ERROR_STOP=1 -q <<SQL
CREATE ROLE tenant_api LOGIN PASSWORD 'tenant_api' NOSUPERUSER NOBYPASSRLS CREATEDB;
SQL

export TENANT_API_TEST_POSTGRES="postgres://tenant_api:tenant_api@127.0.0.1:$port/postgres"
echo "== API and store suites on PostgreSQL"
cargo test -p tenant-api --test api
echo "== Row-level security, the pipelined transaction and multi-instance sign-out on PostgreSQL"
cargo test -p tenant-api --features postgres-tests --lib --test postgres
