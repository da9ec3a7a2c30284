#!/usr/bin/env bash
# Makes sure Prometheus and Alertmanager are available before `npm test` / `npm run loadtest`.
# Order: $PROMETHEUS_BIN/$ALERTMANAGER_BIN, then PATH, then (as root) Debian's packages via apt-get.
# Never downloads a binary from anywhere else.
set -euo pipefail

have() { [ -n "${2:-}" ] && [ -x "$2" ] || command -v "$1" >/dev/null 2>&1; }

if have prometheus "${PROMETHEUS_BIN:-}" && { have prometheus-alertmanager "${ALERTMANAGER_BIN:-}" || have alertmanager ""; }; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "firedrill setup: installing Debian packages prometheus and prometheus-alertmanager" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager >&2
  # Debian's postinst may start the system services; firedrill runs its own instances on free ports.
  exit 0
fi

echo "firedrill setup: Prometheus and Alertmanager are missing. Run:" >&2
echo "  sudo apt-get install prometheus prometheus-alertmanager" >&2
echo "or point PROMETHEUS_BIN and ALERTMANAGER_BIN at the binaries." >&2
exit 2
