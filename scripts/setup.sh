#!/usr/bin/env bash
# Makes sure every program a native stack runs is installed before `npm test`, `npm run loadtest`
# and the gate: Prometheus and Alertmanager (with promtool and amtool), the exporters, PostgreSQL,
# Redis, and Python's prometheus_client for the README's Python example.
# Order for each: its $..._BIN variable, then PATH, then (as root) Debian's packages via apt-get.
# Never downloads a binary from anywhere else.
# With --containers (`npm test`): also Docker's engine, docker-compose and debootstrap for the
# containers stack, the engine started when none answers (as root), and its images built (cached);
# and Chromium, in which the suite opens the HTML reports (verify/html-report.test.ts).
set -euo pipefail
containers=
[ "${1:-}" = --containers ] && containers=1

have() { [ -n "${2:-}" ] && [ -x "$2" ] || command -v "$1" >/dev/null 2>&1; }
have_postgres() { [ -n "${POSTGRES_BIN_DIR:-}" ] && [ -x "$POSTGRES_BIN_DIR/postgres" ] || compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; }
have_python_client() { /usr/bin/python3 -c 'import prometheus_client' >/dev/null 2>&1; }

missing=()
have prometheus "${PROMETHEUS_BIN:-}" || missing+=(prometheus)
{ have prometheus-alertmanager "${ALERTMANAGER_BIN:-}" || have alertmanager ""; } || missing+=(prometheus-alertmanager)
{ have prometheus-node-exporter "${NODE_EXPORTER_BIN:-}" || have node_exporter ""; } || missing+=(prometheus-node-exporter)
{ have prometheus-postgres-exporter "${POSTGRES_EXPORTER_BIN:-}" || have postgres_exporter ""; } || missing+=(prometheus-postgres-exporter)
{ have prometheus-redis-exporter "${REDIS_EXPORTER_BIN:-}" || have redis_exporter ""; } || missing+=(prometheus-redis-exporter)
{ have prometheus-blackbox-exporter "${BLACKBOX_EXPORTER_BIN:-}" || have blackbox_exporter ""; } || missing+=(prometheus-blackbox-exporter)
have redis-server "${REDIS_SERVER_BIN:-}" || missing+=(redis-server)
have_postgres || missing+=(postgresql postgresql-contrib)
have_python_client || missing+=(python3 python3-prometheus-client)
if [ -n "$containers" ]; then
  have dockerd "" || missing+=(docker.io)
  have docker-compose "${DOCKER_COMPOSE_BIN:-}" || missing+=(docker-compose)
  have debootstrap "" || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
  { have chromium "${CHROMIUM_BIN:-}" || have chromium-browser ""; } || missing+=(chromium fonts-dejavu-core)
fi

# The containers stack's engine and images, once every package is there.
containers_ready() {
  [ -n "$containers" ] || return 0
  if ! docker info >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ] && command -v dockerd >/dev/null 2>&1 && [ -z "${DOCKER_HOST:-}" ]; then
      echo "firedrill setup: starting the Docker engine (dockerd, log in ${TMPDIR:-/tmp}/firedrill-dockerd.log)" >&2
      nohup dockerd >"${TMPDIR:-/tmp}/firedrill-dockerd.log" 2>&1 &
      for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
    fi
    if ! docker info >/dev/null 2>&1; then
      echo "firedrill setup: no Docker engine answers; start one (sudo dockerd &) and run npm test again" >&2
      exit 2
    fi
  fi
  node --import tsx "$(dirname "$0")/images.ts" >&2
}

if [ ${#missing[@]} -eq 0 ]; then
  containers_ready
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
  containers_ready
  exit 0
fi

echo "firedrill setup: missing ${missing[*]}. Run:" >&2
echo "  sudo apt-get install ${missing[*]}" >&2
echo "or point the matching variables (PROMETHEUS_BIN, ALERTMANAGER_BIN, NODE_EXPORTER_BIN, POSTGRES_EXPORTER_BIN," >&2
echo "REDIS_EXPORTER_BIN, REDIS_SERVER_BIN, POSTGRES_BIN_DIR, CHROMIUM_BIN) at the programs." >&2
exit 2
