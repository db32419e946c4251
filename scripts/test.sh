#!/usr/bin/env bash
# Every test, on a fresh machine or this one: installs what is missing (Debian packages with
# apt-get, npm packages with `npm ci`), then runs the whole suite (`npm test`). CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
# Native addons build against Node's own headers on these machines.
[ -d /usr/include/node ] && export npm_config_nodedir=/usr

# tool -> the Debian package that provides it (test/tools.ts names the same ones).
missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need git git
need promtool prometheus
need prometheus prometheus
need prometheus-blackbox-exporter prometheus-blackbox-exporter
need nagios4 nagios4-core
[ -x /usr/lib/nagios/plugins/check_tcp ] || missing+=(monitoring-plugins-basic)
need puppet puppet-agent
need age age
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)

if [ ${#missing[@]} -gt 0 ]; then
  packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
  echo "test: installing ${packages}"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
    echo "test: these Debian packages are missing and installing them needs root: ${packages}" >&2
    exit 1
  fi
  "${sudo[@]}" apt-get update -qq
  # shellcheck disable=SC2086
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends ${packages}
fi

npm ci --no-audit --no-fund
npm test
