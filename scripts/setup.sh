#!/usr/bin/env bash
# Makes sure every program a native stack runs is installed before `npm test`, `npm run loadtest`
# and the gate: Prometheus and Alertmanager (with promtool and amtool), the exporters, PostgreSQL,
# Redis, and Python's prometheus_client for the README's Python example.
# Order for each: its $..._BIN variable, then PATH, then (as root) Debian's packages via apt-get.
# Never downloads a binary from anywhere else.
set -euo pipefail

have() { [ -n "${2:-}" ] && [ -x "$2" ] || command -v "$1" >/dev/null 2>&1; }
have_postgres() { [ -n "${POSTGRES_BIN_DIR:-}" ] && [ -x "$POSTGRES_BIN_DIR/postgres" ] || compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; }
have_python_client() { /usr/bin/python3 -c 'import prometheus_client' >/dev/null 2>&1; }

missing=()
have prometheus "${PROMETHEUS_BIN:-}" || missing+=(prometheus)
{ have prometheus-alertmanager "${ALERTMANAGER_BIN:-}" || have alertmanager ""; } || missing+=(prometheus-alertmanager)
{ have prometheus-node-exporter "${NODE_EXPORTER_BIN:-}" || have node_exporter ""; } || missing+=(prometheus-node-exporter)
{ have prometheus-postgres-exporter "${POSTGRES_EXPORTER_BIN:-}" || have postgres_exporter ""; } || missing+=(prometheus-postgres-exporter)
{ have prometheus-redis-exporter "${REDIS_EXPORTER_BIN:-}" || have redis_exporter ""; } || missing+=(prometheus-redis-exporter)
have redis-server "${REDIS_SERVER_BIN:-}" || missing+=(redis-server)
have_postgres || missing+=(postgresql postgresql-contrib)
have_python_client || missing+=(python3 python3-prometheus-client)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "firedrill setup: installing Debian packages ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # firedrill runs its own instances on free loopback ports: the packages' system services are not started.
  policy=/usr/sbin/policy-rc.d
  created_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created_policy=1
  fi
  trap '[ -n "$created_policy" ] && rm -f "$policy"' EXIT
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  exit 0
fi

echo "firedrill setup: missing ${missing[*]}. Run:" >&2
echo "  sudo apt-get install ${missing[*]}" >&2
echo "or point the matching variables (PROMETHEUS_BIN, ALERTMANAGER_BIN, NODE_EXPORTER_BIN, POSTGRES_EXPORTER_BIN," >&2
echo "REDIS_EXPORTER_BIN, REDIS_SERVER_BIN, POSTGRES_BIN_DIR) at the programs." >&2
exit 2
