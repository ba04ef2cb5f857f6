#!/usr/bin/env bash
# npm run up: installs what is missing (Debian packages of scripts/system-packages.txt, npm dependencies),
# makes sure Redis answers, writes the local secrets (.env), builds,
# then starts every service and worker with prefixed logs. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
source scripts/lib/redis.sh
source scripts/lib/system-packages.sh
ensure_system_packages "the services start, and the /readyz of those that run these tools names what is missing." || true
ensure_node_deps
ensure_redis
node scripts/env-init.mjs
echo "build: tsc -b, and the console's web app (vite)"
npx tsc -b
npm run build --silent -w console
exec node scripts/run-services.mjs "$@"
