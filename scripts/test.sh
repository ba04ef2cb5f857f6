#!/usr/bin/env bash
# npm test: installs what is missing, makes sure Redis answers, then lint + typecheck + every test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
source scripts/lib/redis.sh
ensure_node_deps
ensure_redis
npm run check
