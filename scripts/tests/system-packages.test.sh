#!/usr/bin/env bash
# Checks that `npm test`, `npm run up` and .ci/run install every package of scripts/system-packages.txt,
# without touching the machine: a copy of the scripts runs with shims on PATH. dpkg-query pretends the
# packages are missing (or installed), apt-get and sudo record what they were asked, node/npm/npx record
# and do nothing (npm test runs the copied scripts/test.sh). Needs a Redis on REDIS_URL, like the tests.
# Usage: bash scripts/tests/system-packages.test.sh
# shellcheck disable=SC2016 # the shims' bodies expand their variables when they run, not here
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/repo/node_modules" "$work/bin"
cp -r "$root/scripts" "$root/.ci" "$root/package-lock.json" "$work/repo/"
touch "$work/repo/node_modules/.package-lock.json"

shim() { printf '#!/usr/bin/env bash\n%s\n' "$2" >"$work/bin/$1" && chmod +x "$work/bin/$1"; }
shim dpkg-query '[[ $FAKE_INSTALLED == yes ]] && printf "install ok installed"; [[ $FAKE_INSTALLED == yes ]]'
shim apt-get 'echo "apt-get $* (DEBIAN_FRONTEND=${DEBIAN_FRONTEND:-})" >>"$FAKE_LOG"'
shim id '[[ $1 == -u ]] && echo "$FAKE_UID"'
shim sudo '[[ $FAKE_SUDO == yes ]] || exit 1; echo "sudo $*" >>"$FAKE_LOG"; [[ $1 == -n ]] && shift; exec "$@"'
shim npx 'echo "npx $*" >>"$FAKE_LOG"'
shim node 'echo "node $*" >>"$FAKE_LOG"'
shim npm 'echo "npm $*" >>"$FAKE_LOG"; [[ $1 == test ]] && exec bash scripts/test.sh; true'

failures=0
expect() {
  local what=$1 pattern=$2 file=$3
  if grep -qF -- "$pattern" "$file"; then echo "ok: $what"; else
    echo "FAIL: $what: no '$pattern' in:" && sed 's/^/    /' "$file"
    failures=$((failures + 1))
  fi
}
expect_none() {
  local what=$1 pattern=$2 file=$3
  if grep -qF -- "$pattern" "$file"; then
    echo "FAIL: $what: '$pattern' in:" && sed 's/^/    /' "$file"
    failures=$((failures + 1))
  else echo "ok: $what"; fi
}

# run NAME UID SUDO INSTALLED COMMAND...: runs COMMAND in the copy; its calls land in $work/NAME.log.
run() {
  local name=$1 uid=$2 sudo=$3 installed=$4
  shift 4
  : >"$work/$name.log"
  (cd "$work/repo" && PATH="$work/bin:$PATH" FAKE_LOG="$work/$name.log" FAKE_UID=$uid FAKE_SUDO=$sudo \
    FAKE_INSTALLED=$installed "$@" </dev/null >"$work/$name.out" 2>&1) || {
    echo "FAIL: $name exited with $?:" && sed 's/^/    /' "$work/$name.out"
    failures=$((failures + 1))
  }
}

packages=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$root/scripts/system-packages.txt" | paste -sd' ')
full_install="install -y -qq --no-install-recommends $packages (DEBIAN_FRONTEND=noninteractive)"

run test-root 0 no no bash scripts/test.sh
expect 'npm test as root installs every package' "apt-get $full_install" "$work/test-root.log"
expect 'npm test then runs the checks' 'npm run check' "$work/test-root.log"

run up-root 0 no no bash scripts/up.sh
expect 'npm run up as root installs every package' "apt-get $full_install" "$work/up-root.log"
expect 'npm run up then starts the services' 'node scripts/run-services.mjs' "$work/up-root.log"

run ci-root 0 no no bash .ci/run
expect '.ci/run installs every package through npm test' "apt-get $full_install" "$work/ci-root.log"
expect '.ci/run runs npm test' 'npm test' "$work/ci-root.log"

run test-sudo 1000 yes no bash scripts/test.sh
expect 'npm test as a user installs through sudo' \
  "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages" "$work/test-sudo.log"
expect 'with the full list' "apt-get $full_install" "$work/test-sudo.log"

run up-nosudo 1000 no no bash scripts/up.sh
expect_none 'without root or sudo nothing is installed' 'apt-get install' "$work/up-nosudo.log"
expect 'and the message names the packages' "Install them with: sudo apt-get install $packages" "$work/up-nosudo.out"
expect 'and says what /readyz will show' '/readyz' "$work/up-nosudo.out"
expect 'and the platform still starts' 'node scripts/run-services.mjs' "$work/up-nosudo.log"

run test-installed 0 no yes bash scripts/test.sh
expect_none 'with every package installed there is no apt work' 'apt-get' "$work/test-installed.log"

if (( failures > 0 )); then echo "system packages: $failures checks failed"; exit 1; fi
echo 'system packages: all checks passed'
