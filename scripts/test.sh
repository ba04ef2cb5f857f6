#!/usr/bin/env bash
# npm test: installs what is missing (Debian packages of scripts/system-packages.txt, npm dependencies),
# makes sure Redis answers, then lint + typecheck + every test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
source scripts/lib/redis.sh
source scripts/lib/system-packages.sh
ensure_system_packages 'the tests that use these tools fail.' || true
ensure_node_deps
ensure_redis
rm -f var/vitest-results.json
status=0
npm run check || status=$?
node scripts/coverage-by-package.mjs
# One plain closing line for whoever reads the log: "vitest: N passed, N failed, N skipped".
if [[ -f var/vitest-results.json ]]; then
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    const r = JSON.parse(require("node:fs").readFileSync("var/vitest-results.json", "utf8"));
    console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
  '
fi
exit "$status"
