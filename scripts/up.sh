#!/usr/bin/env bash
# npm run up: installs dependencies, makes sure Redis answers, writes the local secrets (.env), builds,
# then starts every service and worker with prefixed logs. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
source scripts/lib/redis.sh
ensure_node_deps
ensure_redis
node scripts/env-init.mjs
echo "build: tsc -b"
npx tsc -b
exec node scripts/run-services.mjs "$@"
