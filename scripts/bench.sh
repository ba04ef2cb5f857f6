#!/usr/bin/env bash
# npm run bench -- <name> [args...]: runs bench/<name>/run.ts against the sources (no build needed).
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-}
if [[ -z "$name" || ! -f "bench/$name/run.ts" ]]; then
  echo "usage: npm run bench -- <name>   where <name> is one of:" >&2
  for dir in bench/*/run.ts; do echo "  $(basename "$(dirname "$dir")")" >&2; done
  exit 2
fi
shift
source scripts/lib/redis.sh
source scripts/lib/system-packages.sh
ensure_system_packages 'the benchmarks that use these tools fail.' || true
# The peers a benchmark compares against come from Debian (bench/<name>/apt.txt).
if [[ -f "bench/$name/apt.txt" ]]; then
  mapfile -t peers <"bench/$name/apt.txt"
  ensure_apt_packages "${peers[@]}"
fi
ensure_redis
exec npx tsx --conditions=source "bench/$name/run.ts" "$@"
